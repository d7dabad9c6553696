package auth

import (
	"context"
	"time"

	"tiyan/internal/finding"
)

// DismissOfficer ends an officer's service (解聘) and, at once, disables every account linked
// to the officer: sign-in is refused, sessions end, and API tokens stop working. It returns
// the officer and the accounts it disabled.
func (a Accounts) DismissOfficer(ctx context.Context, id int64, at time.Time, reason string) (finding.Officer, []finding.User, error) {
	o, err := a.store.DismissOfficer(ctx, id, at, reason)
	if err != nil {
		return o, nil, err
	}
	users, err := a.users.Users(ctx)
	if err != nil {
		return o, nil, err
	}
	var disabled []finding.User
	for _, u := range users {
		if u.OfficerID != id || u.Disabled {
			continue
		}
		got, err := a.SetDisabled(ctx, u, true)
		if err != nil {
			return o, disabled, err
		}
		disabled = append(disabled, got)
	}
	return o, disabled, nil
}

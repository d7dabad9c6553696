package auth

import (
	"context"
	"strings"
	"time"

	"tiyan/internal/finding"
)

// API token lifetimes: every new token expires, so that one forgotten in an old script or a
// former colleague's notes stops working on its own.
const (
	DefaultTokenTTL = 90 * 24 * time.Hour
	MaxTokenTTL     = 366 * 24 * time.Hour
	minTokenTTL     = time.Hour
)

// CheckTokenTTL refuses a lifetime shorter than an hour or longer than a year.
func CheckTokenTTL(ttl time.Duration) error {
	if ttl < minTokenTTL || ttl > MaxTokenTTL {
		return finding.Errorf(finding.EINVALID, "令牌有效期应在 1 小时到 366 天之间（如 720h 即 30 天；默认 90 天），而不是 %s", ttl)
	}
	return nil
}

// maxTokenNote bounds the note of a token (what it is for).
const maxTokenNote = 100

// Accounts is what may be done to accounts, the same from the command line (tiyan users) and
// from the administrator's page: the checks, the password rules, and what goes with a change
// (a new password or a disabled account ends the user's sessions).
type Accounts struct {
	store finding.Store
	users finding.UserStore
	now   func() time.Time
}

// NewAccounts returns Accounts on s, which must keep users; now is the clock of token expiry
// (nil: time.Now).
func NewAccounts(s finding.Store, now func() time.Time) (Accounts, error) {
	if now == nil {
		now = time.Now
	}
	return Accounts{store: s, users: s, now: now}, nil
}

// Add creates u with password; an empty password gets a generated one, returned (once) as
// generated. An officer account must belong to an officer in service.
func (a Accounts) Add(ctx context.Context, u finding.User, password string) (created finding.User, generated string, err error) {
	if u.Role == finding.RoleOfficer && u.OfficerID != 0 {
		o, err := a.store.Officer(ctx, u.OfficerID)
		if err != nil {
			return u, "", err
		}
		if o.Status != finding.OfficerActive {
			return u, "", finding.Errorf(finding.ECONFLICT, "体验官 %s（#%d）已解聘，不能为其开设账号", o.Name, o.ID)
		}
	}
	if err := a.checkJurisdiction(ctx, u); err != nil {
		return u, "", err
	}
	if password == "" {
		password = GeneratePassword()
		generated = password
	}
	if err := CheckPasswordFor(u.Name, password); err != nil {
		return u, "", err
	}
	if u.PasswordHash, err = HashPassword(password); err != nil {
		return u, "", err
	}
	created, err = a.users.CreateUser(ctx, u)
	if err != nil {
		return u, "", err
	}
	return created, generated, nil
}

// SetPassword gives u a new password (a generated one, returned once, when password is empty)
// and ends u's sessions and API tokens everywhere: a reset follows a suspicion as often as a
// forgotten password, and a token issued before it must not outlive it.
func (a Accounts) SetPassword(ctx context.Context, u finding.User, password string) (generated string, err error) {
	if password == "" {
		password = GeneratePassword()
		generated = password
	}
	if err := CheckPasswordFor(u.Name, password); err != nil {
		return "", err
	}
	if u.PasswordHash, err = HashPassword(password); err != nil {
		return "", err
	}
	if _, err := a.users.UpdateUser(ctx, u); err != nil {
		return "", err
	}
	if _, err := a.users.DeleteTokens(ctx, u.ID, ""); err != nil {
		return "", err
	}
	return generated, nil
}

// checkJurisdiction refuses an account scoped to a zone nobody knows: a staff account's
// jurisdiction must be one of finding.Jurisdictions (or the province), or a unit's.
func (a Accounts) checkJurisdiction(ctx context.Context, u finding.User) error {
	if u.Jurisdiction == "" || !finding.ValidZone(u.Jurisdiction) || finding.JurisdictionName(u.Jurisdiction) != "" {
		return nil // none, or malformed (User.Validate says so), or known
	}
	units, err := a.store.Units(ctx)
	if err != nil {
		return err
	}
	for _, un := range units {
		if un.Jurisdiction != "" && finding.ShortZone(un.Jurisdiction) == finding.ShortZone(u.Jurisdiction) {
			return nil
		}
	}
	return finding.Errorf(finding.EINVALID, "行政区划代码 %s 不是已知的辖区：请填写六安市（341500）或所辖县区的代码，或已登记单位所在的区划", u.Jurisdiction)
}

// SetDisabled disables u (no sign-in; sessions end; API tokens stop working until enabled
// again) or enables u.
func (a Accounts) SetDisabled(ctx context.Context, u finding.User, disabled bool) (finding.User, error) {
	u.Disabled = disabled
	got, err := a.users.UpdateUser(ctx, u)
	if err != nil || !disabled {
		return got, err
	}
	if _, err := a.users.DeleteTokens(ctx, u.ID, finding.TokenSession); err != nil {
		return got, err
	}
	return got, nil
}

// IssueToken makes a new API token for u that expires after ttl, noting what it is for. The
// secret is returned once; the store keeps its hash.
func (a Accounts) IssueToken(ctx context.Context, u finding.User, ttl time.Duration, note string) (string, finding.Token, error) {
	if err := CheckTokenTTL(ttl); err != nil {
		return "", finding.Token{}, err
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > maxTokenNote {
		return "", finding.Token{}, finding.Errorf(finding.EINVALID, "令牌用途说明过长（最多 %d 个字）", maxTokenNote)
	}
	secret, hash := NewToken()
	now := a.now()
	t := finding.Token{Hash: hash, UserID: u.ID, Kind: finding.TokenAPI, Note: note, Created: now, Expires: now.Add(ttl)}
	if err := a.users.CreateToken(ctx, t); err != nil {
		return "", t, err
	}
	return secret, t, nil
}

// Tokens lists u's API tokens, the newest first.
func (a Accounts) Tokens(ctx context.Context, u finding.User) ([]finding.Token, error) {
	return a.users.Tokens(ctx, u.ID, finding.TokenAPI)
}

// RevokeToken removes the API token of u that id (Token.ID) names.
func (a Accounts) RevokeToken(ctx context.Context, u finding.User, id string) (finding.Token, error) {
	tokens, err := a.Tokens(ctx, u)
	if err != nil {
		return finding.Token{}, err
	}
	for _, t := range tokens {
		if id != "" && t.ID() == id {
			return t, a.users.DeleteToken(ctx, t.Hash)
		}
	}
	return finding.Token{}, finding.Errorf(finding.ENOTFOUND, "用户 %s 没有编号为“%s”的接口令牌（可能已被吊销）", u.Name, id)
}

// RevokeTokens removes every API token of u and returns how many there were.
func (a Accounts) RevokeTokens(ctx context.Context, u finding.User) (int, error) {
	return a.users.DeleteTokens(ctx, u.ID, finding.TokenAPI)
}

// ManageAccounts says whether u may manage accounts (add them, reset passwords, disable them,
// issue API tokens): the administrator alone. It is not an action on findings, so it is not
// in the Allows table.
func ManageAccounts(u finding.User) error {
	if u.Role != finding.RoleAdmin {
		return finding.Errorf(finding.EFORBIDDEN, "您的账号（%s）不能管理用户，用户管理仅限系统管理员", u.Role.Label())
	}
	return nil
}

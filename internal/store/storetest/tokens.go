package storetest

import (
	"strings"
	"testing"
	"time"

	"tiyan/internal/finding"
)

// testTokenExpiry: an expired API token is refused with when it expired, is listed until
// KeepExpiredAPITokens has passed, and is deleted after; tokens are listed newest first with
// their note.
func testTokenExpiry(t *testing.T, s finding.Store) {
	c, us := ctx(t), userStore(t, s)
	u := must[finding.User](t)(us.CreateUser(c, finding.User{Name: "robot", Role: finding.RoleAdmin, PasswordHash: "h"}))
	day := t0.Add(24 * time.Hour)
	for _, tok := range []finding.Token{
		{Hash: "old", UserID: u.ID, Kind: finding.TokenAPI, Note: "数据对接", Created: t0, Expires: day},
		{Hash: "new", UserID: u.ID, Kind: finding.TokenAPI, Created: t0.Add(time.Hour), Expires: t0.AddDate(0, 3, 0)},
		{Hash: "web", UserID: u.ID, Kind: finding.TokenSession, Created: t0, Expires: t0.Add(time.Hour)},
	} {
		if err := us.CreateToken(c, tok); err != nil {
			t.Fatal(err)
		}
	}
	must[finding.User](t)(us.TokenUser(c, "old", finding.TokenAPI, day.Add(-time.Second)))
	_, err := us.TokenUser(c, "old", finding.TokenAPI, day)
	wantCode(t, err, finding.EUNAUTHORIZED)
	if msg := finding.ErrorMessage(err); !strings.Contains(msg, "已于 2026-10-01 10:00 过期") {
		t.Errorf("an expired API token is refused with %q, want when it expired", msg)
	}
	_, err = us.TokenUser(c, "web", finding.TokenSession, day)
	if msg := finding.ErrorMessage(err); !strings.Contains(msg, "重新登录") {
		t.Errorf("an expired session is refused with %q", msg)
	}

	list := must[[]finding.Token](t)(us.Tokens(c, u.ID, finding.TokenAPI))
	if len(list) != 2 || list[0].Hash != "new" || list[1].Hash != "old" || list[1].Note != "数据对接" || list[1].Kind != finding.TokenAPI {
		t.Fatalf("API tokens = %+v, want new then old with its note", list)
	}
	sameTime(t, "expires", list[1].Expires, day)
	sameTime(t, "created", list[1].Created, t0)
	eq(t, "every kind", len(must[[]finding.Token](t)(us.Tokens(c, u.ID, ""))), 3)
	eq(t, "none for others", len(must[[]finding.Token](t)(us.Tokens(c, u.ID+1, ""))), 0)

	// The session goes at once; the expired API token stays a while to explain itself.
	eq(t, "expired session removed", must[int](t)(us.DeleteExpiredTokens(c, day.Add(time.Hour))), 1)
	_, err = us.TokenUser(c, "old", finding.TokenAPI, day.Add(time.Hour))
	if msg := finding.ErrorMessage(err); !strings.Contains(msg, "过期") {
		t.Errorf("an expired API token kept for a while is refused with %q", msg)
	}
	eq(t, "expired API token removed later", must[int](t)(us.DeleteExpiredTokens(c, day.Add(finding.KeepExpiredAPITokens))), 1)
	eq(t, "left", len(must[[]finding.Token](t)(us.Tokens(c, u.ID, ""))), 1)
}

// testSignIn: the time of the last sign-in is kept and listed; never signed in is zero.
func testSignIn(t *testing.T, s finding.Store) {
	c, us := ctx(t), userStore(t, s)
	u := must[finding.User](t)(us.CreateUser(c, finding.User{Name: "staff", Role: finding.RoleAdmin, PasswordHash: "h"}))
	if !u.LastSignIn.IsZero() {
		t.Errorf("a new user signed in at %v", u.LastSignIn)
	}
	if err := us.RecordSignIn(c, u.ID, t0); err != nil {
		t.Fatal(err)
	}
	sameTime(t, "last sign-in", must[finding.User](t)(us.User(c, u.ID)).LastSignIn, t0)
	sameTime(t, "listed", must[[]finding.User](t)(us.Users(c))[0].LastSignIn, t0)
	u.DisplayName = "李强"
	sameTime(t, "kept by an update", must[finding.User](t)(us.UpdateUser(c, u)).LastSignIn, t0)
}

package auth

import (
	"testing"

	"tiyan/internal/finding"
)

// TestPasswordHygiene: twelve characters at least, not a common password (in any case), not
// the account's name; a generated password always passes.
func TestPasswordHygiene(t *testing.T) {
	if n := len(commonSet()); n < 2000 {
		t.Errorf("%d common passwords, want a few thousand", n)
	}
	for _, pw := range []string{"short-pw", "tiyan-admin", "password1234", "Password@2026", "QWERTYUIOP12", "1qaz2wsx3edc",
		"123456789012", "888888888888", "woaini5201314", "iloveyou2025", "adminadmin123"} {
		if finding.ErrorCode(CheckPasswordRules(pw)) != finding.EINVALID {
			t.Errorf("%q was accepted", pw)
		}
	}
	if err := CheckPasswordFor("Wang.Fang-2026", "wang.fang-2026"); finding.ErrorCode(err) != finding.EINVALID {
		t.Errorf("the account's name as its password: %v", err)
	}
	for _, pw := range []string{"correct horse battery", "办事不求人-皖事通办-2026", GeneratePassword(), "tiyan-admin-demo"} {
		if err := CheckPasswordFor("admin", pw); err != nil {
			t.Errorf("%q: %v", pw, err)
		}
	}
}

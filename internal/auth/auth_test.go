package auth

import (
	"strings"
	"testing"

	"tiyan/internal/finding"
)

func TestPasswords(t *testing.T) {
	h, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "correct horse") || CheckPassword(h, "correct hors") || CheckPassword("", "correct horse") {
		t.Error("CheckPassword")
	}
	for _, bad := range []string{"short", strings.Repeat("密", 25)} {
		if _, err := HashPassword(bad); finding.ErrorCode(err) != finding.EINVALID {
			t.Errorf("HashPassword(%q): %v", bad, err)
		}
	}
	a, b := GeneratePassword(), GeneratePassword()
	if len(a) != 16 || a == b || CheckPasswordRules(a) != nil {
		t.Errorf("GeneratePassword: %q %q", a, b)
	}
	s1, h1 := NewToken()
	s2, _ := NewToken()
	if len(s1) != 43 || s1 == s2 || HashToken(s1) != h1 || len(h1) != 64 || strings.Contains(h1, s1) {
		t.Errorf("NewToken: %q %q", s1, h1)
	}
}

// users of every role, and the findings of the policy table.
var (
	admin   = finding.User{Role: finding.RoleAdmin}
	city    = finding.User{Role: finding.RoleStaff, Jurisdiction: "341500"}
	county  = finding.User{Role: finding.RoleStaff, Jurisdiction: "341522"}
	unit7   = finding.User{Role: finding.RoleUnit, UnitID: 7}
	officer = finding.User{Role: finding.RoleOfficer, OfficerID: 3}

	found    = finding.Finding{ID: 1, Kind: finding.Problem, Status: finding.Found, UnitID: 7, Jurisdiction: "341522", Source: finding.SourceProbe}
	fedBack  = finding.Finding{ID: 2, Kind: finding.Problem, Status: finding.FedBack, UnitID: 7, Jurisdiction: "341522000000", Source: finding.SourceProbe}
	handled  = finding.Finding{ID: 3, Kind: finding.Problem, Status: finding.Handled, UnitID: 8, Jurisdiction: "341502", Source: finding.SourceOfficer, OfficerID: 3}
	noZone   = finding.Finding{ID: 4, Kind: finding.Problem, Status: finding.Found, Source: finding.SourceSurvey}
	byOthers = finding.Finding{ID: 5, Kind: finding.Problem, Status: finding.Handled, UnitID: 7, Jurisdiction: "341522", Source: finding.SourceProbe, OfficerID: 9}
)

func TestVisible(t *testing.T) {
	for _, c := range []struct {
		who  finding.User
		name string
		sees []finding.Finding
	}{
		{admin, "admin", []finding.Finding{found, fedBack, handled, noZone, byOthers}},
		{city, "city staff", []finding.Finding{found, fedBack, handled, byOthers}},
		{county, "county staff", []finding.Finding{found, fedBack, byOthers}},
		{unit7, "unit 7", []finding.Finding{fedBack, byOthers}},
		{officer, "officer 3", []finding.Finding{handled}},
		{finding.User{Role: finding.RoleStaff}, "staff without a jurisdiction", nil},
		{finding.User{Role: "root"}, "an unknown role", nil},
	} {
		for _, f := range []finding.Finding{found, fedBack, handled, noZone, byOthers} {
			want := false
			for _, s := range c.sees {
				want = want || s.ID == f.ID
			}
			if got := Visible(c.who, f); got != want {
				t.Errorf("%s sees #%d: %v", c.name, f.ID, got)
			}
		}
	}
}

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		who  finding.User
		a    Action
		f    finding.Finding
		code string
	}{
		{admin, Handle, fedBack, ""},
		{county, Feedback, found, ""},
		{county, Handle, fedBack, finding.EFORBIDDEN},
		{county, Feedback, handled, finding.ENOTFOUND},
		{unit7, Handle, fedBack, ""},
		{unit7, Feedback, found, finding.ENOTFOUND},
		{unit7, Evaluate, byOthers, finding.EFORBIDDEN},
		{officer, Evaluate, handled, ""},
		{officer, Handle, handled, finding.EFORBIDDEN},
		{finding.User{Role: finding.RoleOfficer, OfficerID: 9}, Evaluate, byOthers, finding.EFORBIDDEN}, // an automated finding
		{officer, Report, handled, ""},
	} {
		if got := finding.ErrorCode(Check(c.who, c.a, c.f)); got != c.code {
			t.Errorf("%s %s #%d: %q, want %q", c.who.Role, c.a, c.f.ID, got, c.code)
		}
	}
	if msg := finding.ErrorMessage(Check(unit7, Evaluate, byOthers)); msg != "您的账号（窗口单位）不能评价整改结果" {
		t.Errorf("refusal %q", msg)
	}
}

func TestNarrow(t *testing.T) {
	q := func(zone string, unit int64, st ...finding.Status) finding.Query {
		return finding.Query{Zone: zone, FindingFilter: finding.FindingFilter{UnitID: unit, Status: st}}
	}
	for _, c := range []struct {
		name string
		who  finding.User
		in   finding.Query
		want finding.Query
		ok   bool
	}{
		{"admin keeps filters", admin, q("341502", 3), q("341502", 3), true},
		{"staff: no zone", city, q("", 0), q("341500", 0), true},
		{"staff: a narrower zone", city, q("341502", 0), q("341502", 0), true},
		{"staff: a wider zone", county, q("340000", 0), q("341522", 0), true},
		{"staff: another zone", county, q("341502", 0), q("341502", 0), false},
		{"unit: its statuses", unit7, q("", 0), q("", 7, finding.FedBack, finding.Handled, finding.Verified), true},
		{"unit: a status it sees", unit7, q("", 7, finding.Handled), q("", 7, finding.Handled), true},
		{"unit: found", unit7, q("", 0, finding.Found), q("", 7), false},
		{"unit: another unit", unit7, q("", 8), q("", 8), false},
	} {
		got, ok := Narrow(c.who, c.in)
		if ok != c.ok || (ok && (got.Zone != c.want.Zone || got.UnitID != c.want.UnitID || len(got.Status) != len(c.want.Status))) {
			t.Errorf("%s: %+v %v, want %+v %v", c.name, got, ok, c.want, c.ok)
		}
	}
	got, _ := Narrow(officer, finding.Query{})
	if got.OfficerID != 3 {
		t.Errorf("officer: %+v", got)
	}
}

func TestCanAssign(t *testing.T) {
	u := func(zone string) finding.Unit { return finding.Unit{Jurisdiction: zone} }
	if !CanAssign(city, u("341522")) || CanAssign(county, u("341500")) || CanAssign(city, u("")) || !CanAssign(admin, u("")) || CanAssign(unit7, u("341522")) {
		t.Error("CanAssign")
	}
}

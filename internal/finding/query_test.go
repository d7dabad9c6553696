package finding

import "testing"

func TestZonePrefix(t *testing.T) {
	for code, want := range map[string]string{
		"340000": "34", "341500": "3415", "341502": "341502", "341500000000": "3415", "341502000000": "341502",
		"341502001000": "341502001", "341502001002": "341502001002", "000000": "", "": "",
	} {
		if got := ZonePrefix(code); got != want {
			t.Errorf("ZonePrefix(%q) = %q, want %q", code, got, want)
		}
	}
	for _, c := range []struct {
		code, zone string
		in         bool
	}{
		{"341502", "341500", true}, {"341502001000", "341502", true}, {"341500", "341502", false},
		{"341522000000", "341500000000", true}, {"340100", "341500", false}, {"", "341500", false}, {"", "", true},
	} {
		if got := InZone(c.code, c.zone); got != c.in {
			t.Errorf("InZone(%q, %q) = %v", c.code, c.zone, got)
		}
	}
	if lo, hi, ok := ZoneRange("341500"); !ok || lo != "3415" || hi != "3416" {
		t.Errorf("ZoneRange(341500) = %q %q %v", lo, hi, ok)
	}
	if lo, hi, _ := ZoneRange("341509"); lo != "341509" || hi != "34150:" {
		t.Errorf("ZoneRange(341509) = %q %q", lo, hi)
	}
	if _, _, ok := ZoneRange(""); ok {
		t.Error("ZoneRange(\"\") is a range")
	}
}

func TestUserValidate(t *testing.T) {
	ok := []User{
		{Name: "admin", Role: RoleAdmin, PasswordHash: "h"},
		{Name: "li", Role: RoleStaff, Jurisdiction: "341500", PasswordHash: "h"},
		{Name: "u", Role: RoleUnit, UnitID: 1, PasswordHash: "h"},
		{Name: "o", Role: RoleOfficer, OfficerID: 1, PasswordHash: "h"},
	}
	for _, u := range ok {
		if err := u.Validate(); err != nil {
			t.Errorf("%+v: %v", u, err)
		}
	}
	if r, err := ParseRole("窗口单位"); err != nil || r != RoleUnit {
		t.Errorf("ParseRole(窗口单位) = %q, %v", r, err)
	}
}

package scenarios

import (
	"strings"
	"testing"
	"time"
)

func TestIDCheckDigit(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"11010519491231002X", true}, // the example of GB 11643-1999
		{"11010519491231002x", true},
		{"110105194912310021", false},
		{"440524188001010014", true},
		{"440524188001010015", false},
		{"34150219990230001X", false}, // 30 February
		{"3415021990010100", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidIDCard(tt.id); got != tt.want {
			t.Errorf("ValidIDCard(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
	if c := IDCheckDigit("1101051949123100"); c != 0 {
		t.Errorf("IDCheckDigit of 16 digits = %q, want 0", c)
	}
}

func TestFakePeople(t *testing.T) {
	f := NewFake(42)
	from := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2000, 12, 31, 0, 0, 0, 0, time.UTC)
	for range 1000 {
		p := f.Person()
		if !ValidIDCard(p.IDCard) {
			t.Fatalf("invalid ID number %s", p.IDCard)
		}
		if !strings.HasPrefix(p.IDCard, FakeArea) || p.IDCard[6:14] != p.Birth.Format("20060102") {
			t.Fatalf("ID number %s does not hold area %s and birth %s", p.IDCard, FakeArea, p.Birth.Format(time.DateOnly))
		}
		if p.Birth.Before(from) || p.Birth.After(to) {
			t.Fatalf("birth %v outside 1970–2000", p.Birth)
		}
		if female := (p.IDCard[16]-'0')%2 == 0; female != p.Female {
			t.Fatalf("ID number %s: sex digit disagrees with Female=%v", p.IDCard, p.Female)
		}
		if len(p.Phone) != 11 || !strings.HasPrefix(p.Phone, FakePhonePrefix) || strings.Trim(p.Phone, "0123456789") != "" {
			t.Fatalf("phone %q", p.Phone)
		}
		if n := len([]rune(p.Name)); n < 2 || n > 3 {
			t.Fatalf("name %q", p.Name)
		}
	}
	if !ValidIDCard(NewFake(7).IDCard()) {
		t.Error("Fake.IDCard gave an invalid number")
	}
}

func TestFakeDeterministic(t *testing.T) {
	a, b, c := NewFake(2024), NewFake(2024), NewFake(2025)
	differs := false
	for range 20 {
		pa, pb, pc := a.Person(), b.Person(), c.Person()
		if pa != pb {
			t.Fatalf("same seed, different people: %+v, %+v", pa, pb)
		}
		differs = differs || pa != pc
	}
	if !differs {
		t.Error("different seeds gave the same people")
	}
}

package finding

import (
	"strings"
	"testing"
	"time"
)

// TestLengthLimits: every text field people type has a limit, counted in characters, so a
// title of 200 Chinese characters passes and one of 201 (or of 15 MB) is refused with a
// message that names the field.
func TestLengthLimits(t *testing.T) {
	now := time.Date(2026, 9, 30, 9, 0, 0, 0, Zone)
	okFinding := func() Finding {
		return Finding{Kind: Problem, Status: Found, Source: SourceOfficer, Category: "service", Severity: Major,
			Title: "标题", FirstSeen: now, LastSeen: now}
	}
	okOfficer := func() Officer {
		return Officer{Name: "张三", Category: OfficerCitizen, Status: OfficerActive, TermStart: now, TermEnd: now, ReviewOn: now}
	}
	cases := []struct {
		name  string
		check func(n int) error
		max   int
		field string
	}{
		{"title", func(n int) error { f := okFinding(); f.Title = strings.Repeat("标", n); return f.Validate() }, MaxTitle, "标题"},
		{"detail", func(n int) error { f := okFinding(); f.Detail = strings.Repeat("详", n); return f.Validate() }, MaxDetail, "问题描述"},
		{"unit", func(n int) error { u := Unit{Name: strings.Repeat("单", n)}; return u.Validate() }, MaxName, "单位名称"},
		{"officer", func(n int) error { o := okOfficer(); o.Name = strings.Repeat("名", n); return o.Validate() }, MaxName, "体验官姓名"},
		{"display name", func(n int) error {
			u := User{Name: "li", Role: RoleAdmin, PasswordHash: "x", DisplayName: strings.Repeat("李", n)}
			return u.Validate()
		}, MaxName, "显示名称"},
		{"activity", func(n int) error {
			a := Activity{Date: now, Mode: Group, Form: Online, Note: strings.Repeat("记", n)}
			return a.Validate()
		}, MaxNote, "活动记录"},
	}
	for _, tc := range cases {
		if err := tc.check(tc.max); err != nil {
			t.Errorf("%s of %d characters: %v, want accepted", tc.name, tc.max, err)
		}
		err := tc.check(tc.max + 1)
		if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tc.field) {
			t.Errorf("%s of %d characters: %v, want EINVALID naming %s", tc.name, tc.max+1, err, tc.field)
		}
	}
	f := okFinding()
	f.Title = strings.Repeat("x", 15<<20)
	if ErrorCode(f.Validate()) != EINVALID {
		t.Error("a 15 MB title was accepted")
	}
}

func TestClip(t *testing.T) {
	if got := Clip("一二三四五", 3); got != "一二…" {
		t.Errorf("Clip = %q", got)
	}
	if got := Clip("一二三", 3); got != "一二三" {
		t.Errorf("Clip = %q", got)
	}
}

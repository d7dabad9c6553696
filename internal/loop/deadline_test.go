package loop

import (
	"strings"
	"testing"
	"time"

	"tiyan/internal/finding"
)

// TestFeedbackOverNationalDay feeds back on Wednesday 2026-09-30 with 5 working days: the
// deadline skips 国庆 and counts the make-up Saturday, ending 2026-10-13 23:59:59 in Shanghai.
func TestFeedbackOverNationalDay(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		u := e.unit(t, "六安市数据资源局")
		f := e.report(t, finding.Minor)
		f = ok[finding.Finding](t)(e.Feedback(t.Context(), f.ID, Feedback{UnitID: u.ID, Days: 5, Actor: "李强"}))
		want := time.Date(2026, 10, 13, 23, 59, 59, 0, finding.Zone)
		if !f.Deadline.Equal(want) || f.DeadlineNote != "" {
			t.Errorf("deadline = %v (%q), want %v", f.Deadline.In(finding.Zone), f.DeadlineNote, want)
		}
	})
}

func TestDeadlineChoices(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		u := e.unit(t, "裕安区政务服务中心")
		fb := func(sev finding.Severity, f Feedback) (finding.Finding, error) {
			f.UnitID, f.Actor = u.ID, "李强"
			return e.Feedback(c, e.report(t, sev).ID, f)
		}
		cases := []struct {
			sev  finding.Severity
			fb   Feedback
			want string
		}{
			{finding.Blocker, Feedback{}, "2026-10-08"},
			{finding.Major, Feedback{}, "2026-10-13"},
			{finding.Minor, Feedback{}, "2026-10-20"},
			{finding.Advice, Feedback{}, "2026-10-27"},
			{finding.Major, Feedback{Deadline: date(t, "2026-10-09")}, "2026-10-09"},
			{finding.Major, Feedback{Deadline: date(t, "2026-09-30")}, "2026-09-30"},
		}
		for _, tc := range cases {
			f := ok[finding.Finding](t)(fb(tc.sev, tc.fb))
			if got := finding.FormatDate(f.Deadline); got != tc.want {
				t.Errorf("%s %+v: deadline %s, want %s", tc.sev, tc.fb, got, tc.want)
			}
		}
		_, err := fb(finding.Major, Feedback{Deadline: date(t, "2026-09-29")})
		wantCode(t, err, finding.EINVALID)
		_, err = fb(finding.Major, Feedback{Deadline: date(t, "2026-10-09"), Days: 3})
		wantCode(t, err, finding.EINVALID)
		_, err = fb(finding.Major, Feedback{Days: -1})
		wantCode(t, err, finding.EINVALID)
	})
}

// TestDeadlineBounds: working days from 1 to 250 and a date within two years; beyond, the
// loop refuses at once (99999999999 days used to count day by day for ever).
func TestDeadlineBounds(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		u := e.unit(t, "金安区政务服务中心")
		fb := func(f Feedback) (finding.Finding, error) {
			f.UnitID, f.Actor = u.ID, "李强"
			return e.Feedback(t.Context(), e.report(t, finding.Major).ID, f)
		}
		ok[finding.Finding](t)(fb(Feedback{Days: MaxDeadlineDays}))
		ok[finding.Finding](t)(fb(Feedback{Deadline: date(t, "2028-09-30")}))
		for _, f := range []Feedback{{Days: MaxDeadlineDays + 1}, {Days: 99999999999}, {Deadline: date(t, "2028-10-01")}, {Deadline: date(t, "9999-12-31")}} {
			_, err := fb(f)
			wantCode(t, err, finding.EINVALID)
		}
	})
}

// TestDeadlineInUnknownYear counts weekends only in 2027, warns in the log, and says so on the
// finding and its event; it never fails.
func TestDeadlineInUnknownYear(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		e.clock.set(time.Date(2026, 12, 28, 9, 0, 0, 0, finding.Zone))
		u := e.unit(t, "叶集区政务服务中心")
		f := e.report(t, finding.Minor)
		f = ok[finding.Finding](t)(e.Feedback(t.Context(), f.ID, Feedback{UnitID: u.ID, Actor: "李强"}))
		// 10 working days from Monday 12-28: 12-29 … 12-31 (3), 2027-01-01 (4, 元旦 unknown), 1-4 … 1-8 (9), 1-11 (10).
		if finding.FormatDate(f.Deadline) != "2027-01-11" {
			t.Errorf("deadline = %s", finding.FormatDate(f.Deadline))
		}
		if !strings.Contains(f.DeadlineNote, "2027") || !strings.Contains(f.Events[1].Note, f.DeadlineNote) {
			t.Errorf("note = %q, event note = %q", f.DeadlineNote, f.Events[1].Note)
		}
		if !strings.Contains(e.logs.String(), "level=WARN") || !strings.Contains(e.logs.String(), "2027") {
			t.Errorf("log = %q", e.logs.String())
		}
	})
}

// TestOverdueFollowsTheClock derives overdue from the deadline and the injected clock.
func TestOverdueFollowsTheClock(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		u := e.unit(t, "金寨县政务服务中心")
		f := e.report(t, finding.Blocker)
		f = ok[finding.Finding](t)(e.Feedback(c, f.ID, Feedback{UnitID: u.ID, Actor: "李强"}))
		if f.Overdue {
			t.Error("overdue right after feedback")
		}
		e.clock.set(time.Date(2026, 10, 8, 23, 59, 59, 0, finding.Zone))
		if got := ok[finding.Finding](t)(e.Show(c, f.ID)); got.Overdue {
			t.Error("overdue at the last second of the deadline day")
		}
		if n := len(ok[[]finding.Finding](t)(e.Overdue(c, finding.FindingFilter{}))); n != 0 {
			t.Errorf("%d overdue at the deadline", n)
		}
		e.clock.set(time.Date(2026, 10, 9, 0, 0, 1, 0, finding.Zone))
		if got := ok[finding.Finding](t)(e.Show(c, f.ID)); !got.Overdue {
			t.Error("not overdue the day after the deadline")
		}
		list := ok[[]finding.Finding](t)(e.Overdue(c, finding.FindingFilter{UnitID: u.ID}))
		if len(list) != 1 || !list[0].Overdue {
			t.Errorf("overdue list = %+v", list)
		}
		if inbox := ok[[]finding.Finding](t)(e.Inbox(c, u.ID, 10, 0)); len(inbox) != 1 || !inbox[0].Overdue {
			t.Errorf("inbox = %+v", inbox)
		}
		f = ok[finding.Finding](t)(e.Handle(c, f.ID, "已整改", nil, "张三"))
		if f.Overdue {
			t.Error("a handled finding is overdue")
		}
	})
}

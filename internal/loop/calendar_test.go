package loop

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tiyan/internal/finding"
)

func date(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := finding.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestShippedYears(t *testing.T) {
	c := DefaultCalendar()
	if got := c.Years(); len(got) != 2 || got[0] != 2025 || got[1] != 2026 {
		t.Errorf("years = %v, want [2025 2026]", got)
	}
}

// TestNationalDay is the example of CALENDAR.md: fed back on Wednesday 2026-09-30 with 5 working
// days; 10-1 … 10-7 are off, 10-10 (Saturday) is a make-up day, so the deadline is 10-13.
func TestNationalDay(t *testing.T) {
	c := DefaultCalendar()
	from := time.Date(2026, 9, 30, 15, 30, 0, 0, finding.Zone)
	want := []string{"2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13"}
	for n, w := range want {
		got, unknown := c.AddWorkdays(from, n+1)
		if finding.FormatDate(got) != w || len(unknown) != 0 {
			t.Errorf("%d working days after 2026-09-30 = %s (unknown %v), want %s", n+1, finding.FormatDate(got), unknown, w)
		}
	}
}

func TestWorkday(t *testing.T) {
	c := DefaultCalendar()
	cases := []struct {
		day        string
		work, know bool
	}{
		{"2025-01-01", false, true}, // 元旦
		{"2025-01-26", true, true},  // Sunday, make-up day before 春节
		{"2025-02-04", false, true}, // last day of 春节
		{"2025-02-05", true, true},
		{"2025-06-02", false, true}, // 端午 on a Monday
		{"2025-10-08", false, true}, // 国庆 + 中秋
		{"2025-10-11", true, true},  // Saturday, make-up day
		{"2026-02-14", true, true},  // Saturday, make-up day
		{"2026-02-23", false, true}, // Monday, 春节
		{"2026-06-19", false, true}, // 端午
		{"2026-09-20", true, true},  // Sunday, make-up day
		{"2026-09-25", false, true}, // 中秋
		{"2026-10-10", true, true},
		{"2026-10-17", false, true}, // an ordinary Saturday
		{"2027-01-04", true, false}, // Monday in a year the calendar does not know
		{"2027-01-02", false, false},
	}
	for _, tc := range cases {
		work, known := c.Workday(date(t, tc.day))
		if work != tc.work || known != tc.know {
			t.Errorf("%s: work %v known %v, want %v %v", tc.day, work, known, tc.work, tc.know)
		}
	}
}

func TestSpringFestival2026(t *testing.T) {
	// Fed back on Friday 2026-02-13: 2-14 (Saturday) is a make-up day, 2-15 … 2-23 are off.
	got, _ := DefaultCalendar().AddWorkdays(date(t, "2026-02-13"), 2)
	if finding.FormatDate(got) != "2026-02-24" {
		t.Errorf("2 working days after 2026-02-13 = %s, want 2026-02-24", finding.FormatDate(got))
	}
}

func TestUnknownYearCountsWeekends(t *testing.T) {
	got, unknown := DefaultCalendar().AddWorkdays(date(t, "2026-12-30"), 5)
	// 12-31 (Thu) is day 1; 2027: 1-1 (Fri) 2, 1-4 3, 1-5 4, 1-6 5 — weekends only, 元旦 not known.
	if finding.FormatDate(got) != "2027-01-06" || len(unknown) != 1 || unknown[0] != 2027 {
		t.Errorf("5 working days after 2026-12-30 = %s, unknown %v", finding.FormatDate(got), unknown)
	}
}

func TestLoadCalendarAddsYears(t *testing.T) {
	path := filepath.Join(t.TempDir(), "calendar.yaml")
	data := `years:
  - year: 2027
    source: 假设的通知
    holidays: ["01-01", "2027-02-06..2027-02-12"]
    workdays: ["02-20"]
  - year: 2026
    holidays: ["10-01..10-02"]
    workdays: []
`
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadCalendar(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Years(); len(got) != 3 {
		t.Errorf("years = %v", got)
	}
	for day, want := range map[string]bool{"2027-01-01": false, "2027-02-08": false, "2027-02-20": true, "2027-02-22": true,
		"2026-10-05": true, "2026-10-10": false, "2025-10-11": true} {
		if work, known := c.Workday(date(t, day)); work != want || !known {
			t.Errorf("%s: work %v known %v, want %v", day, work, known, want)
		}
	}
}

func TestParseCalendarErrors(t *testing.T) {
	cases := map[string]string{
		"years:\n  - year: 2027\n    holiday: [\"01-01\"]\n":                           "field holiday not found",
		"years:\n  - year: 2027\n    holidays: [\"13-01\"]\n":                          "cal.yaml:3:16: 日期 \"13-01\"",
		"years:\n  - year: 2027\n    holidays: [\"2026-01-01\"]\n":                     "cal.yaml:3:16",
		"years:\n  - year: 2027\n    holidays: [\"02-10..02-01\"]\n":                   "cal.yaml:3:16",
		"years:\n  - year: 2027\n    holidays: [\"01-01\"]\n    workdays: [\"01-01\"]": "cal.yaml:4:16: 2027-01-01 既是放假日又是调休上班日",
		"years:\n  - year: abc\n":                                                      "cal.yaml:2:11: year",
		"years:\n  - year: 2027\n  - year: 2027\n":                                     "cal.yaml:3:11: 2027 年出现了两次",
	}
	for data, want := range cases {
		_, err := ParseCalendar("cal.yaml", []byte(data))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", data, err, want)
		}
	}
}

// walkWorkdays is AddWorkdays the slow way, one day at a time: the reference the fast count
// must agree with.
func walkWorkdays(c *Calendar, from time.Time, n int) time.Time {
	d := finding.Day(from)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if work, _ := c.Workday(d); work {
			n--
		}
	}
	return d
}

func TestAddWorkdaysAgreesWithWalking(t *testing.T) {
	c := DefaultCalendar()
	start := date(t, "2024-12-20")
	for off := 0; off < 800; off += 3 {
		from := start.AddDate(0, 0, off)
		for _, n := range []int{1, 2, 4, 5, 6, 7, 9, 10, 15, 22, 30, 61, 120, 250} {
			got, _ := c.AddWorkdays(from, n)
			if want := walkWorkdays(c, from, n); !got.Equal(want) {
				t.Fatalf("%d working days after %s = %s, want %s", n, finding.FormatDate(from), finding.FormatDate(got), finding.FormatDate(want))
			}
		}
	}
}

// TestAddWorkdaysFarAhead: a million working days (about 3,800 years) is counted by weeks and
// years, not walked day by day; the years without holiday data are all named.
func TestAddWorkdaysFarAhead(t *testing.T) {
	c := DefaultCalendar()
	from := date(t, "2026-01-05")
	got, unknown := c.AddWorkdays(from, 1_000_000)
	if got.Year() < 5800 || got.Year() > 5900 {
		t.Errorf("a million working days after 2026-01-05 = %s, want about 3,830 years on", finding.FormatDate(got))
	}
	if len(unknown) != got.Year()-2026 || unknown[0] != 2027 {
		t.Errorf("unknown years: %d from %v, want every year from 2027 to %d", len(unknown), unknown[:1], got.Year())
	}
}

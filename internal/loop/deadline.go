package loop

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tiyan/internal/finding"
)

// Deadline returns the end (23:59:59, Asia/Shanghai) of the nth working day after from, and a
// note when some of the days fell in a year the calendar does not know, so only weekends were
// skipped there. The note is also logged as a warning.
func (l *Loop) Deadline(ctx context.Context, from time.Time, n int) (time.Time, string) {
	day, unknown := l.cal.AddWorkdays(from, n)
	if len(unknown) == 0 {
		return finding.EndOfDay(day), ""
	}
	years := make([]string, len(unknown))
	for i, y := range unknown {
		years[i] = fmt.Sprint(y)
	}
	note := fmt.Sprintf("日历中没有 %s 年的法定节假日安排，期限只按周末计算，请核对", strings.Join(years, "、"))
	l.log.WarnContext(ctx, "deadline counted without holiday data", "years", unknown, "from", finding.FormatDate(from), "working_days", n)
	return finding.EndOfDay(day), note
}

// DefaultDays returns the working days a unit has for a problem of severity sev.
func (l *Loop) DefaultDays(sev finding.Severity) int {
	if d, ok := l.deadlines[sev]; ok {
		return d
	}
	return l.deadlines[finding.Advice]
}

// Bounds on a deadline given by hand (CLI, web form, API alike): a year of working days is
// more than any rectification takes, and a date further off than two years is a typo.
const (
	MaxDeadlineDays  = 250
	MaxDeadlineYears = 2
)

// deadlineFor works out a deadline from an explicit day, a number of working days, or the
// severity's default, in that order of preference; both day and days set is an error.
func (l *Loop) deadlineFor(ctx context.Context, sev finding.Severity, day time.Time, days int) (time.Time, string, error) {
	now := l.now()
	switch {
	case !day.IsZero() && days != 0:
		return time.Time{}, "", finding.Errorf(finding.EINVALID, "期限只能给一种：具体日期或工作日天数，不能同时给出")
	case days < 0 || days > MaxDeadlineDays:
		return time.Time{}, "", finding.Errorf(finding.EINVALID, "工作日天数应为 1 到 %d 天，收到 %d", MaxDeadlineDays, days)
	case !day.IsZero():
		end := finding.EndOfDay(day)
		if end.Before(now) {
			return time.Time{}, "", finding.Errorf(finding.EINVALID, "期限 %s 已经过去，请给今天或以后的日期", finding.FormatDate(day))
		}
		if latest := finding.EndOfDay(now.AddDate(MaxDeadlineYears, 0, 0)); end.After(latest) {
			return time.Time{}, "", finding.Errorf(finding.EINVALID, "期限 %s 太远：最晚可定到 %s（%d 年内）", finding.FormatDate(day), finding.FormatDate(latest), MaxDeadlineYears)
		}
		return end, "", nil
	case days == 0:
		days = l.DefaultDays(sev)
	}
	end, note := l.Deadline(ctx, now, days)
	return end, note, nil
}

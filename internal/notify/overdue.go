package notify

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"tiyan/internal/finding"
)

// OverdueMessage is one unit's reminder, on the day of now, of its problems past their
// deadline, to the unit's own Slack channel (its SlackChannel; "" falls back to the overdue
// channel). The key has the day in it: one reminder per unit and day, however often the scan
// runs. unit may be the zero Unit for problems not assigned to one.
func OverdueMessage(unit finding.Unit, fs []finding.Finding, now time.Time) Message {
	day := finding.FormatDate(now)
	name := cmp.Or(unit.Name, "未指定单位")
	m := Message{Kind: KindOverdue, Channel: unit.SlackChannel, UnitID: unit.ID,
		Key:   fmt.Sprintf("overdue:%s:unit:%d", day, unit.ID),
		Title: fmt.Sprintf("【超期提醒】%s 有 %d 个问题已超过整改期限", name, len(fs))}
	var b strings.Builder
	for _, f := range fs[:min(len(fs), listed*2)] {
		m.Findings = append(m.Findings, f.ID)
		fmt.Fprintf(&b, "• #%d %s · %s · %s · 期限 %s（已超 %d 天）\n", f.ID, escape(cmp.Or(f.ItemName, f.ItemCode, "（未关联事项）")),
			escape(scrub(f.Title)), f.Severity.Label(), finding.FormatDate(f.Deadline), daysLate(f.Deadline, now))
	}
	if more := len(fs) - listed*2; more > 0 {
		fmt.Fprintf(&b, "……另有 %d 个，见 tiyan 中本单位的待办\n", more)
	}
	b.WriteString("请尽快整改，并在 tiyan 中登记处理结果。")
	m.Text = b.String()
	return m
}

// daysLate counts calendar days from the deadline's day to now's, at least 1: a deadline ends
// with its day, so a finding overdue at all is a day late.
func daysLate(deadline, now time.Time) int {
	d := int(finding.Day(now).Sub(finding.Day(deadline)).Hours() / 24)
	return max(d, 1)
}

package notify

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"tiyan/internal/finding"
)

// listed caps each list of findings in a digest; the run's page has them all.
const listed = 15

// digestCounts is what a digest counts of a run's findings.
type digestCounts struct {
	problems   []finding.Finding // every problem sighted, not dismissed
	fresh      []finding.Finding // first seen in this run, not a recurrence
	recurred   []finding.Finding // first seen in this run, re-opening a verified one (回潮)
	praise     int
	shared     int // site and template findings among problems, for the portal operator
	dismissed  int // sighted again after 不予采纳: counted, not reported
	byCategory map[finding.Category]int
	bySeverity map[finding.Severity]int
}

// countRun sorts a run's findings into what the digest says.
func countRun(run finding.Run, fs []finding.Finding) digestCounts {
	c := digestCounts{byCategory: map[finding.Category]int{}, bySeverity: map[finding.Severity]int{}}
	for _, f := range fs {
		switch {
		case f.Kind == finding.Praise:
			c.praise++
			continue
		case f.Status == finding.Dismissed:
			c.dismissed++
			continue
		}
		c.problems = append(c.problems, f)
		if f.Scope.Shared() {
			c.shared++
		}
		c.byCategory[f.Category]++
		c.bySeverity[f.Severity]++
		// A finding is new to this run when it was first seen in it.
		if f.FirstSeen.Before(run.Started) {
			continue
		}
		if f.RecurrenceOf != 0 {
			c.recurred = append(c.recurred, f)
		} else {
			c.fresh = append(c.fresh, f)
		}
	}
	bySeverity := func(a, b finding.Finding) int {
		return cmp.Or(cmp.Compare(severityRank(a.Severity), severityRank(b.Severity)), cmp.Compare(a.ID, b.ID))
	}
	slices.SortFunc(c.fresh, bySeverity)
	slices.SortFunc(c.recurred, bySeverity)
	return c
}

// DigestMessage is the digest of a run in Chinese: counts by category and severity, the new
// and the recurring (回潮) findings with their item and unit, and the prober's failures as a
// count (their detail goes to operations, OpsMessage). It names no person and quotes no
// finding's detail, evidence or page address.
func DigestMessage(run finding.Run, fs []finding.Finding) Message {
	c := countRun(run, fs)
	m := Message{Kind: KindDigest, Key: "digest:run:" + run.ID, RunID: run.ID, Title: digestTitle(run, c)}
	var b strings.Builder
	writeRunLine(&b, run)
	if len(c.problems) > 0 {
		fmt.Fprintf(&b, "*按类别* %s\n", categoryCounts(c.byCategory))
		fmt.Fprintf(&b, "*按严重程度* %s\n", severityCounts(c.bySeverity))
	}
	m.Findings = append(m.Findings, writeList(&b, fmt.Sprintf("新发现 %d 个", len(c.fresh)), c.fresh, false)...)
	m.Findings = append(m.Findings, writeList(&b, fmt.Sprintf("回潮 %d 个（已整改的问题再次出现）", len(c.recurred)), c.recurred, true)...)
	if n := c.shared; n > 0 {
		fmt.Fprintf(&b, "*站点/模板问题 %d 个*：整个站点或共用页面模板的问题，每个只计一次，由%s统一整改。\n", n, finding.Operator)
	}
	if again := len(c.problems) - len(c.fresh) - len(c.recurred); again > 0 {
		fmt.Fprintf(&b, "*再次发现 %d 个*：此前已发现、尚在整改中的问题，本次仍然存在。\n", again)
	}
	if c.praise > 0 {
		fmt.Fprintf(&b, "*好经验 %d 条*\n", c.praise)
	}
	if len(run.Errors) > 0 {
		fmt.Fprintf(&b, "*体验程序出错 %d 处*：这些页面本次未能体验完，不计为门户问题，详情已发往运维频道。\n", len(run.Errors))
	}
	m.Text = b.String()
	return m
}

func digestTitle(run finding.Run, c digestCounts) string {
	head := fmt.Sprintf("【体验汇总】%s %s", runKindLabel(run.Kind), finding.FormatTime(run.Started))
	if len(c.problems) == 0 {
		return head + "：未发现问题"
	}
	title := fmt.Sprintf("%s：%d 个问题，其中新发现 %d 个", head, len(c.problems), len(c.fresh))
	if len(c.recurred) > 0 {
		title += fmt.Sprintf("，回潮 %d 个", len(c.recurred))
	}
	return title
}

// writeRunLine says which run it was and how far it got.
func writeRunLine(b *strings.Builder, run finding.Run) {
	parts := []string{"*运行* " + escape(run.ID), runKindLabel(run.Kind), runStatusLabel(run.Status)}
	var chs []string
	for _, ch := range run.Channels {
		chs = append(chs, finding.Channel(ch).Label())
	}
	if len(chs) > 0 {
		parts = append(parts, strings.Join(chs, "、"))
	}
	if run.Total > 0 {
		parts = append(parts, fmt.Sprintf("已体验页面 %d/%d", run.Done, run.Total))
	}
	if !run.Finished.IsZero() {
		parts = append(parts, fmt.Sprintf("%s 至 %s", finding.FormatTime(run.Started), finding.FormatTime(run.Finished)))
	}
	b.WriteString(strings.Join(parts, " · ") + "\n")
}

// writeList writes a heading and up to listed findings, and returns the finding IDs it names
// (the recurrences' originals too), for links.
func writeList(b *strings.Builder, heading string, fs []finding.Finding, recurrence bool) []int64 {
	if len(fs) == 0 {
		return nil
	}
	fmt.Fprintf(b, "*%s*\n", heading)
	var ids []int64
	for _, f := range fs[:min(len(fs), listed)] {
		b.WriteString(findingLine(f))
		ids = append(ids, f.ID)
		if recurrence {
			fmt.Fprintf(b, " · 原问题 #%d", f.RecurrenceOf)
			ids = append(ids, f.RecurrenceOf)
		}
		b.WriteString("\n")
	}
	if more := len(fs) - listed; more > 0 {
		fmt.Fprintf(b, "……另有 %d 个，见运行页面\n", more)
	}
	return ids
}

// findingLine is one finding as a list item: number, item, unit, severity, channel and title.
// Only these fields: the detail, URL and evidence may carry what a page showed.
func findingLine(f finding.Finding) string {
	parts := []string{fmt.Sprintf("• #%d %s", f.ID, escape(cmp.Or(f.ItemName, f.ItemCode, "（未关联事项）")))}
	if f.Scope.Shared() {
		parts = []string{fmt.Sprintf("• #%d %s", f.ID, f.Scope.Label()), escape(cmp.Or(f.Unit, finding.Operator)), affectedText(f)}
	} else {
		parts = append(parts, escape(cmp.Or(f.Unit, "未指定单位")))
	}
	parts = append(parts, f.Severity.Label())
	if f.Channel != "" {
		parts = append(parts, f.Channel.Label())
	}
	parts = append(parts, escape(scrub(f.Title))) // an officer may have typed anything
	return strings.Join(parts, " · ")
}

// affectedNamed is how many affected items a digest line names; the finding's page lists all.
const affectedNamed = 3

// affectedText is "影响事项 N 个" with the first few items' names.
func affectedText(f finding.Finding) string {
	items := finding.AffectedItems(f.Measured)
	var names []string
	for _, it := range items[:min(len(items), affectedNamed)] {
		names = append(names, escape(cmp.Or(it.Name, it.Code)))
	}
	text := fmt.Sprintf("影响事项 %d 个", f.Affected)
	if len(names) > 0 {
		more := ""
		if f.Affected > len(names) {
			more = "等"
		}
		text += "（" + strings.Join(names, "、") + more + "）"
	}
	return text
}

// Category and severity orders as people read them.
var (
	categoryOrder = []finding.Category{finding.CatChannel, finding.CatGuide, finding.CatLayout, finding.CatService, finding.CatSuggestion}
	severityOrder = []finding.Severity{finding.Blocker, finding.Major, finding.Minor, finding.Advice}
)

func severityRank(s finding.Severity) int {
	if i := slices.Index(severityOrder, s); i >= 0 {
		return i
	}
	return len(severityOrder)
}

func categoryCounts(m map[finding.Category]int) string {
	return counts(categoryOrder, m, finding.Category.Label)
}

func severityCounts(m map[finding.Severity]int) string {
	return counts(severityOrder, m, finding.Severity.Label)
}

// counts writes "办事指南 5 · 页面布局 4" in order, then any value not in order, skipping zeros.
func counts[T ~string](order []T, m map[T]int, label func(T) string) string {
	keys := append([]T(nil), order...)
	var extra []T
	for k := range m {
		if !slices.Contains(order, k) {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	var parts []string
	for _, k := range append(keys, extra...) {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", label(k), m[k]))
		}
	}
	return strings.Join(parts, " · ")
}

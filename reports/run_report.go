package reports

import (
	"bytes"
	"cmp"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"tiyan/internal/finding"
)

// RunReport is one sweep or run, as the run report shows it.
type RunReport struct {
	Run      finding.Run
	Findings []RunFinding
	// BaseURL is where the web UI answers, e.g. https://tiyan.example.gov.cn; each finding then
	// links to its page there. Empty for a report that stands alone.
	BaseURL string
	// Generated is when the report was made, printed in its footer.
	Generated time.Time
}

// RunFinding is a finding sighted in the run.
type RunFinding struct {
	Finding finding.Finding
	// Screenshot is the annotated screenshot (PNG) inlined as a data URL; nil for none.
	Screenshot []byte
	// ScreenshotURL, when set, is shown instead of inlining Screenshot: the web UI links
	// /evidence/ID, because inlining a whole sweep's screenshots makes a page of tens of MB.
	ScreenshotURL string
	// New means the run opened the finding rather than seeing it again.
	New bool
}

//go:embed templates/run_report.html
var runReportHTML string

var runReportTmpl = template.Must(template.New("run_report").Parse(runReportHTML))

// WriteRunReport writes r as one self-contained HTML page (zh-CN, inline CSS, screenshots as
// data URLs, no scripts, no external requests) to w. Nothing is written if rendering fails.
func WriteRunReport(w io.Writer, r RunReport) error {
	var buf bytes.Buffer
	if err := runReportTmpl.Execute(&buf, newRunReportView(r)); err != nil {
		return fmt.Errorf("render run report %s: %w", r.Run.ID, err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("write run report %s: %w", r.Run.ID, err)
	}
	return nil
}

// unavailableRules are the rules that mean an item-channel could not be used at all: they
// count against a channel's availability (可用率).
var unavailableRules = []string{"CHANNEL-UNREACHABLE", "CHANNEL-HTTP-ERROR", "CHANNEL-ERROR-PAGE"}

// severityOrder and categoryOrder fix the order of rows and columns, most urgent first.
var (
	severityOrder = []finding.Severity{finding.Blocker, finding.Major, finding.Minor, finding.Advice}
	categoryOrder = []finding.Category{finding.CatChannel, finding.CatGuide, finding.CatLayout, finding.CatService, finding.CatSuggestion}
)

// runReportView is RunReport with everything the template would otherwise compute decided.
type runReportView struct {
	Run        runSummary
	Errors     []string
	Channels   []string // channel labels, the columns of the item table
	Available  []availability
	Severities []string // severity labels, the columns of the count table
	Counts     []countRow
	Total      countRow
	Items      []itemRow
	Shared     []findingCard // site and template findings, for the portal operator
	Findings   []findingCard
	New        int
	Generated  string
}

type runSummary struct {
	ID, Kind, Site, Channels, Status string
	Started, Finished, Duration      string
	Total, Done                      int
}

type availability struct {
	Channel     string
	Probed      int
	Unavailable int
	Rate        string // "98.5%", "—" when nothing was probed
}

type countRow struct {
	Label  string
	Counts []int // by severityOrder
	Total  int
}

type itemRow struct {
	Code, Name, Unit string
	Anchor           string // the first of its findings in the report
	Counts           []int  // by the report's channels
}

type findingCard struct {
	ID                               int64
	Anchor                           string
	Severity, SeverityClass          string
	Category, Status, Channel        string
	Rule, Title, Detail              string
	ItemCode, ItemName, Unit         string
	Scope                            string // 站点问题 or 模板问题; "" for an item's finding
	Affected                         int
	AffectedItems                    []finding.AffectedItem
	URL, Fingerprint, Link           string
	New                              bool
	RecurrenceOf                     int64
	Screenshot                       template.URL
	Alt                              string
	Phone                            bool // an H5 screenshot: shown at phone width
	FirstSeen, LastSeen, Occurrences string
}

func newRunReportView(r RunReport) runReportView {
	fs := sortedFindings(r.Findings)
	chs := reportChannels(r.Run, fs)
	v := runReportView{
		Run:        newRunSummary(r.Run),
		Errors:     r.Run.Errors,
		Available:  availabilityByChannel(r.Run, fs),
		Severities: labels(severityOrder),
		Items:      itemRows(fs, chs),
		Generated:  r.Generated.In(shanghai).Format("2006-01-02 15:04:05"),
	}
	for _, c := range chs {
		v.Channels = append(v.Channels, c.Label())
	}
	v.Counts, v.Total = countRows(fs)
	for _, f := range fs {
		if f.New {
			v.New++
		}
		card := newFindingCard(f, r.BaseURL)
		v.Findings = append(v.Findings, card)
		if card.Scope != "" {
			v.Shared = append(v.Shared, card)
		}
	}
	return v
}

func newRunSummary(run finding.Run) runSummary {
	s := runSummary{
		ID: run.ID, Kind: RunKindLabel(run.Kind), Site: run.Site, Status: RunStatusLabel(run.Status),
		Started: formatSeconds(run.Started), Finished: formatSeconds(run.Finished),
		Total: run.Total, Done: run.Done,
	}
	var chs []string
	for _, c := range run.Channels {
		chs = append(chs, finding.Channel(c).Label())
	}
	s.Channels = strings.Join(chs, "、")
	switch {
	case run.Finished.IsZero():
		s.Finished, s.Duration = "尚未结束", "—"
	default:
		s.Duration = longDuration(run.Finished.Sub(run.Started))
	}
	return s
}

// sortedFindings orders findings the way they are read: most severe first, new before seen
// again, then by item and channel.
func sortedFindings(in []RunFinding) []RunFinding {
	fs := slices.Clone(in)
	slices.SortStableFunc(fs, func(a, b RunFinding) int {
		return cmp.Or(
			cmp.Compare(rank(severityOrder, a.Finding.Severity), rank(severityOrder, b.Finding.Severity)),
			compareBool(b.New, a.New),
			cmp.Compare(a.Finding.ItemCode, b.Finding.ItemCode),
			cmp.Compare(a.Finding.Channel, b.Finding.Channel),
			cmp.Compare(a.Finding.ID, b.Finding.ID),
		)
	})
	return fs
}

// reportChannels are the run's channels, then any other channel a finding names.
func reportChannels(run finding.Run, fs []RunFinding) []finding.Channel {
	var chs []finding.Channel
	for _, c := range run.Channels {
		chs = append(chs, finding.Channel(c))
	}
	for _, f := range fs {
		if c := f.Finding.Channel; c != "" && !slices.Contains(chs, c) {
			chs = append(chs, c)
		}
	}
	return chs
}

// availabilityByChannel compares, per channel, the item-channels probed with those a channel
// rule found unusable. Dismissed findings (误报 and the like) do not count against a channel.
func availabilityByChannel(run finding.Run, fs []RunFinding) []availability {
	down := map[finding.Channel]map[string]bool{}
	for _, rf := range fs {
		f := rf.Finding
		if !slices.Contains(unavailableRules, f.Rule) || f.Status == finding.Dismissed {
			continue
		}
		if down[f.Channel] == nil {
			down[f.Channel] = map[string]bool{}
		}
		down[f.Channel][f.ItemCode] = true
	}
	out := make([]availability, 0, len(run.Channels))
	for i, c := range run.Channels {
		a := availability{Channel: finding.Channel(c).Label(), Probed: probedOn(run, i)}
		a.Unavailable = min(len(down[finding.Channel(c)]), a.Probed)
		a.Rate = rate(a.Probed-a.Unavailable, a.Probed)
		out = append(out, a)
	}
	return out
}

// probedOn is how many item-channels of the run's i-th channel were probed. The store keeps
// only the run's total, and a sweep hands out work item by item, each item on every channel in
// order, so the total splits evenly with any remainder on the earlier channels.
func probedOn(run finding.Run, i int) int {
	n := len(run.Channels)
	if n == 0 {
		return 0
	}
	per := run.Done / n
	if i < run.Done%n {
		per++
	}
	return per
}

func rate(ok, of int) string {
	if of == 0 {
		return "—"
	}
	return strconv.FormatFloat(100*float64(ok)/float64(of), 'f', 1, 64) + "%"
}

// countRows counts findings by category (rows) and severity (columns).
func countRows(fs []RunFinding) ([]countRow, countRow) {
	byCat := map[finding.Category]*countRow{}
	total := countRow{Label: "合计", Counts: make([]int, len(severityOrder))}
	var cats []finding.Category
	for _, rf := range fs {
		c := rf.Finding.Category
		row := byCat[c]
		if row == nil {
			row = &countRow{Label: c.Label(), Counts: make([]int, len(severityOrder))}
			byCat[c] = row
			cats = append(cats, c)
		}
		if i := slices.Index(severityOrder, rf.Finding.Severity); i >= 0 {
			row.Counts[i]++
			total.Counts[i]++
		}
		row.Total++
		total.Total++
	}
	slices.SortFunc(cats, func(a, b finding.Category) int {
		return cmp.Or(cmp.Compare(rank(categoryOrder, a), rank(categoryOrder, b)), cmp.Compare(a, b))
	})
	rows := make([]countRow, 0, len(cats))
	for _, c := range cats {
		rows = append(rows, *byCat[c])
	}
	return rows, total
}

// itemRows counts each item's findings per channel, items with the most findings first.
func itemRows(fs []RunFinding, chs []finding.Channel) []itemRow {
	byCode := map[string]*itemRow{}
	var order []string
	for _, rf := range fs {
		f := rf.Finding
		if f.Scope.Shared() {
			continue // the site's or a template's, listed apart
		}
		row := byCode[f.ItemCode]
		if row == nil {
			row = &itemRow{Code: f.ItemCode, Name: f.ItemName, Unit: f.Unit, Anchor: findingAnchor(f.ID), Counts: make([]int, len(chs))}
			byCode[f.ItemCode] = row
			order = append(order, f.ItemCode)
		}
		if i := slices.Index(chs, f.Channel); i >= 0 {
			row.Counts[i]++
		}
	}
	rows := make([]itemRow, 0, len(order))
	for _, code := range order {
		rows = append(rows, *byCode[code])
	}
	slices.SortStableFunc(rows, func(a, b itemRow) int {
		return cmp.Or(cmp.Compare(sum(b.Counts), sum(a.Counts)), cmp.Compare(a.Code, b.Code))
	})
	return rows
}

func newFindingCard(rf RunFinding, baseURL string) findingCard {
	f := rf.Finding
	c := findingCard{
		ID: f.ID, Anchor: findingAnchor(f.ID), Severity: f.Severity.Label(), SeverityClass: "sev-" + string(f.Severity),
		Category: f.Category.Label(), Status: statusLabel(f), Channel: f.Channel.Label(),
		Rule: f.Rule, Title: f.Title, Detail: f.Detail, ItemCode: f.ItemCode, ItemName: f.ItemName, Unit: f.Unit,
		URL: f.URL, Fingerprint: f.Fingerprint, New: rf.New, RecurrenceOf: f.RecurrenceOf,
		Affected: f.Affected, AffectedItems: finding.AffectedItems(f.Measured),
		Alt:       fmt.Sprintf("问题 #%d 的标注截图：%s", f.ID, f.Title),
		Phone:     f.Channel == finding.H5,
		FirstSeen: formatSeconds(f.FirstSeen), LastSeen: formatSeconds(f.LastSeen), Occurrences: strconv.Itoa(f.Occurrences),
	}
	if f.Scope.Shared() {
		c.Scope = f.Scope.Label()
	}
	if baseURL != "" {
		c.Link = strings.TrimSuffix(baseURL, "/") + "/findings/" + strconv.FormatInt(f.ID, 10)
	}
	// Both URLs are built here, from bytes or from our own route, never from page content, so
	// they are safe to mark; html/template would otherwise refuse data: URLs.
	switch {
	case rf.ScreenshotURL != "":
		c.Screenshot = template.URL(rf.ScreenshotURL)
	case len(rf.Screenshot) > 0:
		c.Screenshot = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(rf.Screenshot))
	}
	return c
}

// statusLabel is the finding's status now, with 超期 when its deadline has passed.
func statusLabel(f finding.Finding) string {
	if f.Kind == finding.Praise {
		return finding.Praise.Label()
	}
	if f.Overdue {
		return f.Status.Label() + "（已超期）"
	}
	return f.Status.Label()
}

func findingAnchor(id int64) string { return "finding-" + strconv.FormatInt(id, 10) }

// RunKindLabel names a run kind (finding.RunSweep, …) in Chinese.
func RunKindLabel(kind string) string {
	switch kind {
	case finding.RunSweep:
		return "全量巡检"
	case finding.RunScenario:
		return "场景体验"
	case finding.RunVerify:
		return "整改复核"
	}
	return kind
}

// RunStatusLabel names a run status (finding.RunDone, …) in Chinese.
func RunStatusLabel(status string) string {
	switch status {
	case finding.RunRunning:
		return "进行中"
	case finding.RunDone:
		return "已完成"
	case finding.RunFailed:
		return "未完成（出错中止）"
	}
	return status
}

func formatSeconds(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(shanghai).Format("2006-01-02 15:04:05")
}

// longDuration is humanDuration for runs that may take hours.
func longDuration(d time.Duration) string {
	if d < time.Hour {
		return humanDuration(d)
	}
	d = d.Round(time.Minute)
	return fmt.Sprintf("%d 小时 %d 分", int(d.Hours()), int(d.Minutes())%60)
}

func labels[T interface{ Label() string }](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Label()
	}
	return out
}

// rank is v's place in order; values not in it go last.
func rank[T comparable](order []T, v T) int {
	if i := slices.Index(order, v); i >= 0 {
		return i
	}
	return len(order)
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func sum(ns []int) int {
	t := 0
	for _, n := range ns {
		t += n
	}
	return t
}

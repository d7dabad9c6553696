package web

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"tiyan/internal/finding"
)

// This file is the view-model layer shared by the pages: domain values turned into the
// strings, labels and CSS classes templates print, so templates stay free of logic.

// option is one <option> of a filter's <select>.
type option struct {
	Value, Label string
	Selected     bool
}

// enumOptions lists vs as options with their Chinese labels, the one equal to selected marked.
func enumOptions[T interface {
	~string
	Label() string
}](vs []T, selected T) []option {
	out := make([]option, 0, len(vs))
	for _, v := range vs {
		out = append(out, option{Value: string(v), Label: v.Label(), Selected: v == selected})
	}
	return out
}

// The domain's values in the order people read them: most urgent first, the loop in order.
var (
	statusOrder   = []finding.Status{finding.Found, finding.FedBack, finding.Handled, finding.Verified, finding.Dismissed}
	severityOrder = []finding.Severity{finding.Blocker, finding.Major, finding.Minor, finding.Advice}
	categoryOrder = []finding.Category{finding.CatChannel, finding.CatGuide, finding.CatLayout, finding.CatService, finding.CatSuggestion}
	channelOrder  = []finding.Channel{finding.PC, finding.H5, finding.Offline}
	sourceOrder   = []finding.Source{finding.SourceProbe, finding.SourceOfficer, finding.SourceSurvey}
)

// findingRow is a finding as one entry of a list.
type findingRow struct {
	ID                      int64
	URL                     string
	Title                   string
	Severity, SeverityClass string
	Status, StatusClass     string
	Praise                  bool
	Category, Channel       string
	Source                  string
	ItemName, ItemCode      string
	Unit                    string
	// Scope is 站点问题 or 模板问题 for a finding of the whole site or a page template, for the
	// portal operator, affecting Affected items; "" for an item's finding.
	Scope    string
	Affected int
	Deadline string // the day, "" when none
	Overdue  bool
	LastSeen string
}

func (s *Server) findingRow(f finding.Finding, now time.Time) findingRow {
	return findingRow{
		ID: f.ID, URL: s.path("/findings/" + strconv.FormatInt(f.ID, 10)), Title: f.Title,
		Severity: f.Severity.Label(), SeverityClass: "sev-" + string(f.Severity),
		Status: statusText(f), StatusClass: "st-" + string(f.Status), Praise: f.Kind == finding.Praise,
		Category: f.Category.Label(), Channel: channelText(f.Channel), Source: f.Source.Label(),
		ItemName: f.ItemName, ItemCode: f.ItemCode, Unit: f.Unit, Scope: sharedScopeText(f.Scope), Affected: f.Affected,
		Deadline: finding.FormatDate(f.Deadline), Overdue: f.OverdueAt(now), LastSeen: finding.FormatTime(f.LastSeen),
	}
}

// sharedScopeText names a site or template scope for people; "" for an item's finding.
func sharedScopeText(s finding.Scope) string {
	if !s.Shared() {
		return ""
	}
	return s.Label()
}

// statusText is the status people see: a praise is not in the loop, so it has none.
func statusText(f finding.Finding) string {
	if f.Kind == finding.Praise {
		return finding.Praise.Label()
	}
	return f.Status.Label()
}

func channelText(c finding.Channel) string {
	if c == "" {
		return "不适用"
	}
	return c.Label()
}

// evidenceKindLabel names an evidence kind for people.
func evidenceKindLabel(kind string) string {
	switch kind {
	case finding.EvidenceScreenshot:
		return "标注截图"
	case finding.EvidenceDOM:
		return "页面片段"
	case finding.EvidenceRequests:
		return "网络请求记录"
	case finding.EvidenceMeasured:
		return "测量值"
	case finding.EvidenceLog:
		return "运行日志"
	case finding.EvidencePhoto:
		return "现场照片"
	case finding.EvidenceFile:
		return "附件"
	}
	return kind
}

// humanSize writes a byte count the way a file manager does.
func humanSize(n int) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d 字节", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
}

// measure is one measured value.
type measure struct{ Name, Value string }

// measures lists measured values by name; strings print as they are, anything else as JSON.
func measures(m map[string]any) []measure {
	out := make([]measure, 0, len(m))
	for k, v := range m {
		if k == finding.AffectedKey {
			continue // listed as the affected items, not as one long value
		}
		text, ok := v.(string)
		if !ok {
			b, err := json.Marshal(v)
			if err != nil {
				b = []byte(fmt.Sprint(v))
			}
			text = string(b)
		}
		out = append(out, measure{Name: k, Value: text})
	}
	slices.SortFunc(out, func(a, b measure) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// clip cuts s to at most n bytes on a character boundary; truncated says whether it did.
func clip(s string, n int) (out string, truncated bool) {
	if len(s) <= n {
		return s, false
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n], true
}

// newest returns the newest evidence of f for which keep holds.
func newest(evs []finding.Evidence, keep func(finding.Evidence) bool) (finding.Evidence, bool) {
	var best finding.Evidence
	found := false
	for _, e := range evs {
		if !keep(e) {
			continue
		}
		if !found || e.Created.After(best.Created) || (e.Created.Equal(best.Created) && e.ID > best.ID) {
			best, found = e, true
		}
	}
	return best, found
}

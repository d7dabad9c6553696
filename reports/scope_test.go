package reports

import (
	"strings"
	"testing"
	"time"

	"tiyan/internal/finding"
)

// TestRunReportSharedFindings: a template finding is listed under 站点与模板问题 for the portal
// operator with its affected items, and is not an item in the 事项一览 table.
func TestRunReportSharedFindings(t *testing.T) {
	r := sweepReport(t)
	seen := runStart.Add(10 * time.Minute)
	tmpl := finding.Finding{
		ID: 8, Kind: finding.Problem, Status: finding.Found, Rule: "LAYOUT-SMALL-TEXT", Category: finding.CatLayout,
		Severity: finding.Minor, Source: finding.SourceProbe, Channel: finding.PC, Scope: finding.ScopeTemplate, Affected: 2,
		Title: "正文字号过小（2 个事项的页面相同）", Fingerprint: "fp-template", Occurrences: 1, FirstSeen: seen, LastSeen: seen,
		Measured: map[string]any{finding.AffectedKey: []finding.AffectedItem{{Code: "A1", Name: "甲事项"}, {Code: "B2", Name: "乙事项"}}},
	}
	r.Findings = append(r.Findings, RunFinding{Finding: tmpl, New: true})
	v := newRunReportView(r)
	for _, row := range v.Items {
		if row.Code == "" {
			t.Errorf("the template finding is an item row: %+v", row)
		}
	}
	if len(v.Shared) != 1 || v.Shared[0].Scope != "模板问题" || v.Shared[0].Affected != 2 {
		t.Fatalf("shared findings = %+v", v.Shared)
	}
	out := renderRun(t, r)
	for _, want := range []string{
		`<h2 id="shared">站点与模板问题</h2>`,
		`<td>模板问题</td><td>PC 端</td><td class="num">2</td>`,
		`<dt>范围</dt><dd>模板问题（门户运营方）</dd>`,
		`<li>乙事项 <code class="muted">B2</code></li>`,
		`<dt>责任单位</dt><dd>门户运营方</dd>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

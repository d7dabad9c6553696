package storetest

import (
	"testing"
	"time"

	"tiyan/internal/finding"
)

// templateSighting is a template finding of run seen at t0+offset, affecting the given items.
func templateSighting(run string, offset time.Duration, items ...finding.AffectedItem) finding.Sighting {
	return finding.Sighting{
		Rule: "LAYOUT-SMALL-TEXT", Title: "办事指南模板正文字号过小", Detail: "所有办事指南页面正文字号小于 12px",
		Category: finding.CatLayout, Severity: finding.Minor, Channel: finding.PC,
		URL: "https://www.ahzwfw.gov.cn/guide", Fingerprint: "fp-template", Source: finding.SourceProbe, RunID: run,
		Scope: finding.ScopeTemplate, Affected: len(items),
		Measured: map[string]any{finding.AffectedKey: items, finding.LocatorKey: "page"}, SeenAt: t0.Add(offset),
	}
}

// testIngestScope: a template finding keeps its scope, its count and list of affected items and
// no unit; seen again it is the same finding with the new count; an item's finding is of scope
// item.
func testIngestScope(t *testing.T, s finding.Store) {
	c := ctx(t)
	a, b, d := finding.AffectedItem{Code: "A1", Name: "甲事项"}, finding.AffectedItem{Code: "B2", Name: "乙事项"}, finding.AffectedItem{Code: "C3", Name: "丙事项"}
	res := ingest(t, s, finding.SightingGroup{Sightings: []finding.Sighting{templateSighting("run-1", 0, a, b)}})
	f := must[finding.Finding](t)(s.Finding(c, res[0].FindingID))
	if f.Scope != finding.ScopeTemplate || f.Affected != 2 || f.ItemCode != "" || f.UnitID != 0 || f.Unit != "" {
		t.Fatalf("template finding = scope %q affected %d item %q unit %d %q", f.Scope, f.Affected, f.ItemCode, f.UnitID, f.Unit)
	}
	if got := finding.AffectedItems(f.Measured); len(got) != 2 || got[1] != b {
		t.Errorf("affected items = %+v", got)
	}
	again := ingest(t, s, finding.SightingGroup{Sightings: []finding.Sighting{templateSighting("run-2", 24*time.Hour, a, b, d)}})
	if again[0].New || again[0].FindingID != f.ID {
		t.Fatalf("seen again = %+v, want the same finding %d", again[0], f.ID)
	}
	f = must[finding.Finding](t)(s.Finding(c, f.ID))
	if f.Affected != 3 || len(finding.AffectedItems(f.Measured)) != 3 || f.Occurrences != 2 {
		t.Errorf("after the second sweep: affected %d, list %d, occurrences %d; want 3, 3, 2", f.Affected, len(finding.AffectedItems(f.Measured)), f.Occurrences)
	}
	list := must[[]finding.Finding](t)(s.Findings(c, finding.FindingFilter{}))
	scopes := map[finding.Scope]int{}
	for _, l := range list {
		scopes[l.Scope]++
	}
	item := ingest(t, s, group(t, s, sighting("fp-item-scope", "run-1", 0)))
	if g := must[finding.Finding](t)(s.Finding(c, item[0].FindingID)); g.Scope != finding.ScopeItem || g.Affected != 0 {
		t.Errorf("an item's finding: scope %q affected %d, want item and 0", g.Scope, g.Affected)
	}
	if scopes[finding.ScopeTemplate] != 1 {
		t.Errorf("Findings lists scopes %v, want the template finding with its scope", scopes)
	}
}

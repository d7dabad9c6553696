package web

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"tiyan/internal/finding"
)

// templateSighting is a template finding of the guide template on n items of 六安.
func templateSighting(n int) finding.Sighting {
	var items []finding.AffectedItem
	for i := range n {
		items = append(items, finding.AffectedItem{Code: fmt.Sprintf("1134150000000000000000%04d", i), Name: fmt.Sprintf("模板事项%d", i)})
	}
	return finding.Sighting{
		Rule: "LAYOUT-SMALL-TEXT", Title: "正文字号过小（12 个事项的页面相同）", Detail: "这是页面模板的问题",
		Category: finding.CatLayout, Severity: finding.Minor, Channel: finding.PC, Jurisdiction: "341500",
		URL: "http://127.0.0.1:18090/guide", Fingerprint: "fp-web-template", RunID: "night-1",
		Scope: finding.ScopeTemplate, Affected: n, SeenAt: monday,
		Measured: map[string]any{finding.AffectedKey: items, finding.LocatorKey: "page", "min_px": 10},
	}
}

// TestWebShowsTemplateFindings: the inbox shows a template finding as 模板问题 for the portal
// operator with the number of items it affects, and its page lists them; a window unit does not
// see it.
func TestWebShowsTemplateFindings(t *testing.T) {
	fx := newFixture(t)
	id := fx.ingest(t, templateSighting(12))[0]
	inbox := fx.staff.get(t, "/findings")
	if !slices.Contains(listed(t, inbox.body), id) {
		t.Fatalf("六安 staff do not see the template finding #%d", id)
	}
	inbox.has(t, `<span class="badge scope">模板问题</span>`, `<dd>影响事项 12 个</dd>`, `<dd>门户运营方</dd>`)
	page := fx.staff.get(t, fmt.Sprintf("/findings/%d", id))
	page.has(t, `<span class="badge scope">模板问题</span>`, `影响事项（12 个）`, `<code>11341500000000000000000011</code>`, `模板事项11`, `模板问题（门户运营方）`, `<code>min_px</code>`)
	page.lacks(t, `<code>affected_items</code>`)
	if r := fx.unitSCJGJClient.get(t, fmt.Sprintf("/findings/%d", id)); r.status != http.StatusNotFound {
		t.Errorf("a window unit sees the template finding: %d", r.status)
	}
}

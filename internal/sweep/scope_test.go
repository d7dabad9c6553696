package sweep

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"tiyan/internal/finding"
	"tiyan/scenarios"
)

// itemFinding is a finding of rule at locator on item i's page on ch.
func itemFinding(rule, locator string, i int, ch scenarios.Channel) Finding {
	code := fmt.Sprintf("ITEM%04d", i)
	return Finding{Rule: rule, Severity: "minor", Category: "layout", ItemCode: code, ItemName: "事项" + code,
		Unit: "某局", Channel: ch, URL: "http://portal/guide?ssqdCode=" + code, Title: "标题", Detail: "说明",
		Fingerprint: Fingerprint(rule, code, ch, locator), Scope: finding.ScopeItem,
		Evidence: Evidence{Locator: locator, PNG: []byte("png-" + code)}}
}

// thousandItems are the findings of a 1,000-item portal on two channels: small text in the guide
// template on every PC page, no elder mode anywhere on H5, a contrast problem of the shared
// header on 700 PC pages (below the 80 % share), and overflow on three pages.
func thousandItems() map[int][]Finding {
	byItem := map[int][]Finding{}
	for i := range 1000 {
		byItem[i] = append(byItem[i], itemFinding("LAYOUT-SMALL-TEXT", "page", i, scenarios.PC),
			itemFinding("LAYOUT-NO-ELDER-MODE", "elder-mode", i, scenarios.H5))
		if i%10 < 7 {
			byItem[i] = append(byItem[i], itemFinding("A11Y-color-contrast", "header .tip", i, scenarios.PC))
		}
		if i == 3 || i == 500 || i == 997 {
			byItem[i] = append(byItem[i], itemFinding("LAYOUT-OVERFLOW", "page", i, scenarios.H5))
		}
	}
	return byItem
}

func countRules(fs []Finding) map[string]int {
	n := map[string]int{}
	for _, f := range fs {
		n[f.Rule]++
	}
	return n
}

func TestGroupThousandItems(t *testing.T) {
	var all []Finding
	for i := range 1000 {
		all = append(all, thousandItems()[i]...)
	}
	out := Group(all, map[scenarios.Channel]int{scenarios.PC: 1000, scenarios.H5: 1000}, 0, 0)
	n := countRules(out)
	if n["LAYOUT-SMALL-TEXT"] != 1 || n["LAYOUT-NO-ELDER-MODE"] != 1 {
		t.Fatalf("the template defect on every page gave %d findings and the site one %d; want one each", n["LAYOUT-SMALL-TEXT"], n["LAYOUT-NO-ELDER-MODE"])
	}
	if n["A11Y-color-contrast"] != 700 || n["LAYOUT-OVERFLOW"] != 3 {
		t.Errorf("item findings: %d contrast (want 700, below the share), %d overflow (want 3)", n["A11Y-color-contrast"], n["LAYOUT-OVERFLOW"])
	}
	for _, f := range out {
		switch f.Rule {
		case "LAYOUT-SMALL-TEXT":
			checkShared(t, f, finding.ScopeTemplate, scenarios.PC, 1000)
		case "LAYOUT-NO-ELDER-MODE":
			checkShared(t, f, finding.ScopeSite, scenarios.H5, 1000)
		default:
			if f.Scope != finding.ScopeItem || f.ItemCode == "" {
				t.Errorf("%s stays an item's finding: %+v", f.Rule, f)
			}
		}
	}
}

func checkShared(t *testing.T, f Finding, scope finding.Scope, ch scenarios.Channel, affected int) {
	t.Helper()
	items := finding.AffectedItems(f.Evidence.Measured)
	if f.Scope != scope || f.ItemCode != "" || f.Unit != "" || f.Channel != ch || f.Affected != affected || len(items) != affected {
		t.Errorf("%s: scope %q item %q unit %q channel %s affected %d (%d listed); want %s, no item or unit, %s, %d",
			f.Rule, f.Scope, f.ItemCode, f.Unit, f.Channel, f.Affected, len(items), scope, ch, affected)
	}
	if len(f.Evidence.PNG) == 0 || f.Evidence.Measured[finding.LocatorKey] != f.Evidence.Locator {
		t.Errorf("%s: no example screenshot or locator", f.Rule)
	}
	if f.Fingerprint != SharedFingerprint(f.Rule, ch, f.Evidence.Locator, scope) {
		t.Errorf("%s: fingerprint %s is not the shared one", f.Rule, f.Fingerprint)
	}
}

// TestGroupingAsTheSweepGoes feeds the same portal item by item, as the sweep does: the same
// result as grouping at the end, screenshots kept only where still needed, and the findings that
// can no longer be part of a template handed back before the end.
func TestGroupingAsTheSweepGoes(t *testing.T) {
	byItem := thousandItems()
	g := NewGrouping(1000, []scenarios.Channel{scenarios.PC, scenarios.H5}, 0.8, 5)
	var early []Finding
	for i := range 1000 {
		for _, ch := range []scenarios.Channel{scenarios.PC, scenarios.H5} {
			var fs []Finding
			for _, f := range byItem[i] {
				if f.Channel == ch {
					fs = append(fs, f)
				}
			}
			early = append(early, g.Add(ch, true, fs)...)
		}
	}
	pictures := 0
	for _, fs := range g.held {
		for _, f := range fs {
			if len(f.Evidence.PNG) > 0 {
				pictures++
			}
		}
	}
	if pictures > 802 {
		t.Errorf("%d screenshots held at the end; the decided template and site ones need one each", pictures)
	}
	if n := countRules(early); n["A11Y-color-contrast"] != 700 || n["LAYOUT-OVERFLOW"] != 3 || n["LAYOUT-SMALL-TEXT"] != 0 {
		t.Errorf("handed back before the end: %v; want the 700 contrast and 3 overflow findings only", n)
	}
	n := countRules(g.Finish())
	if !maps.Equal(n, map[string]int{"LAYOUT-SMALL-TEXT": 1, "LAYOUT-NO-ELDER-MODE": 1}) {
		t.Errorf("at the end: %v, want one template and one site finding", n)
	}
}

// TestGroupNeedsEnoughItems: on a small portal, or a small share, nothing is grouped but the
// site rule, which is one finding even when one page shows it.
func TestGroupNeedsEnoughItems(t *testing.T) {
	var fs []Finding
	for i := range 4 {
		fs = append(fs, itemFinding("LAYOUT-SMALL-TEXT", "page", i, scenarios.PC))
	}
	fs = append(fs, itemFinding("LAYOUT-NO-ELDER-MODE", "elder-mode", 9, scenarios.PC))
	out := Group(fs, map[scenarios.Channel]int{scenarios.PC: 4}, 0, 0)
	if n := countRules(out); n["LAYOUT-SMALL-TEXT"] != 4 || n["LAYOUT-NO-ELDER-MODE"] != 1 {
		t.Fatalf("4 items of 4: %v; want 4 item findings (fewer than 5 items) and one site finding", n)
	}
	i := slices.IndexFunc(out, func(f Finding) bool { return f.Rule == "LAYOUT-NO-ELDER-MODE" })
	if out[i].Scope != finding.ScopeSite || out[i].Affected != 1 {
		t.Errorf("site finding from one page: %+v", out[i])
	}
	// Different places on the page are different conditions.
	fs = nil
	for i := range 10 {
		fs = append(fs, itemFinding("A11Y-label", fmt.Sprintf("input#q%d", i), i, scenarios.PC))
	}
	if n := len(Group(fs, map[scenarios.Channel]int{scenarios.PC: 10}, 0, 0)); n != 10 {
		t.Errorf("ten different places gave %d findings, want 10", n)
	}
}

func TestCommonZone(t *testing.T) {
	z := func(zones ...string) []Finding {
		var fs []Finding
		for _, zone := range zones {
			fs = append(fs, Finding{Zone: zone})
		}
		return fs
	}
	for _, c := range []struct {
		in   []Finding
		want string
	}{
		{z("341500000000", "341522000000", "341502"), "341500"},
		{z("341522", "341522000000"), "341522"},
		{z("341500", "340100"), "340000"},
		{z("341500", "110000"), ""},
		{z("341500", ""), ""},
	} {
		if got := commonZone(c.in); got != c.want {
			t.Errorf("commonZone(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

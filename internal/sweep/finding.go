package sweep

import (
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/loop"

	"tiyan/probes"
	"tiyan/scenarios"
)

// Finding is one observation made into a finding: the rule, where, what, and the evidence. Its
// JSON is what `tiyan sweep --format json` prints, one object per line.
type Finding struct {
	Rule        string            `json:"rule"`
	Severity    probes.Severity   `json:"severity"`
	Category    probes.Category   `json:"category"`
	ItemCode    string            `json:"item_code"`
	ItemName    string            `json:"item_name,omitempty"`
	Unit        string            `json:"unit,omitempty"`
	Zone        string            `json:"jurisdiction,omitempty"`
	Channel     scenarios.Channel `json:"channel"`
	URL         string            `json:"url"`
	Title       string            `json:"title"`
	Detail      string            `json:"detail"`
	Evidence    Evidence          `json:"evidence"`
	Fingerprint string            `json:"fingerprint"`
	// Scope is item, or site or template for a condition many items share (ItemCode empty,
	// Affected items listed in Evidence.Measured["affected_items"]).
	Scope     finding.Scope `json:"scope"`
	Affected  int           `json:"affected,omitempty"`
	Uncertain bool          `json:"uncertain,omitempty"`
	SeenAt    time.Time     `json:"seen_at"`
}

// Evidence is what shows a finding to the unit that must fix it.
type Evidence struct {
	// Screenshot is the file the annotated screenshot was written to (set by WriteScreenshots).
	Screenshot string `json:"screenshot,omitempty"`
	// PNG is the screenshot itself, with the offending element outlined where there is one.
	PNG      []byte           `json:"-"`
	Box      *probes.Box      `json:"box,omitempty"`
	DOM      string           `json:"dom,omitempty"`
	Measured map[string]any   `json:"measured,omitempty"`
	Requests []probes.Request `json:"requests,omitempty"`
	Locator  string           `json:"locator,omitempty"`
}

// Fingerprint identifies a defect across sweeps: the same rule on the same item, channel and
// element is the same finding tomorrow.
func Fingerprint(rule, item string, ch scenarios.Channel, locator string) string {
	return loop.Fingerprint(rule, item, string(ch), locator)
}

// newFinding makes a finding of an observation on an item's page.
func newFinding(o probes.Observation, it probes.Item, ch scenarios.Channel, pageURL string, now time.Time) Finding {
	rule, _ := probes.RuleByID(o.Rule)
	sev := o.Severity
	if sev == "" {
		sev = rule.Severity
	}
	u := o.URL
	if u == "" {
		u = pageURL
	}
	return Finding{
		Rule: o.Rule, Severity: sev, Category: rule.Category,
		ItemCode: it.Code, ItemName: it.Name, Unit: it.Unit, Zone: it.Zone, Channel: ch, URL: u,
		Title: o.Title, Detail: o.Detail, Uncertain: o.Uncertain, SeenAt: now, Scope: finding.ScopeItem,
		Fingerprint: Fingerprint(o.Rule, it.Code, ch, o.Locator),
		Evidence:    Evidence{Box: o.Box, DOM: o.DOM, Measured: o.Measured, Requests: o.Requests, Locator: o.Locator},
	}
}

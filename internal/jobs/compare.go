package jobs

import (
	"time"

	"tiyan/internal/sweep"
	"tiyan/probes"
	"tiyan/scenarios"
)

// compareFindings compares an item's guides across channels, as a sweep does once all of an
// item's channels are probed. Its findings go without a fresh screenshot: the pages are
// closed, and reopening them is the sweeper's (unexported) business.
func compareFindings(p *Prober, results []sweep.ChannelResult, now time.Time) []sweep.Finding {
	byCh := map[scenarios.Channel]sweep.ChannelResult{}
	for _, r := range results {
		byCh[r.Channel] = r
	}
	pc, h5 := byCh[scenarios.PC], byCh[scenarios.H5]
	if pc.Guide == nil || h5.Guide == nil {
		return nil
	}
	diff := probes.CompareChannels(pc.Guide, h5.Guide, p.Catalogue.Lookup(pc.Item.Code))
	var out []sweep.Finding
	for _, ch := range []scenarios.Channel{scenarios.PC, scenarios.H5} {
		for _, o := range diff[ch] {
			out = append(out, diffFinding(o, byCh[ch], now))
		}
	}
	return out
}

// diffFinding makes a finding of a difference observed on one channel's page.
func diffFinding(o probes.Observation, r sweep.ChannelResult, now time.Time) sweep.Finding {
	rule, _ := probes.RuleByID(o.Rule)
	sev := o.Severity
	if sev == "" {
		sev = rule.Severity
	}
	u := o.URL
	if u == "" {
		u = r.URL
	}
	it := r.Item
	return sweep.Finding{
		Rule: o.Rule, Severity: sev, Category: rule.Category,
		ItemCode: it.Code, ItemName: it.Name, Unit: it.Unit, Zone: it.Zone, Channel: r.Channel, URL: u,
		Title: o.Title, Detail: o.Detail, Uncertain: o.Uncertain, SeenAt: now,
		Fingerprint: sweep.Fingerprint(o.Rule, it.Code, r.Channel, o.Locator),
		Evidence:    sweep.Evidence{Box: o.Box, DOM: o.DOM, Measured: o.Measured, Requests: o.Requests, Locator: o.Locator},
	}
}

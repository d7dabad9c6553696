package sweep

import (
	"context"
	"fmt"
	"strings"

	"tiyan/internal/finding"
	"tiyan/scenarios"
)

// reprobeSample is how many of a site or template finding's affected items are probed again to
// verify it: spread over the list, so a template fixed for some items only is still caught.
const reprobeSample = 10

// Reprobe probes again exactly what found an automated finding of a sweep: the item on the
// finding's channel (both channels for a difference between them), or for a site or template
// finding a sample of the items it affected. It reports whether the finding's defect is still
// there (its fingerprint; for a site or template finding, its rule at its place on any of those
// items), with the new evidence. A page tiyan could not look at is an error, never a verification.
func (s *Sweeper) Reprobe(ctx context.Context, f finding.Finding) (bool, []finding.Evidence, error) {
	if f.Scenario != "" {
		return false, nil, fmt.Errorf("问题 %d 由场景 %s 发现，应重放该场景验证", f.ID, f.Scenario)
	}
	if f.Rule == "CHANNEL-TLS" {
		for _, got := range s.checkTLS(ctx) {
			if got.Fingerprint == f.Fingerprint {
				return true, got.Sighting(f.RunID).Evidence, nil
			}
		}
		return false, nil, nil
	}
	codes := []string{f.ItemCode}
	if f.Scope.Shared() {
		codes = sample(finding.AffectedItems(f.Measured), reprobeSample)
		if len(codes) == 0 {
			return false, nil, fmt.Errorf("%s %d 没有记录受影响的事项，无法复核；请在下一次全量体验后查看", f.Scope.Label(), f.ID)
		}
	}
	items, err := List(ctx, s.cfg.HTTP, s.cfg.Site, ListOptions{Codes: codes})
	if err != nil {
		return false, nil, fmt.Errorf("复核前查找事项 %s：%w", strings.Join(codes, "、"), err)
	}
	chs := []scenarios.Channel{scenarios.Channel(f.Channel)}
	if f.Rule == "GUIDE-CHANNEL-DIFF" {
		chs = s.cfg.Site.Channels()
	}
	res := s.sweep(ctx, items, chs, false)
	for _, got := range res.Findings {
		if same(f, got) {
			return true, got.Sighting(f.RunID).Evidence, nil
		}
	}
	if len(res.Errors) > 0 {
		var msgs []string
		for _, e := range res.Errors {
			msgs = append(msgs, e.Probe+": "+e.Error)
		}
		return false, nil, fmt.Errorf("复核时体验程序出错，无法判断是否已整改：%s", strings.Join(msgs, "；"))
	}
	return false, nil, nil
}

// same says whether a finding of the probe again is the defect of f: the same fingerprint, or
// for a site or template finding, its rule at its place on the same channel of any item.
func same(f finding.Finding, got Finding) bool {
	if !f.Scope.Shared() {
		return got.Fingerprint == f.Fingerprint
	}
	locator, _ := f.Measured[finding.LocatorKey].(string)
	return got.Rule == f.Rule && string(got.Channel) == string(f.Channel) && got.Evidence.Locator == locator
}

// sample picks at most n item codes spread evenly over the list.
func sample(items []finding.AffectedItem, n int) []string {
	var out []string
	for i := range min(n, len(items)) {
		out = append(out, items[i*len(items)/min(n, len(items))].Code)
	}
	return out
}

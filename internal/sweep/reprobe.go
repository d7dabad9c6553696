package sweep

import (
	"context"
	"fmt"
	"strings"

	"tiyan/internal/finding"
	"tiyan/scenarios"
)

// Reprobe probes again exactly what found an automated finding of a sweep: the item on the
// finding's channel (both channels for a difference between them). It reports whether the
// finding's defect (its fingerprint) is still there, with the new evidence. A page tiyan could not
// look at is an error, never a verification.
func (s *Sweeper) Reprobe(ctx context.Context, f finding.Finding) (bool, []finding.Evidence, error) {
	if f.Scenario != "" {
		return false, nil, fmt.Errorf("问题 %d 由场景 %s 发现，应重放该场景验证", f.ID, f.Scenario)
	}
	items, err := List(ctx, s.cfg.HTTP, s.cfg.Site, ListOptions{Codes: []string{f.ItemCode}})
	if err != nil {
		return false, nil, fmt.Errorf("复核前查找事项 %s：%w", f.ItemCode, err)
	}
	chs := []scenarios.Channel{scenarios.Channel(f.Channel)}
	if f.Rule == "GUIDE-CHANNEL-DIFF" {
		chs = s.cfg.Site.Channels()
	}
	res := s.sweep(ctx, items, chs)
	for _, got := range res.Findings {
		if got.Fingerprint == f.Fingerprint {
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

package jobs

import (
	"context"

	"tiyan/internal/sweep"
)

// compareFindings compares an item's guides across channels, as a sweep does once all of an
// item's channels are probed.
func compareFindings(ctx context.Context, p *Prober, results []sweep.ChannelResult) []sweep.Finding {
	return p.Sweeper.Compare(ctx, results)
}

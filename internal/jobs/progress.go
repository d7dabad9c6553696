package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/sweep"
)

// probeRecord is what one probe job leaves for the run: counts for the run record and, in
// result, what the item's cross-channel comparison needs once every channel is probed.
type probeRecord struct {
	RunID, ItemCode, Channel, Worker string
	Findings                         int
	Reachable                        bool
	Duration                         time.Duration
	Errors                           []string
	Result                           sweep.ChannelResult // without findings: only item, URL and guide are kept
}

// recordProbe writes rec once. It reports false when the item-channel was already recorded
// (by an earlier run of the same job, or a duplicate of it).
func (db *database) recordProbe(ctx context.Context, rec probeRecord) (bool, error) {
	kept := sweep.ChannelResult{Item: rec.Result.Item, Channel: rec.Result.Channel, URL: rec.Result.URL, Guide: rec.Result.Guide, Reachable: rec.Result.Reachable}
	result, err := json.Marshal(kept)
	if err != nil {
		return false, err
	}
	return db.sweeps.RecordProbe(ctx, finding.ProbeRecord{RunID: rec.RunID, ItemCode: rec.ItemCode, Channel: rec.Channel, Worker: rec.Worker,
		Findings: rec.Findings, Reachable: rec.Reachable, Duration: rec.Duration, Errors: rec.Errors, Result: result})
}

// probed reports whether an item-channel of a run is recorded.
func (db *database) probed(ctx context.Context, runID, code, channel string) (bool, error) {
	return db.sweeps.Probed(ctx, runID, code, channel)
}

// claimCompare decides who compares an item's channels: once all `channels` of the item are
// recorded, the first job to get here inserts the claim; a later run of that same job (after
// a crash) finds its own claim and compares again. It returns the item's results when this
// job is to compare, nil otherwise.
//
// No locks: each job records its own channel (committed) before it counts, so of two jobs
// finishing together the later one always sees both rows.
func (db *database) claimCompare(ctx context.Context, runID, code string, channels int, jobID int64) ([]sweep.ChannelResult, error) {
	rows, err := db.results(ctx, runID, code)
	if err != nil || len(rows) < channels {
		return nil, err
	}
	owner, err := db.sweeps.ClaimCompare(ctx, runID, code, jobID)
	if err != nil {
		return nil, err
	}
	if owner != jobID {
		return nil, nil
	}
	return rows, nil
}

// results reads the recorded channel results of one item.
func (db *database) results(ctx context.Context, runID, code string) ([]sweep.ChannelResult, error) {
	raws, err := db.sweeps.ProbeResults(ctx, runID, code)
	if err != nil {
		return nil, err
	}
	var out []sweep.ChannelResult
	for _, raw := range raws {
		var r sweep.ChannelResult
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, fmt.Errorf("read probe result of %s: %w", code, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// probedItems lists the item codes a run has recorded, in order.
func (db *database) probedItems(ctx context.Context, runID string) ([]string, error) {
	return db.sweeps.ProbedItems(ctx, runID)
}

// compared stores how many findings an item's comparison filed.
func (db *database) compared(ctx context.Context, runID, code string, findings int) error {
	return db.sweeps.Compared(ctx, runID, code, findings)
}

// progress is a run as its probe rows tell it.
type progress = finding.SweepProgress

// progressOf counts a run's recorded item-channels, per worker, with their findings and errors.
func (db *database) progressOf(ctx context.Context, runID string) (progress, error) {
	return db.sweeps.SweepProgress(ctx, runID)
}

// forget deletes a finished run's rows: the run record now holds the counts, and the held
// findings are filed.
func (db *database) forget(ctx context.Context, runID string) error {
	if err := db.sweeps.DropHeldFindings(ctx, runID); err != nil {
		return err
	}
	return db.sweeps.ForgetSweep(ctx, runID)
}

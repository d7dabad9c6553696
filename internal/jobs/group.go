package jobs

import (
	"context"
	"encoding/json"
	"fmt"

	"tiyan/internal/finding"
	"tiyan/internal/sweep"
	"tiyan/scenarios"
)

// A queued sweep's probes run on any worker, so the findings many items may share (a page
// template's fault, the site's missing elder mode) cannot be grouped as they come, as a sweep
// run by one process does. Each probe files its other findings at once and holds these in the
// store's sweep ledger, with whether its page was a usable guide; when no probe is left, the
// finish job groups what the run holds (sweep.Group) and files the result.

// heldFinding is a finding as the ledger holds it: with its screenshot, which a finding's JSON
// leaves out, since a finding that ends up not grouped is filed with its own picture. The
// pictures make a run's held rows large (some 100 KB a finding), and the finish job reads them
// all at once.
type heldFinding struct {
	sweep.Finding
	PNG []byte `json:"png,omitempty"`
}

// splitGroupable separates the findings to file now from those to hold for grouping.
func splitGroupable(fs []sweep.Finding) (now, held []sweep.Finding) {
	for _, f := range fs {
		if sweep.Groupable(f) {
			held = append(held, f)
		} else {
			now = append(now, f)
		}
	}
	return now, held
}

// hold keeps an item-channel's groupable findings until the run's end, replacing what an
// earlier attempt of the same job held. An item-channel with none is held too: its page counts
// towards the share of usable guide pages a template finding needs.
func (db *database) hold(ctx context.Context, a ProbeArgs, usable bool, fs []sweep.Finding) error {
	hs := make([]heldFinding, len(fs))
	for i, f := range fs {
		hs[i] = heldFinding{Finding: f, PNG: f.Evidence.PNG}
	}
	raw, err := json.Marshal(hs)
	if err != nil {
		return fmt.Errorf("hold findings of %s %s: %w", a.Code, a.Channel, err)
	}
	return db.sweeps.HoldFindings(ctx, finding.HeldFindings{RunID: a.RunID, ItemCode: a.Code, Channel: a.Channel, Usable: usable, Findings: raw})
}

// grouped reads what a run's probes held and groups it: one site finding per site rule and
// channel, one template finding per condition enough of a channel's usable pages share, item
// findings for the rest.
func (db *database) grouped(ctx context.Context, runID string) ([]sweep.Finding, error) {
	rows, err := db.sweeps.HeldFindings(ctx, runID)
	if err != nil {
		return nil, err
	}
	var fs []sweep.Finding
	usable := map[scenarios.Channel]int{}
	for _, r := range rows {
		ch := scenarios.Channel(r.Channel)
		usable[ch] += 0 // a channel with no usable page still has its findings
		if r.Usable {
			usable[ch]++
		}
		var hs []heldFinding
		if err := json.Unmarshal(r.Findings, &hs); err != nil {
			return nil, fmt.Errorf("read held findings of %s %s: %w", r.ItemCode, r.Channel, err)
		}
		for _, h := range hs {
			h.Finding.Evidence.PNG = h.PNG
			fs = append(fs, h.Finding)
		}
	}
	if len(fs) == 0 {
		return nil, nil
	}
	return sweep.Group(fs, usable, 0, 0), nil
}

// fileHeld groups and files what a run's probes held, and returns how many findings it filed.
// The held rows stay until the run is forgotten, after the run is closed: a finish job retried
// before the close files them again, which the loop takes as the same findings (deduplicated
// by fingerprint) seen once more; one retried after it files nothing.
func (j *Jobs) fileHeld(ctx context.Context, runID string) (int, error) {
	fs, err := j.db.grouped(ctx, runID)
	if err != nil {
		return 0, err
	}
	if err := j.file(ctx, runID, fs); err != nil {
		return 0, err
	}
	j.metrics.found(fs)
	return len(fs), nil
}

package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/loop"
	"tiyan/internal/sweep"
	"tiyan/scenarios"
)

// filing keeps a sweep's evidence on disk and, unless the sweep runs without a store, files its
// findings into the loop as they come, under one run record.
type filing struct {
	lp  *loop.Loop // nil: --no-store
	run finding.Run
	dir string
	err error // the first filing error; the sweep goes on, the command then fails
}

// startFiling opens the run record runID ("" for a new ID) of a sweep of items items on chs.
func startFiling(ctx context.Context, lp *loop.Loop, runID, site string, chs []scenarios.Channel, items int, dir string) (*filing, error) {
	now := time.Now()
	if runID == "" {
		runID = finding.NewRunID(now)
	}
	fl := &filing{lp: lp, dir: dir, run: finding.Run{ID: runID, Kind: finding.RunSweep, Site: site,
		Status: finding.RunRunning, Started: now, Total: items * len(chs)}}
	if fl.dir == "" {
		fl.dir = filepath.Join("data", "sweeps", now.Format("20060102-150405"))
	}
	for _, c := range chs {
		fl.run.Channels = append(fl.run.Channels, string(c))
	}
	if lp == nil {
		return fl, nil
	}
	run, err := lp.Store().CreateRun(ctx, fl.run)
	if err != nil {
		return nil, cliFail(err)
	}
	fl.run = run
	return fl, nil
}

// attach makes sw file into this run: findings as they come, and each probe's outcome for the
// weekly availability.
func (fl *filing) attach(ctx context.Context, sw *sweep.Sweeper) {
	sw.OnFindings(fl.file(ctx))
	if fl.lp != nil {
		sw.Record(fl.lp.Store(), fl.run.ID)
	}
}

// file is the sweep's OnFindings: screenshots to disk, findings into the loop.
func (fl *filing) file(ctx context.Context) func([]sweep.Finding) {
	return func(fs []sweep.Finding) {
		if err := sweep.WriteScreenshots(fl.dir, fs); err != nil && fl.err == nil {
			fl.err = err
		}
		if fl.lp == nil {
			return
		}
		ss := make([]finding.Sighting, 0, len(fs))
		for _, f := range fs {
			ss = append(ss, f.Sighting(fl.run.ID))
		}
		if _, err := fl.lp.Ingest(ctx, ss); err != nil && fl.err == nil {
			fl.err = cliFail(err)
		}
	}
}

// finish writes findings.json and closes the run record.
func (fl *filing) finish(ctx context.Context, res *sweep.Result) error {
	if err := sweep.WriteFindings(fl.dir, res.Findings); err != nil && fl.err == nil {
		fl.err = err
	}
	if fl.lp == nil {
		return fl.err
	}
	r := &fl.run
	r.Finished, r.Done, r.Findings, r.Status = time.Now(), res.ItemChannels, len(res.Findings), finding.RunDone
	for _, e := range res.Errors {
		r.Errors = append(r.Errors, fmt.Sprintf("%s %s %s：%s", e.ItemCode, e.Channel, e.Probe, e.Error))
	}
	if fl.err != nil {
		r.Status = finding.RunFailed
		r.Errors = append(r.Errors, "归档失败："+fl.err.Error())
	}
	if err := fl.lp.Store().UpdateRun(context.WithoutCancel(ctx), *r); err != nil && fl.err == nil {
		fl.err = cliFail(err)
	}
	return fl.err
}

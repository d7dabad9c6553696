package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"tiyan/internal/finding"
	"tiyan/internal/sweep"
	"tiyan/scenarios"
)

// probeWorker probes one item on one channel, files or holds what it finds under the run, and
// records the item-channel as done; the last channel of an item to finish compares the item's
// guides.
type probeWorker struct {
	river.WorkerDefaults[ProbeArgs]
	j *Jobs
}

// Timeout bounds one item-channel. Past it the page counts as a prober error and the job is
// retried; the rescuer leaves a job alone until this has passed.
func (w *probeWorker) Timeout(*river.Job[ProbeArgs]) time.Duration { return w.j.cfg.ProbeTimeout }

func (w *probeWorker) Work(ctx context.Context, job *river.Job[ProbeArgs]) error {
	a, j := job.Args, w.j
	// A job run again after its worker died may find its item-channel done: then only the
	// comparison may be left to do.
	done, err := j.db.probed(ctx, a.RunID, a.Code, a.Channel)
	if err != nil {
		return err
	}
	if !done {
		if err := j.probe(ctx, a); err != nil {
			return err
		}
	}
	return j.compareItem(ctx, a, job.ID)
}

// probe probes the item-channel, files its findings, holds those that may be one site or
// template finding for the run's end (group.go), and records it. Filing and holding come
// before recording: a worker that dies between them has its job probe and file again (the loop
// counts the sighting twice) and hold again (replacing what it held), rather than lose the
// findings.
func (j *Jobs) probe(ctx context.Context, a ProbeArgs) error {
	p, err := j.targets.get(ctx, a.Target)
	if err != nil {
		return fmt.Errorf("prepare %s: %w", a.Target.Site, err)
	}
	res := p.Sweeper.ProbeChannel(ctx, a.Item, scenarios.Channel(a.Channel))
	switch err := ctx.Err(); {
	case errors.Is(err, context.Canceled):
		return river.JobSnooze(0) // the process is stopping: again at once elsewhere, no attempt spent
	case err != nil:
		return err // timed out: the page was not looked at properly, try again
	}
	now, held := splitGroupable(res.Findings)
	if err := j.file(ctx, a.RunID, now); err != nil {
		return err
	}
	if err := j.db.hold(ctx, a, res.Guide != nil, held); err != nil {
		return err
	}
	res.Findings = now // the held ones are counted when the finish job files them
	rec := probeRecord{RunID: a.RunID, ItemCode: a.Code, Channel: a.Channel, Worker: j.cfg.Name, Findings: len(now),
		Reachable: res.Reachable, Duration: res.Duration, Errors: errorLines(res.Errors), Result: res}
	if _, err := j.db.recordProbe(ctx, rec); err != nil {
		return err
	}
	j.metrics.observe(a.Channel, res)
	return nil
}

// file hands findings to the loop under the run.
func (j *Jobs) file(ctx context.Context, runID string, fs []sweep.Finding) error {
	if len(fs) == 0 {
		return nil
	}
	ss := make([]finding.Sighting, len(fs))
	for i, f := range fs {
		ss[i] = f.Sighting(runID)
	}
	if _, err := j.cfg.Loop.Ingest(ctx, ss); err != nil {
		return fmt.Errorf("file findings of run %s: %w", runID, err)
	}
	return nil
}

// compareItem compares the item's guides across channels when this job is the one to.
func (j *Jobs) compareItem(ctx context.Context, a ProbeArgs, jobID int64) error {
	if a.Channels < 2 {
		return nil
	}
	results, err := j.db.claimCompare(ctx, a.RunID, a.Code, a.Channels, jobID)
	if err != nil || results == nil {
		return err
	}
	p, err := j.targets.get(ctx, a.Target)
	if err != nil {
		return err
	}
	fs := compareFindings(ctx, p, results)
	if err := j.file(ctx, a.RunID, fs); err != nil {
		return err
	}
	j.metrics.found(fs)
	return j.db.compared(ctx, a.RunID, a.Code, len(fs))
}

// errorLines are prober errors as the run record shows them.
func errorLines(errs []sweep.ProbeError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = fmt.Sprintf("%s %s %s：%s", e.ItemCode, e.Channel, e.Probe, e.Error)
	}
	return out
}

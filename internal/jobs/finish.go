package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"tiyan/internal/finding"
)

// maxRunErrors caps the errors a run record keeps: a portal that is down gives one per page.
const maxRunErrors = 200

// finishWorker watches a sweep run. Each time it wakes it writes the run's progress into the run
// record (it is the record's only writer while probes run, so counts never race), and once no
// probe of the run is left in flight it files the run's held findings, grouped into site and
// template findings, closes the run and lets the next sweep start.
type finishWorker struct {
	river.WorkerDefaults[SweepFinishArgs]
	j *Jobs
}

func (w *finishWorker) Work(ctx context.Context, job *river.Job[SweepFinishArgs]) error {
	j, runID := w.j, job.Args.RunID
	if job.Args.Held {
		return j.watchHold(ctx, job.Args)
	}
	run, err := j.cfg.Loop.Store().Run(ctx, runID)
	if err != nil {
		return fmt.Errorf("read run %s: %w", runID, err)
	}
	if run.Status != finding.RunRunning {
		return j.afterRun(ctx, job.Args) // a retry after the run was closed: only what follows is left
	}
	left, err := j.probesLeft(ctx, runID)
	if err != nil {
		return err
	}
	prog, err := j.db.progressOf(ctx, runID)
	if err != nil {
		return err
	}
	run.Done, run.Findings, run.Workers, run.Errors = prog.Done, prog.Findings, prog.Workers, prog.Errors
	if !left {
		return j.closeRun(ctx, run, job.Args)
	}
	if err := j.cfg.Loop.Store().UpdateRun(ctx, capErrors(run)); err != nil {
		return err
	}
	return river.JobSnooze(j.cfg.FinishPoll)
}

// closeRun files the findings the probes held, grouped, and marks the run done, with the
// probes River gave up on as errors. The close comes after the filing, so a retry after it
// does not file again (fileHeld).
func (j *Jobs) closeRun(ctx context.Context, run finding.Run, a SweepFinishArgs) error {
	lost, err := j.discardedProbes(ctx, run.ID)
	if err != nil {
		return err
	}
	filed, err := j.fileHeld(ctx, run.ID)
	if err != nil {
		return err
	}
	run.Findings += filed
	run.Errors = append(run.Errors, lost...)
	run.Status, run.Finished = finding.RunDone, time.Now()
	if err := j.cfg.Loop.Store().UpdateRun(ctx, capErrors(run)); err != nil {
		return err
	}
	return j.afterRun(ctx, a)
}

// afterRun hands a closed run's digest to the notifier, queues the verification of the handled
// findings of the items it probed, and forgets the run's rows. All may be done twice (a
// retry): the notifier keeps one digest per run, a verification is queued once while in
// flight, and forgetting is idempotent. The rows go last: a retry before then still has them.
func (j *Jobs) afterRun(ctx context.Context, a SweepFinishArgs) error {
	if err := j.cfg.Notifier.EnqueueRun(ctx, j.cfg.Loop.Store(), a.RunID); err != nil {
		return fmt.Errorf("digest of run %s: %w", a.RunID, err)
	}
	if a.Target.Site != "" {
		codes, err := j.db.probedItems(ctx, a.RunID)
		if err != nil {
			return err
		}
		if _, err := j.QueueVerifies(ctx, a.Target, codes); err != nil {
			return fmt.Errorf("verifications after run %s: %w", a.RunID, err)
		}
	}
	return j.db.forget(ctx, a.RunID)
}

// probesLeft reports whether any probe job of the run is still in flight.
func (j *Jobs) probesLeft(ctx context.Context, runID string) (bool, error) {
	res, err := j.q.JobList(ctx, runJobs(KindProbe, runID).States(inFlight...).First(1))
	if err != nil {
		return false, err
	}
	return len(res.Jobs) > 0, nil
}

// discardedProbes describes the probe jobs of a run that River gave up on: their item-channel
// was never looked at, usually because the page killed the worker every time.
func (j *Jobs) discardedProbes(ctx context.Context, runID string) ([]string, error) {
	var out []string
	params := runJobs(KindProbe, runID).States(rivertype.JobStateDiscarded, rivertype.JobStateCancelled).First(1000)
	for {
		res, err := j.q.JobList(ctx, params)
		if err != nil {
			return nil, err
		}
		for _, row := range res.Jobs {
			var a ProbeArgs
			_ = json.Unmarshal(row.EncodedArgs, &a)
			out = append(out, fmt.Sprintf("%s %s：体验 %d 次均未完成，已放弃（%s）", a.Code, a.Channel, row.Attempt, lastError(row)))
		}
		if len(res.Jobs) < 1000 {
			return out, nil
		}
		params = params.After(res.LastCursor)
	}
}

// runJobs lists the jobs of a kind that belong to a run (by their metadata, in SQL both drivers
// read).
func runJobs(kind, runID string) *river.JobListParams {
	return river.NewJobListParams().Kinds(kind).Where("metadata ->> 'run_id' = @run_id", river.NamedArgs{"run_id": runID})
}

func lastError(row *rivertype.JobRow) string {
	if len(row.Errors) == 0 {
		return "没有记录错误"
	}
	return row.Errors[len(row.Errors)-1].Error
}

func capErrors(run finding.Run) finding.Run {
	if n := len(run.Errors); n > maxRunErrors {
		run.Errors = append(run.Errors[:maxRunErrors:maxRunErrors], fmt.Sprintf("……另有 %d 条错误未列出", n-maxRunErrors))
	}
	return run
}

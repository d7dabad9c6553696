package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"tiyan/internal/finding"
)

// VerifyQueuedError refuses a verification while one of the same finding is queued or running.
type VerifyQueuedError struct {
	FindingID int64
	RunID     string // the verification in the way
}

func (e *VerifyQueuedError) Error() string {
	return fmt.Sprintf("问题 #%d 的复核已在排队或进行中（运行编号 %s），请等它完成（tiyan runs show %s 查看）", e.FindingID, e.RunID, e.RunID)
}

// EnqueueVerify queues the verification of a handled automated finding on Config.Site and
// returns the ID its run record will have: a worker probes again what found it and records the
// result through loop.Verify. With Config.Loop it refuses early, with the loop's reason, a
// finding that cannot be verified now (a manual report, one not handled, one a scenario found);
// while a verification of the finding is in flight it returns a *VerifyQueuedError.
func (j *Jobs) EnqueueVerify(ctx context.Context, findingID int64) (string, error) {
	if j.cfg.Site.Site == "" {
		return "", errors.New("jobs: Config.Site is required to verify")
	}
	if j.cfg.Loop != nil {
		f, err := j.cfg.Loop.CheckVerify(ctx, findingID)
		if err != nil {
			return "", err
		}
		if f.Scenario != "" {
			return "", finding.Errorf(finding.ECONFLICT, "问题 #%d 由场景 %s 发现，应重新运行该场景复核（tiyan run），或由工作人员评价结果", f.ID, f.Scenario)
		}
	}
	a := VerifyArgs{FindingID: findingID, RunID: finding.NewRunID(time.Now()), Target: j.cfg.Site}
	res, err := j.q.Insert(ctx, a, &river.InsertOpts{Metadata: runMeta(a.RunID)})
	if err != nil {
		return "", fmt.Errorf("排队复核问题 #%d：%w", findingID, err)
	}
	if res.UniqueSkippedAsDuplicate {
		var queued VerifyArgs
		_ = json.Unmarshal(res.Job.EncodedArgs, &queued)
		return "", &VerifyQueuedError{FindingID: findingID, RunID: queued.RunID}
	}
	return a.RunID, nil
}

// QueueVerifies queues a verification on t of every handled automated finding of the given
// items that a sweep found (the periodic use: after each sweep, so that a unit's fix is
// verified by the next night without anyone asking). Findings already being verified are left
// alone. It returns how many it queued.
func (j *Jobs) QueueVerifies(ctx context.Context, t Target, codes []string) (int, error) {
	if len(codes) == 0 {
		return 0, nil
	}
	fs, err := j.cfg.Loop.List(ctx, finding.FindingFilter{Kind: finding.Problem, Status: []finding.Status{finding.Handled}, Source: finding.SourceProbe})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range fs {
		if f.Scenario != "" || !slices.Contains(codes, f.ItemCode) {
			continue
		}
		a := VerifyArgs{FindingID: f.ID, RunID: finding.NewRunID(time.Now()), Target: t}
		res, err := j.q.Insert(ctx, a, &river.InsertOpts{Metadata: runMeta(a.RunID)})
		if err != nil {
			return n, fmt.Errorf("queue verification of #%d: %w", f.ID, err)
		}
		if !res.UniqueSkippedAsDuplicate {
			n++
		}
	}
	if n > 0 {
		j.log.Info("verifications queued", "findings", n)
	}
	return n, nil
}

// verifyWorker verifies one finding, keeping a run record of kind verify for it.
type verifyWorker struct {
	river.WorkerDefaults[VerifyArgs]
	j *Jobs
}

// Timeout allows for both channels: a difference between channels is verified on each.
func (w *verifyWorker) Timeout(*river.Job[VerifyArgs]) time.Duration { return 2 * w.j.cfg.ProbeTimeout }

func (w *verifyWorker) Work(ctx context.Context, job *river.Job[VerifyArgs]) error {
	a, j := job.Args, w.j
	run, err := j.openVerifyRun(ctx, a)
	if err != nil || run.Status != finding.RunRunning {
		return err // a late retry of a verification that has ended: leave it be
	}
	f, err := j.cfg.Loop.CheckVerify(ctx, a.FindingID)
	if err == nil {
		run.Channels = []string{string(f.Channel)}
		var p *Prober
		if p, err = j.targets.get(ctx, a.Target); err == nil {
			f, err = j.cfg.Loop.Verify(ctx, a.FindingID, p.Sweeper)
		}
	}
	switch code := finding.ErrorCode(err); {
	case err == nil:
		reopened := 0
		if f.Status == finding.FedBack {
			reopened = 1 // the defect is still there: one sighting, back to the unit
		}
		return j.endVerify(ctx, run, finding.RunDone, reopened, "")
	case code == finding.ECONFLICT || code == finding.ENOTFOUND:
		// Someone moved or removed the finding meanwhile: nothing to verify, no retry.
		return j.endVerify(ctx, run, finding.RunFailed, 0, "未复核："+finding.ErrorMessage(err))
	case errors.Is(ctx.Err(), context.Canceled):
		return river.JobSnooze(0) // the process is stopping: again at once elsewhere
	}
	return j.verifyFailed(ctx, run, job, err)
}

// openVerifyRun creates the verification's run record, or finds it when this is a retry.
func (j *Jobs) openVerifyRun(ctx context.Context, a VerifyArgs) (finding.Run, error) {
	st := j.cfg.Loop.Store()
	run, err := st.Run(ctx, a.RunID)
	if finding.ErrorCode(err) != finding.ENOTFOUND {
		return run, err
	}
	return st.CreateRun(ctx, finding.Run{ID: a.RunID, Kind: finding.RunVerify, Site: a.Target.Site, Status: finding.RunRunning,
		Started: time.Now(), Total: 1, Workers: map[string]int{}})
}

// endVerify closes the verification's run record.
func (j *Jobs) endVerify(ctx context.Context, run finding.Run, status string, findings int, reason string) error {
	run.Status, run.Finished, run.Findings = status, time.Now(), findings
	if status == finding.RunDone {
		run.Done, run.Workers = 1, map[string]int{j.cfg.Name: 1}
	}
	if reason != "" {
		run.Errors = append(run.Errors, reason)
	}
	return j.cfg.Loop.Store().UpdateRun(ctx, run)
}

// verifyFailed records an attempt that could not look at the page (the finding is unchanged)
// and lets River try again; after the last attempt the run is closed as failed.
func (j *Jobs) verifyFailed(ctx context.Context, run finding.Run, job *river.Job[VerifyArgs], err error) error {
	reason := fmt.Sprintf("第 %d 次复核未能完成：%s", job.Attempt, finding.ErrorMessage(err))
	j.log.Warn("verification failed", "finding", job.Args.FindingID, "run", run.ID, "attempt", job.Attempt, "error", err)
	if job.Attempt >= job.MaxAttempts {
		if uerr := j.endVerify(ctx, run, finding.RunFailed, 0, reason); uerr != nil {
			return errors.Join(err, uerr)
		}
		return err
	}
	run.Errors = append(run.Errors, reason)
	if uerr := j.cfg.Loop.Store().UpdateRun(ctx, run); uerr != nil {
		return errors.Join(err, uerr)
	}
	return err
}

package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"tiyan/internal/finding"
	"tiyan/internal/sweep"
	"tiyan/probes"
	"tiyan/scenarios"
)

// SweepRunningError refuses a sweep while another is queued or running: two sweeps at once
// would probe every page twice and halve each other's politeness budget.
type SweepRunningError struct {
	RunID string // the sweep in the way; "" when it has not started yet
}

func (e *SweepRunningError) Error() string {
	if e.RunID == "" {
		return "已有一次全量体验在排队或启动中，同一时间只运行一次；请等它开始后用 tiyan runs list 查看"
	}
	return fmt.Sprintf("已有一次全量体验正在进行（运行编号 %s），同一时间只运行一次；请等它结束后再开始（tiyan runs show %s 查看进度）", e.RunID, e.RunID)
}

// EnqueueSweep queues a sweep and returns the ID its run record will have. While another sweep
// is queued or running it returns a *SweepRunningError instead.
func (j *Jobs) EnqueueSweep(ctx context.Context, a SweepArgs) (string, error) {
	if a.Site == "" {
		return "", errors.New("jobs: SweepArgs.Site is required")
	}
	if running, err := j.runningSweep(ctx); err != nil || running != "" {
		if err == nil {
			err = &SweepRunningError{RunID: running}
		}
		return "", err
	}
	a.RunID = finding.NewRunID(time.Now())
	res, err := j.q.Insert(ctx, a, nil)
	if err != nil {
		return "", fmt.Errorf("排队全量体验：%w", err)
	}
	if res.UniqueSkippedAsDuplicate {
		var queued SweepArgs
		_ = json.Unmarshal(res.Job.EncodedArgs, &queued)
		return "", &SweepRunningError{RunID: queued.RunID}
	}
	return a.RunID, nil
}

// EnqueueSweep opens the job queue of the database url names, queues a sweep and returns its run
// ID: `tiyan sweep --enqueue`. A worker or `tiyan serve` does the sweep.
func EnqueueSweep(ctx context.Context, url string, a SweepArgs) (string, error) {
	j, err := Open(ctx, Config{DatabaseURL: url})
	if err != nil {
		return "", err
	}
	defer j.Close()
	return j.EnqueueSweep(ctx, a)
}

// runningSweep is the run ID of the sweep whose sweep_finish is in flight, "" when none is.
func (j *Jobs) runningSweep(ctx context.Context) (string, error) {
	res, err := j.q.JobList(ctx, river.NewJobListParams().Kinds(KindSweepFinish).States(inFlight...).First(1))
	if err != nil || len(res.Jobs) == 0 {
		return "", err
	}
	var a SweepFinishArgs
	if err := json.Unmarshal(res.Jobs[0].EncodedArgs, &a); err != nil {
		return "", err
	}
	return a.RunID, nil
}

// sweepWorker starts a sweep: it lists the items, opens the run record and queues one probe per
// item-channel with the sweep_finish that closes the run.
type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	j *Jobs
}

// Timeout allows for listing a province's catalogue page by page, politely.
func (w *sweepWorker) Timeout(*river.Job[SweepArgs]) time.Duration { return 10 * time.Minute }

func (w *sweepWorker) Work(ctx context.Context, job *river.Job[SweepArgs]) error {
	a, requested := job.Args, job.Args.RunID != ""
	if !requested {
		a.RunID = scheduledRunID(job.JobRow)
	}
	j := w.j
	if running, err := j.runningSweep(ctx); err != nil || (running != "" && running != a.RunID) {
		if err != nil {
			return err
		}
		return j.refuse(ctx, a, running, requested)
	}
	p, err := j.targets.get(ctx, a.Target)
	if err != nil {
		return j.failRun(ctx, a, "无法准备体验："+err.Error())
	}
	items, err := sweep.List(ctx, p.HTTP, p.Site, sweep.ListOptions{Zone: a.Zone, Codes: a.Items, Limit: a.Limit})
	if err == nil && len(items) == 0 {
		err = errors.New("门户事项列表为空，没有可体验的事项")
	}
	if err != nil {
		return j.failRun(ctx, a, "列出事项失败："+err.Error())
	}
	chs := p.Sweeper.Channels()
	run, err := j.openRun(ctx, a, p.Site, chs, len(items)*len(chs))
	if err != nil || run.Status != finding.RunRunning {
		return err // a late retry of a sweep that has ended meanwhile: leave it be
	}
	return j.fanOut(ctx, a, run, items, chs)
}

// scheduledRunID names the run of a scheduled sweep after its job, so that the job's retries
// find the run their first attempt created.
func scheduledRunID(job *rivertype.JobRow) string {
	return fmt.Sprintf("%s-%06x", job.CreatedAt.In(finding.Zone).Format("20060102-150405"), job.ID&0xffffff)
}

// openRun creates the run record, or finds it when this is a retry.
func (j *Jobs) openRun(ctx context.Context, a SweepArgs, site *scenarios.Site, chs []scenarios.Channel, total int) (finding.Run, error) {
	st := j.cfg.Loop.Store()
	run, err := st.Run(ctx, a.RunID)
	if err == nil && run.Status == finding.RunRunning {
		run.Total = total
		return run, st.UpdateRun(ctx, run)
	}
	if err == nil {
		return run, nil
	}
	if finding.ErrorCode(err) != finding.ENOTFOUND {
		return run, err
	}
	run = finding.Run{ID: a.RunID, Kind: finding.RunSweep, Site: site.Name, Status: finding.RunRunning,
		Started: time.Now(), Total: total, Workers: map[string]int{}}
	for _, c := range chs {
		run.Channels = append(run.Channels, string(c))
	}
	return st.CreateRun(ctx, run)
}

// fanOut queues the probes and the sweep_finish in one transaction, the sweep_finish first: it
// is unique while in flight, so when another sweep got there first nothing is queued.
func (j *Jobs) fanOut(ctx context.Context, a SweepArgs, run finding.Run, items []probes.Item, chs []scenarios.Channel) error {
	meta := runMeta(run.ID)
	lock := river.InsertManyParams{Args: SweepFinishArgs{RunID: run.ID, Total: run.Total, Target: a.Target},
		InsertOpts: &river.InsertOpts{Metadata: meta, ScheduledAt: time.Now().Add(j.cfg.FinishPoll)}}
	ps := make([]river.InsertManyParams, 0, run.Total)
	for _, it := range items {
		for _, ch := range chs {
			args := ProbeArgs{RunID: run.ID, Code: it.Code, Channel: string(ch), Item: it, Target: a.Target, Channels: len(chs)}
			ps = append(ps, river.InsertManyParams{Args: args, InsertOpts: &river.InsertOpts{Metadata: meta}})
		}
	}
	held, err := j.q.InsertUnlessDuplicate(ctx, lock, ps)
	if err != nil || held == nil {
		return err
	}
	var other SweepFinishArgs
	_ = json.Unmarshal(held.EncodedArgs, &other)
	if other.RunID == run.ID {
		return nil // a retry after the probes were queued
	}
	return j.refuse(ctx, a, other.RunID, true) // the run record exists by now: close it
}

// refuse ends a sweep start that found another sweep running. A run record someone holds the
// ID of (a requested sweep, or one already created) is closed as failed, saying why; a
// scheduled sweep is only logged, or every night a sweep overran would leave a failed run.
func (j *Jobs) refuse(ctx context.Context, a SweepArgs, running string, record bool) error {
	j.log.Warn("sweep refused: another is running", "run", a.RunID, "running", running)
	if !record {
		return nil
	}
	return j.failRun(ctx, a, "未启动："+(&SweepRunningError{RunID: running}).Error())
}

// failRun records a sweep that could not start as a failed run. The job itself succeeds: trying
// again would not help, and the reason is in the run record.
func (j *Jobs) failRun(ctx context.Context, a SweepArgs, reason string) error {
	st := j.cfg.Loop.Store()
	now := time.Now()
	run, err := st.Run(ctx, a.RunID)
	if err != nil {
		run = finding.Run{ID: a.RunID, Kind: finding.RunSweep, Site: a.Site, Started: now, Channels: a.Channels}
		if run, err = st.CreateRun(ctx, run); err != nil {
			return err
		}
	}
	run.Status, run.Finished, run.Errors = finding.RunFailed, now, append(run.Errors, reason)
	j.log.Warn("sweep failed to start", "run", a.RunID, "reason", reason)
	return st.UpdateRun(ctx, run)
}

// QueuedRun is a requested sweep or verification whose run record may not exist yet.
type QueuedRun struct {
	RunID     string
	Kind      string // finding.RunSweep or finding.RunVerify
	Site      string
	Queued    time.Time
	Attempt   int    // attempts so far; more than 0 with LastError is a start that failed
	LastError string // "" when none
}

// QueuedRuns lists the sweep starts and verifications in flight, oldest first. Those of a
// schedule have no run ID until they start.
func (j *Jobs) QueuedRuns(ctx context.Context) ([]QueuedRun, error) {
	res, err := j.q.JobList(ctx, river.NewJobListParams().Kinds(KindSweepStart, KindVerify).States(inFlight...).First(100))
	if err != nil {
		return nil, err
	}
	out := make([]QueuedRun, 0, len(res.Jobs))
	for _, row := range res.Jobs {
		q := QueuedRun{Kind: finding.RunSweep, Queued: row.CreatedAt, Attempt: row.Attempt}
		if row.Kind == KindVerify {
			var a VerifyArgs
			_ = json.Unmarshal(row.EncodedArgs, &a)
			q.Kind, q.RunID, q.Site = finding.RunVerify, a.RunID, a.Target.Site
		} else {
			var a SweepArgs
			_ = json.Unmarshal(row.EncodedArgs, &a)
			q.RunID, q.Site = a.RunID, a.Site
		}
		if len(row.Errors) > 0 {
			q.LastError = lastError(row)
		}
		out = append(out, q)
	}
	return out, nil
}

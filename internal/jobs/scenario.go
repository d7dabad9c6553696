package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"
)

// ScenarioRunner runs a scripted scenario on its channels and files what it finds, as
// `tiyan run` does; cmd/tiyan provides it, since running needs the runner and its reports.
type ScenarioRunner interface {
	// RunScenario runs the scenario in args.File and returns the ID of its run record:
	// args.RunID when set, else a new one.
	RunScenario(ctx context.Context, args ScenarioArgs) (runID string, err error)
}

// scenarioWorker runs a scheduled scenario.
type scenarioWorker struct {
	river.WorkerDefaults[ScenarioArgs]
	j *Jobs
}

// Timeout is the scenario's own (times its channels, with a margin); 10 minutes when unknown.
func (w *scenarioWorker) Timeout(job *river.Job[ScenarioArgs]) time.Duration {
	if job.Args.Timeout > 0 {
		return job.Args.Timeout
	}
	return 10 * time.Minute
}

func (w *scenarioWorker) Work(ctx context.Context, job *river.Job[ScenarioArgs]) error {
	if w.j.cfg.Scenarios == nil {
		return river.JobCancel(errors.New("这个进程不能运行场景（未配置场景运行器）"))
	}
	runID, err := w.j.cfg.Scenarios.RunScenario(ctx, job.Args)
	if err != nil {
		return err
	}
	// A run that happened is not run again for a digest that failed: the digest alone is lost.
	if err := w.j.cfg.Notifier.EnqueueRun(ctx, w.j.cfg.Loop.Store(), runID); err != nil {
		w.j.log.Warn("scenario run digest not queued", "scenario", job.Args.ID, "run", runID, "error", err)
	}
	return nil
}

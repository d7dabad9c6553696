package jobs

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"tiyan/internal/finding"
	"tiyan/probes"
	"tiyan/scenarios"
)

// drivers runs f on the embedded SQLite database and on PostgreSQL.
func drivers(t *testing.T, f func(t *testing.T, url string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, sqliteURL(t)) })
	t.Run("postgres", func(t *testing.T) { f(t, postgresURL(t)) })
}

// startSweep works one sweep_start job in the test, as a worker would.
func startSweep(t *testing.T, j *Jobs, id int64, a SweepArgs) {
	t.Helper()
	job := &river.Job[SweepArgs]{JobRow: &rivertype.JobRow{ID: id, CreatedAt: time.Now()}, Args: a}
	if err := (&sweepWorker{j: j}).Work(context.Background(), job); err != nil {
		t.Fatal(err)
	}
}

// TestOneSweepAtATime starts sweeps without working their probes (no Chromium needed): the
// first queues one probe per item-channel, a retry of it queues nothing more, and any other
// sweep is refused while it runs, whether asked for before or after it started.
func TestOneSweepAtATime(t *testing.T) {
	drivers(t, func(t *testing.T, url string) {
		ctx := context.Background()
		ts := newSim(t)
		lp := openLoop(t, url)
		j := openJobs(t, Config{DatabaseURL: url, Work: true, Loop: lp, Prober: simProber(t, 1)})
		target := simTarget(ts)

		queued, err := EnqueueSweep(ctx, url, SweepArgs{Target: target, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		_, err = EnqueueSweep(ctx, url, SweepArgs{Target: target})
		var running *SweepRunningError
		if !errors.As(err, &running) || running.RunID != queued {
			t.Fatalf("second enqueue: err = %v, want a SweepRunningError naming %s", err, queued)
		}

		startSweep(t, j, 1, SweepArgs{RunID: "run-x", Target: target, Limit: 3})
		startSweep(t, j, 1, SweepArgs{RunID: "run-x", Target: target, Limit: 3}) // a retry
		if n := countJobs(t, j, KindProbe, "run-x"); n != 6 {
			t.Errorf("queued %d probes for 3 items on 2 channels, want 6 (once each)", n)
		}
		run, err := lp.Store().Run(ctx, "run-x")
		if err != nil || run.Total != 6 || run.Status != finding.RunRunning {
			t.Errorf("run-x = %+v, %v; want running with 6 item-channels", run, err)
		}

		startSweep(t, j, 2, SweepArgs{RunID: "run-y", Target: target, Limit: 3})
		refused, err := lp.Store().Run(ctx, "run-y")
		if err != nil || refused.Status != finding.RunFailed || len(refused.Errors) == 0 || !strings.Contains(refused.Errors[0], "run-x") {
			t.Errorf("run-y = %+v, %v; want failed, naming run-x", refused, err)
		}
		if n := countJobs(t, j, KindProbe, "run-y"); n != 0 {
			t.Errorf("the refused sweep queued %d probes", n)
		}
		if _, err := j.EnqueueSweep(ctx, SweepArgs{Target: target}); !errors.As(err, &running) || running.RunID != "run-x" {
			t.Errorf("enqueue while run-x runs: err = %v", err)
		}
		raceTheLock(t, j, lp.Store())
	})
}

// raceTheLock queues a sweep past the early check, as a start racing another would: the
// sweep_finish of the running sweep still keeps it out, in the transaction that would queue it.
func raceTheLock(t *testing.T, j *Jobs, st finding.Store) {
	ctx := context.Background()
	run, err := st.CreateRun(ctx, finding.Run{ID: "run-z", Kind: finding.RunSweep, Status: finding.RunRunning, Started: time.Now(), Total: 1})
	if err != nil {
		t.Fatal(err)
	}
	items := []probes.Item{{ID: "1", Code: "Z1"}}
	if err := j.fanOut(ctx, SweepArgs{RunID: "run-z"}, run, items, []scenarios.Channel{scenarios.PC}); err != nil {
		t.Fatal(err)
	}
	if n := countJobs(t, j, KindProbe, "run-z"); n != 0 {
		t.Errorf("the racing sweep queued %d probes", n)
	}
	if got, err := st.Run(ctx, "run-z"); err != nil || got.Status != finding.RunFailed {
		t.Errorf("run-z = %+v, %v; want failed", got, err)
	}
}

// countJobs counts a run's jobs of a kind, in any state.
func countJobs(t *testing.T, j *Jobs, kind, runID string) int {
	t.Helper()
	res, err := j.q.JobList(context.Background(), runJobs(kind, runID).States(allStates...).First(10000))
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Jobs)
}

var allStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStateCancelled, rivertype.JobStateCompleted, rivertype.JobStateDiscarded,
	rivertype.JobStatePending, rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled,
}

func newListParams(kind string) *river.JobListParams {
	return river.NewJobListParams().Kinds(kind).States(allStates...)
}

package jobs

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"tiyan/internal/finding"
)

// TestDeadWorkersProbeIsRetried leaves a probe job as a killed worker leaves it (running,
// attempted by that worker, long ago) and starts another worker with the production settings:
// River's rescuer hands the job back and the live worker completes the run.
func TestDeadWorkersProbeIsRetried(t *testing.T) {
	chromium.Browser(t)
	ctx := context.Background()
	url := postgresURL(t)
	ts := newSim(t)
	lp := openLoop(t, url)
	dead := openJobs(t, Config{DatabaseURL: url, Work: true, Loop: lp, Name: "dead-worker", Prober: simProber(t, 1)})
	target := simTarget(ts)
	target.Channels = []string{"pc"}
	startSweep(t, dead, 1, SweepArgs{RunID: "run-rescue", Target: target, Limit: 1})
	res, err := dead.db.sql.ExecContext(ctx, `UPDATE river_job SET state = 'running', attempt = 1,
		attempted_at = now() - interval '10 minutes', attempted_by = ARRAY['dead-worker'] WHERE kind = 'probe'`)
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("make the probe a dead worker's: %d rows, %v", n, err)
	}

	start(t, openJobs(t, Config{DatabaseURL: url, Work: true, Loop: lp, Name: "live-worker", Prober: simProber(t, 1)}))
	run := waitRun(t, lp.Store(), "run-rescue", 3*time.Minute)
	if run.Status != finding.RunDone || run.Done != 1 || run.Workers["live-worker"] != 1 || len(run.Workers) != 1 {
		t.Fatalf("run = %+v; want done by live-worker alone", run)
	}
	jobs, err := dead.q.JobList(ctx, runJobs(KindProbe, "run-rescue").States(allStates...))
	if err != nil || len(jobs.Jobs) != 1 {
		t.Fatalf("probe jobs: %v, %v", jobs, err)
	}
	row := jobs.Jobs[0]
	if !slices.Equal(row.AttemptedBy, []string{"dead-worker", "live-worker"}) || row.Attempt != 2 ||
		len(row.Errors) == 0 || !strings.Contains(row.Errors[0].Error, "rescued") {
		t.Errorf("probe job: attempted by %v, attempt %d, errors %+v; want rescued from dead-worker, done by live-worker",
			row.AttemptedBy, row.Attempt, row.Errors)
	}
}

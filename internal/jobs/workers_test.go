package jobs

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"tiyan/internal/finding"
)

// TestTwoWorkersSweepOnPostgres enqueues a sweep of 10 simulator items on both channels, as
// `tiyan sweep --enqueue` does, and has two worker processes (two clients with their own names
// and Chromiums, in this test process) complete it: every item-channel is done exactly once,
// both workers did some, and the findings are filed under the run.
func TestTwoWorkersSweepOnPostgres(t *testing.T) {
	chromium.Browser(t) // skip without Chromium
	url := postgresURL(t)
	ts := newSim(t)
	lp := openLoop(t, url)
	for _, name := range []string{"worker-a", "worker-b"} {
		start(t, openJobs(t, Config{DatabaseURL: url, Work: true, Loop: lp, Name: name, Concurrency: 2, Prober: simProber(t, 2)}))
	}
	runID, err := EnqueueSweep(context.Background(), url, SweepArgs{Target: simTarget(ts), Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	run := waitRun(t, lp.Store(), runID, 8*time.Minute)
	t.Logf("run %s: %d/%d done, %d findings, workers %v, %d errors", run.ID, run.Done, run.Total, run.Findings, run.Workers, len(run.Errors))
	if run.Status != finding.RunDone || run.Total != 20 || run.Done != 20 {
		t.Fatalf("run = %+v; want done with 20 of 20 item-channels", run)
	}
	sum := 0
	for w, n := range run.Workers {
		if n == 0 {
			t.Errorf("worker %s listed with no work", w)
		}
		sum += n
	}
	if sum != 20 || run.Workers["worker-a"] == 0 || run.Workers["worker-b"] == 0 {
		t.Errorf("workers = %v; want both workers, 20 item-channels between them", run.Workers)
	}
	assertProbedOnce(t, url, runID, 20)
	fs, err := lp.Store().RunFindings(context.Background(), runID)
	if err != nil || len(fs) == 0 || run.Findings < len(fs) {
		t.Errorf("run findings: %d filed (%v), run counts %d; the seeded portal has defects", len(fs), err, run.Findings)
	}
}

// assertProbedOnce checks River's own record: one completed probe job per item-channel.
func assertProbedOnce(t *testing.T, url, runID string, want int) {
	t.Helper()
	j := openJobs(t, Config{DatabaseURL: url})
	res, err := j.q.JobList(context.Background(), runJobs(KindProbe, runID).States(allStates...).First(10000))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, row := range res.Jobs {
		var a ProbeArgs
		_ = json.Unmarshal(row.EncodedArgs, &a)
		key := a.Code + "/" + a.Channel
		if seen[key] || row.State != rivertype.JobStateCompleted {
			t.Errorf("probe %s: state %s, seen before %v", key, row.State, seen[key])
		}
		seen[key] = true
	}
	if len(seen) != want {
		t.Errorf("%d item-channels probed, want %d", len(seen), want)
	}
}

// TestSweepOnSQLite runs a small sweep in one process on the embedded database, and reads the
// process's metrics afterwards.
func TestSweepOnSQLite(t *testing.T) {
	chromium.Browser(t)
	url := sqliteURL(t)
	ts := newSim(t)
	lp := openLoop(t, url)
	n := &notes{}
	j := openJobs(t, Config{DatabaseURL: url, Work: true, Loop: lp, Name: "solo", Concurrency: 2, Prober: simProber(t, 2), Notifier: n})
	start(t, j)
	runID, err := j.EnqueueSweep(context.Background(), SweepArgs{Target: simTarget(ts), Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	run := waitRun(t, lp.Store(), runID, 5*time.Minute)
	if run.Status != finding.RunDone || run.Done != 6 || run.Workers["solo"] != 6 {
		t.Fatalf("run = %+v; want done, 6 item-channels by solo", run)
	}
	for deadline := time.Now().Add(10 * time.Second); len(n.digests()) == 0 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	if got := n.digests(); !slices.Equal(got, []string{runID}) {
		t.Errorf("digests queued for %v, want the run's alone", got)
	}
	rec := httptest.NewRecorder()
	j.Metrics().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{"tiyan_item_channels_probed_total{channel=\"pc\"", "tiyan_probe_duration_seconds_bucket", "tiyan_browser_restarts_total 0", "tiyan_findings_total{rule="} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

package main

import (
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/jobs"
	"tiyan/internal/loop"
	"tiyan/internal/store"
)

// TestVerifyEnqueued: `findings verify ID --enqueue` queues the verification and prints its run;
// `runs show` lists it as queued until a worker (here one in the test, as tiyan serve would
// run it) verifies the finding, which with the defect still on goes back to its unit.
func TestVerifyEnqueued(t *testing.T) {
	repoRoot(t)
	_, base := seededSimulator(t)
	site := []string{"--base-url", base, "--catalogue", base + "/catalogue/ssqd.json"}
	if out, err := run(t, append([]string{"sweep", "--items", itemOverflow, "--channels", "h5", "--out", t.TempDir()}, site...)...); err != nil {
		t.Fatalf("sweep: %v\n%s", err, out)
	}
	var id string
	for _, f := range storedFindings(t) {
		if f.Rule == "LAYOUT-OVERFLOW" {
			id = strconv.FormatInt(f.ID, 10)
		}
	}
	if out, err := run(t, append([]string{"findings", "verify", id, "--enqueue"}, site...)...); err == nil {
		t.Fatalf("verify --enqueue of a found finding succeeded:\n%s", out)
	}
	for _, args := range [][]string{{"findings", "feedback", id, "--days", "5"}, {"findings", "handle", id, "--note", "已调整横幅宽度"}} {
		if out, err := run(t, args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	out, err := run(t, append([]string{"findings", "verify", id, "--enqueue"}, site...)...)
	m := regexp.MustCompile(`运行编号 (\S+?)（`).FindStringSubmatch(out)
	if err != nil || m == nil || !strings.Contains(out, "已排队复核问题 #"+id) {
		t.Fatalf("verify --enqueue: %v\n%s", err, out)
	}
	runID := m[1]
	if out, err := run(t, "runs", "show", runID); err != nil || !strings.Contains(out, "排队中") || !strings.Contains(out, "整改复核") {
		t.Errorf("runs show of the queued verification: %v\n%s", err, out)
	}
	if out, err := run(t, append([]string{"findings", "verify", id, "--enqueue"}, site...)...); err == nil || !strings.Contains(out+err.Error(), runID) {
		t.Errorf("a second verify --enqueue: %v\n%s; want refused, naming %s", err, out, runID)
	}

	st := workVerification(t)
	deadline := time.Now().Add(3 * time.Minute)
	r, err := st.Run(context.Background(), runID)
	for ; err != nil || r.Status == finding.RunRunning; r, err = st.Run(context.Background(), runID) {
		if time.Now().After(deadline) {
			t.Fatalf("verification %s not done: %+v, %v", runID, r, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if f := showFinding(t, id); r.Status != finding.RunDone || f.Status != "fed_back" {
		t.Errorf("verification run %+v, finding %s; want done, and the finding back with its unit", r, f.Status)
	}
}

// workVerification starts a working job queue on the test's database, as tiyan serve does, and
// returns the store.
func workVerification(t *testing.T) finding.Store {
	t.Helper()
	ctx := context.Background()
	url := os.Getenv("TIYAN_DATABASE_URL")
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	lp, err := loop.New(loop.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	j, err := jobs.Open(ctx, jobs.Config{DatabaseURL: url, Work: true, Loop: lp})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	if err := j.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = j.Stop(sctx)
	})
	return st
}

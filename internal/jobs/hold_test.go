package jobs

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"tiyan/internal/finding"
)

// TestHoldSweep: a sweep run by hand holds the lock queued sweeps take. While it is held, a
// queued sweep and another hand-run one are refused, naming the holder's run; once released,
// the next may start. A holder that died (its heartbeat stale) is taken over by the next
// process at once, and a worker that finds it closes its run as failed.
func TestHoldSweep(t *testing.T) {
	drivers(t, func(t *testing.T, url string) {
		ctx := context.Background()
		lp := openLoop(t, url)
		if ok, err := Exists(ctx, url); err != nil || ok {
			t.Errorf("Exists before any queue = %v, %v", ok, err)
		}
		a := openJobs(t, Config{DatabaseURL: url, Name: "hand-a"})
		b := openJobs(t, Config{DatabaseURL: url, Name: "hand-b"})
		if ok, err := Exists(ctx, url); err != nil || !ok {
			t.Errorf("Exists with a queue = %v, %v", ok, err)
		}
		h, err := a.HoldSweep(ctx, "hand-1")
		if err != nil {
			t.Fatal(err)
		}
		var running *SweepRunningError
		if _, err := b.EnqueueSweep(ctx, SweepArgs{Target: Target{Site: "wanshitong"}}); !errors.As(err, &running) || running.RunID != "hand-1" {
			t.Errorf("enqueue while held: %v, want refused naming hand-1", err)
		}
		if _, err := b.HoldSweep(ctx, "hand-2"); !errors.As(err, &running) || running.RunID != "hand-1" {
			t.Errorf("a second hand-run sweep: %v, want refused naming hand-1", err)
		}
		if err := h.Release(ctx); err != nil {
			t.Fatal(err)
		}
		h2, err := b.HoldSweep(ctx, "hand-2")
		if err != nil {
			t.Fatalf("hold after release: %v", err)
		}
		die(t, h2)
		h3, err := a.HoldSweep(ctx, "hand-3")
		if err != nil {
			t.Fatalf("hold after the holder died: %v", err)
		}
		if err := h3.Release(ctx); err != nil {
			t.Fatal(err)
		}

		// A worker finds a dead holder's lock: the run is closed, the lock let go.
		if _, err := lp.Store().CreateRun(ctx, finding.Run{ID: "hand-4", Kind: finding.RunSweep, Status: finding.RunRunning, Started: time.Now()}); err != nil {
			t.Fatal(err)
		}
		h4, err := a.HoldSweep(ctx, "hand-4")
		if err != nil {
			t.Fatal(err)
		}
		w := openJobs(t, Config{DatabaseURL: url, Work: true, Loop: lp, Name: "worker"})
		job := &river.Job[SweepFinishArgs]{JobRow: &rivertype.JobRow{ID: h4.jobID}, Args: SweepFinishArgs{RunID: "hand-4", Held: true}}
		var snooze *river.JobSnoozeError
		if err := (&finishWorker{j: w}).Work(ctx, job); !errors.As(err, &snooze) {
			t.Errorf("worker on a live holder's lock: %v, want it to wait", err)
		}
		die(t, h4)
		if err := (&finishWorker{j: w}).Work(ctx, job); err != nil {
			t.Fatal(err)
		}
		if run, err := lp.Store().Run(ctx, "hand-4"); err != nil || run.Status != finding.RunFailed || len(run.Errors) != 1 {
			t.Errorf("dead holder's run = %+v, %v; want failed, saying its process stopped", run, err)
		}
	})
}

// die leaves a hold as a killed process leaves it: no more heartbeats, the last one old.
func die(t *testing.T, h *Hold) {
	t.Helper()
	close(h.stop)
	h.beaten.Wait()
	if err := h.j.db.sweeps.BeatHold(context.Background(), h.runID, h.j.cfg.Name, time.Now().Add(-10*time.Minute)); err != nil {
		t.Fatal(err)
	}
}

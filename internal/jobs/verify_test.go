package jobs

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/loop"
	"tiyan/internal/portalsim"
)

// itemOverflow is an item of the seeded simulator whose H5 guide overflows the screen.
const itemOverflow = "11341500MB1C5943652000503001"

// newSwitchableSim is newSim with its defect switchboard.
func newSwitchableSim(t *testing.T) (*portalsim.Server, *httptest.Server) {
	t.Helper()
	s, err := portalsim.New(portalsim.Config{Defects: "seeded", SlowDelay: 4 * time.Second, HangLimit: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

// TestVerifyJob walks a LAYOUT-OVERFLOW finding of a queued sweep through the loop with verify
// jobs: verified on request while the defect is still there, it goes back to its unit; handled
// again with the defect switched off, the next sweep queues its verification by itself and it
// ends verified.
func TestVerifyJob(t *testing.T) {
	chromium.Browser(t)
	drivers(t, func(t *testing.T, url string) {
		ctx := context.Background()
		sim, ts := newSwitchableSim(t)
		lp := openLoop(t, url)
		target := simTarget(ts)
		target.Channels = []string{"h5"}
		j := openJobs(t, Config{DatabaseURL: url, Work: true, Loop: lp, Name: "verifier", Prober: simProber(t, 1), Site: target})
		start(t, j)
		sweepItem := func() {
			t.Helper()
			runID, err := j.EnqueueSweep(ctx, SweepArgs{Target: target, Items: []string{itemOverflow}})
			if err != nil {
				t.Fatal(err)
			}
			if run := waitRun(t, lp.Store(), runID, 3*time.Minute); run.Status != finding.RunDone {
				t.Fatalf("sweep = %+v", run)
			}
		}
		sweepItem()
		id := overflowFinding(t, lp)

		if _, err := j.EnqueueVerify(ctx, id); finding.ErrorCode(err) != finding.ECONFLICT {
			t.Errorf("verify of a found finding: %v, want refused as not handled", err)
		}
		handle(t, lp, id, true)
		runID, err := j.EnqueueVerify(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var queued *VerifyQueuedError
		if _, err := j.EnqueueVerify(ctx, id); !errors.As(err, &queued) || queued.RunID != runID {
			t.Errorf("second verify while the first is in flight: %v, want a VerifyQueuedError naming %s", err, runID)
		}
		run := waitRun(t, lp.Store(), runID, 3*time.Minute)
		if run.Kind != finding.RunVerify || run.Status != finding.RunDone || run.Done != 1 || run.Findings != 1 || run.Workers["verifier"] != 1 {
			t.Errorf("verify run = %+v; want done by verifier, the defect seen again", run)
		}
		if f := show(t, lp, id); f.Status != finding.FedBack || f.Events[len(f.Events)-1].Actor != loop.Robot {
			t.Fatalf("with the defect on: status %s, want fed_back by tiyan", f.Status)
		}

		if err := sim.Switchboard().Set(itemOverflow, "h5", "overflow", false); err != nil {
			t.Fatal(err)
		}
		handle(t, lp, id, false)
		sweepItem() // its sweep_finish queues the verification
		for deadline := time.Now().Add(3 * time.Minute); show(t, lp, id).Status == finding.Handled; {
			if time.Now().After(deadline) {
				t.Fatal("the sweep queued no verification of the handled finding")
			}
			time.Sleep(200 * time.Millisecond)
		}
		if f := show(t, lp, id); f.Status != finding.Verified {
			t.Errorf("with the defect off: status %s, want verified", f.Status)
		}
	})
}

// overflowFinding is the ID of the LAYOUT-OVERFLOW finding the sweeps filed.
func overflowFinding(t *testing.T, lp *loop.Loop) int64 {
	t.Helper()
	fs, err := lp.List(context.Background(), finding.FindingFilter{Rule: "LAYOUT-OVERFLOW", ItemCode: itemOverflow})
	if err != nil || len(fs) != 1 {
		t.Fatalf("LAYOUT-OVERFLOW findings: %d, %v; want one", len(fs), err)
	}
	return fs[0].ID
}

// handle records the unit's fix, feeding the finding back first when asked.
func handle(t *testing.T, lp *loop.Loop, id int64, feedback bool) {
	t.Helper()
	ctx := context.Background()
	if feedback {
		if _, err := lp.Feedback(ctx, id, loop.Feedback{Days: 5, Actor: "李强"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := lp.Handle(ctx, id, "已调整横幅宽度", nil, "张三"); err != nil {
		t.Fatal(err)
	}
}

func show(t *testing.T, lp *loop.Loop, id int64) finding.Finding {
	t.Helper()
	f, err := lp.Show(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

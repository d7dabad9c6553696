package storetest

import (
	"reflect"
	"testing"
	"time"

	"tiyan/internal/finding"
)

// RunSweepLedger is the conformance suite of finding.SweepLedger: the records, claims and
// heartbeats of sweeps run as jobs. open returns a new, empty ledger.
func RunSweepLedger(t *testing.T, open func(t testing.TB) finding.SweepLedger) {
	t.Run("ProbesOnce", func(t *testing.T) { t.Parallel(); testProbesOnce(t, open(t)) })
	t.Run("ClaimCompare", func(t *testing.T) { t.Parallel(); testClaimCompare(t, open(t)) })
	t.Run("Hold", func(t *testing.T) { t.Parallel(); testHold(t, open(t)) })
	t.Run("HeldFindings", func(t *testing.T) { t.Parallel(); testHeldFindings(t, open(t)) })
}

func testProbesOnce(t *testing.T, l finding.SweepLedger) {
	rec := func(code, channel, worker string, findings int, errs ...string) finding.ProbeRecord {
		return finding.ProbeRecord{RunID: "run-1", ItemCode: code, Channel: channel, Worker: worker, Findings: findings,
			Reachable: true, Duration: 1500 * time.Millisecond, Errors: errs, Result: []byte(`{"channel":"` + channel + `"}`)}
	}
	for _, c := range []struct {
		r     finding.ProbeRecord
		fresh bool
	}{
		{rec("A", "pc", "w1", 2), true},
		{rec("A", "h5", "w2", 1, "打开办事指南超时"), true},
		{rec("A", "pc", "w2", 9), false}, // the same item-channel again: counted once
		{rec("B", "pc", "w1", 0), true},
	} {
		fresh, err := l.RecordProbe(ctx(t), c.r)
		if err != nil || fresh != c.fresh {
			t.Fatalf("record %s %s: %v, %v; want %v", c.r.ItemCode, c.r.Channel, fresh, err, c.fresh)
		}
	}
	if _, err := l.RecordProbe(ctx(t), finding.ProbeRecord{RunID: "run-2", ItemCode: "A", Channel: "pc", Worker: "w3", Result: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if ok, err := l.Probed(ctx(t), "run-1", "A", "h5"); err != nil || !ok {
		t.Errorf("A h5 probed = %v, %v", ok, err)
	}
	if ok, err := l.Probed(ctx(t), "run-1", "B", "h5"); err != nil || ok {
		t.Errorf("B h5 probed = %v, %v; it was not", ok, err)
	}
	results, err := l.ProbeResults(ctx(t), "run-1", "A")
	if err != nil || len(results) != 2 || string(results[0]) != `{"channel":"h5"}` || string(results[1]) != `{"channel":"pc"}` {
		t.Errorf("results of A = %q, %v; want h5 then pc", results, err)
	}
	if items, err := l.ProbedItems(ctx(t), "run-1"); err != nil || !reflect.DeepEqual(items, []string{"A", "B"}) {
		t.Errorf("probed items = %v, %v", items, err)
	}
	if _, err := l.ClaimCompare(ctx(t), "run-1", "A", 7); err != nil {
		t.Fatal(err)
	}
	if err := l.Compared(ctx(t), "run-1", "A", 4); err != nil {
		t.Fatal(err)
	}
	p, err := l.SweepProgress(ctx(t), "run-1")
	want := finding.SweepProgress{Done: 3, Findings: 2 + 1 + 0 + 4, Workers: map[string]int{"w1": 2, "w2": 1}, Errors: []string{"打开办事指南超时"}}
	if err != nil || !reflect.DeepEqual(p, want) {
		t.Errorf("progress = %+v, %v; want %+v", p, err, want)
	}
	if err := l.ForgetSweep(ctx(t), "run-1"); err != nil {
		t.Fatal(err)
	}
	if p, err := l.SweepProgress(ctx(t), "run-1"); err != nil || p.Done != 0 || p.Findings != 0 {
		t.Errorf("progress after forgetting = %+v, %v", p, err)
	}
	if ok, err := l.Probed(ctx(t), "run-2", "A", "pc"); err != nil || !ok {
		t.Errorf("forgetting run-1 lost run-2: %v, %v", ok, err)
	}
}

func testClaimCompare(t *testing.T, l finding.SweepLedger) {
	for _, job := range []int64{11, 12, 11} {
		owner, err := l.ClaimCompare(ctx(t), "run-1", "A", job)
		if err != nil || owner != 11 {
			t.Errorf("job %d claims: owner %d, %v; want the first, 11", job, owner, err)
		}
	}
	if owner, err := l.ClaimCompare(ctx(t), "run-1", "B", 12); err != nil || owner != 12 {
		t.Errorf("another item: owner %d, %v", owner, err)
	}
}

func testHold(t *testing.T, l finding.SweepLedger) {
	if ok, err := l.HoldAlive(ctx(t), "hand-1", t0.Add(-time.Minute)); err != nil || ok {
		t.Errorf("alive before any beat: %v, %v", ok, err)
	}
	if err := l.BeatHold(ctx(t), "hand-1", "a", t0.Add(-10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if ok, err := l.HoldAlive(ctx(t), "hand-1", t0.Add(-time.Minute)); err != nil || ok {
		t.Errorf("alive on a stale beat: %v, %v", ok, err)
	}
	if err := l.BeatHold(ctx(t), "hand-1", "b", t0); err != nil {
		t.Fatal(err)
	}
	if ok, err := l.HoldAlive(ctx(t), "hand-1", t0.Add(-time.Minute)); err != nil || !ok {
		t.Errorf("not alive on a fresh beat: %v, %v", ok, err)
	}
	if err := l.DropHold(ctx(t), "hand-1"); err != nil {
		t.Fatal(err)
	}
	if ok, err := l.HoldAlive(ctx(t), "hand-1", t0.Add(-time.Hour)); err != nil || ok {
		t.Errorf("alive after the drop: %v, %v", ok, err)
	}
}

func testHeldFindings(t *testing.T, l finding.SweepLedger) {
	held := func(run, code, channel string, usable bool, findings string) finding.HeldFindings {
		return finding.HeldFindings{RunID: run, ItemCode: code, Channel: channel, Usable: usable, Findings: []byte(findings)}
	}
	for _, h := range []finding.HeldFindings{
		held("run-1", "B", "pc", true, `[{"rule":"LAYOUT-SMALL-TEXT"}]`),
		held("run-1", "A", "pc", false, `[{"rule":"first try"}]`),
		held("run-1", "A", "h5", true, `[]`),                             // nothing to hold: the usable page still counts
		held("run-1", "A", "pc", true, `[{"rule":"LAYOUT-SMALL-TEXT"}]`), // the job again: replaces its rows
		held("run-2", "A", "pc", true, `[]`),
	} {
		if err := l.HoldFindings(ctx(t), h); err != nil {
			t.Fatalf("hold %s %s %s: %v", h.RunID, h.ItemCode, h.Channel, err)
		}
	}
	want := []finding.HeldFindings{
		held("run-1", "A", "h5", true, `[]`),
		held("run-1", "A", "pc", true, `[{"rule":"LAYOUT-SMALL-TEXT"}]`),
		held("run-1", "B", "pc", true, `[{"rule":"LAYOUT-SMALL-TEXT"}]`),
	}
	if got, err := l.HeldFindings(ctx(t), "run-1"); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("held by run-1 = %+v, %v; want %+v", got, err, want)
	}
	if err := l.DropHeldFindings(ctx(t), "run-1"); err != nil {
		t.Fatal(err)
	}
	if got, err := l.HeldFindings(ctx(t), "run-1"); err != nil || len(got) != 0 {
		t.Errorf("held by run-1 after the drop = %+v, %v", got, err)
	}
	if got, err := l.HeldFindings(ctx(t), "run-2"); err != nil || len(got) != 1 {
		t.Errorf("dropping run-1 lost run-2's: %+v, %v", got, err)
	}
}

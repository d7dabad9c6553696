package storetest

import (
	"testing"
	"time"

	"tiyan/internal/finding"
)

func testRuns(t *testing.T, s finding.Store) {
	c := ctx(t)
	r := must[finding.Run](t)(s.CreateRun(c, finding.Run{Kind: finding.RunSweep, Site: "wanshitong", Channels: []string{"pc", "h5"}, Started: t0, Total: 80}))
	if r.ID == "" || r.Status != finding.RunRunning || r.Total != 80 || len(r.Channels) != 2 || r.Errors == nil || r.Workers == nil {
		t.Fatalf("created run = %+v", r)
	}
	sameTime(t, "started", r.Started, t0)
	if !r.Finished.IsZero() {
		t.Errorf("finished = %v, want zero", r.Finished)
	}
	r.Status, r.Finished, r.Done, r.Findings = finding.RunDone, t0.Add(time.Hour), 80, 12
	r.Errors, r.Workers = []string{"item 11 pc: 打开办事指南超时"}, map[string]int{"w1": 50, "w2": 30}
	if err := s.UpdateRun(c, r); err != nil {
		t.Fatal(err)
	}
	got := must[finding.Run](t)(s.Run(c, r.ID))
	if got.Status != finding.RunDone || got.Done != 80 || got.Findings != 12 || len(got.Errors) != 1 ||
		got.Errors[0] != r.Errors[0] || got.Workers["w1"] != 50 || got.Kind != finding.RunSweep || got.Site != "wanshitong" {
		t.Fatalf("updated run = %+v", got)
	}
	sameTime(t, "finished", got.Finished, t0.Add(time.Hour))

	_, err := s.CreateRun(c, finding.Run{ID: r.ID, Kind: finding.RunSweep, Started: t0})
	wantCode(t, err, finding.ECONFLICT)
	_, err = s.CreateRun(c, finding.Run{Kind: "crawl", Started: t0})
	wantCode(t, err, finding.EINVALID)
	wantCode(t, s.UpdateRun(c, finding.Run{ID: "nope", Kind: finding.RunSweep, Status: finding.RunDone, Started: t0}), finding.ENOTFOUND)
	_, err = s.Run(c, "nope")
	wantCode(t, err, finding.ENOTFOUND)

	sc := must[finding.Run](t)(s.CreateRun(c, finding.Run{ID: "scenario-1", Kind: finding.RunScenario, Started: t0.Add(2 * time.Hour)}))
	all := must[[]finding.Run](t)(s.Runs(c, finding.RunFilter{}))
	if len(all) != 2 || all[0].ID != sc.ID || all[1].ID != r.ID {
		t.Errorf("runs = %+v", all)
	}
	sweeps := must[[]finding.Run](t)(s.Runs(c, finding.RunFilter{Kind: finding.RunSweep}))
	if len(sweeps) != 1 || sweeps[0].ID != r.ID {
		t.Errorf("sweeps = %+v", sweeps)
	}
	eq(t, "limited", len(must[[]finding.Run](t)(s.Runs(c, finding.RunFilter{Limit: 1}))), 1)
	eq(t, "running", len(must[[]finding.Run](t)(s.Runs(c, finding.RunFilter{Status: finding.RunRunning}))), 1)
}

func testRunFindings(t *testing.T, s finding.Store) {
	c := ctx(t)
	r1 := ingest(t, s, group(t, s, sighting("fp-1", "run-a", 0)), group(t, s, sighting("fp-2", "run-a", 0), sighting("fp-2", "run-a", time.Second)))
	ingest(t, s, group(t, s, sighting("fp-2", "run-b", time.Hour)), group(t, s, sighting("fp-3", "run-b", time.Hour)))
	a := must[[]finding.Finding](t)(s.RunFindings(c, "run-a"))
	eqSlice(t, "run-a findings", ids(a), []int64{r1[0].FindingID, r1[1].FindingID})
	b := must[[]finding.Finding](t)(s.RunFindings(c, "run-b"))
	if len(b) != 2 || b[0].ID != r1[1].FindingID {
		t.Errorf("run-b findings = %v", ids(b))
	}
	eq(t, "unknown run", len(must[[]finding.Finding](t)(s.RunFindings(c, "run-z"))), 0)
}

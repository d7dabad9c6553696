package storetest

import (
	"fmt"
	"testing"
	"time"

	"tiyan/internal/finding"
)

// group builds a sighting group on the unit the sightings name.
func group(t testing.TB, s finding.Store, ss ...finding.Sighting) finding.SightingGroup {
	t.Helper()
	us := must[[]finding.Unit](t)(s.EnsureUnits(ctx(t), []finding.Unit{{Name: ss[0].Unit, Jurisdiction: ss[0].Jurisdiction}}))
	return finding.SightingGroup{UnitID: us[0].ID, Sightings: ss}
}

func ingest(t testing.TB, s finding.Store, gs ...finding.SightingGroup) []finding.Ingested {
	t.Helper()
	res := must[[]finding.Ingested](t)(s.Ingest(ctx(t), gs))
	if len(res) != len(gs) {
		t.Fatalf("Ingest returned %d results for %d groups", len(res), len(gs))
	}
	return res
}

func testIngestNew(t *testing.T, s finding.Store) {
	c := ctx(t)
	a := sighting("fp-a", "run-1", 0)
	a.Evidence = []finding.Evidence{{Kind: finding.EvidenceScreenshot, Name: "screenshot.png", ContentType: "image/png", Data: []byte("\x89PNG")}}
	b := sighting("fp-a", "run-1", time.Minute)
	b.Measured = map[string]any{"overflow_px": 44.0}
	res := ingest(t, s, group(t, s, a, b))
	if !res[0].New || res[0].FindingID == 0 || res[0].RecurrenceOf != 0 || res[0].Suppressed {
		t.Fatalf("Ingest = %+v", res)
	}
	f := must[finding.Finding](t)(s.Finding(c, res[0].FindingID))
	if f.Kind != finding.Problem || f.Status != finding.Found || f.Rule != "LAYOUT-OVERFLOW" || f.Source != finding.SourceProbe ||
		f.Unit != "六安市市场监督管理局" || f.Jurisdiction != "341500" || f.Channel != finding.H5 || f.Fingerprint != "fp-a" ||
		f.Occurrences != 2 || f.RunID != "run-1" || f.Measured["overflow_px"] != 44.0 || f.ItemName != "个体工商户设立登记" {
		t.Fatalf("ingested finding = %+v", f)
	}
	sameTime(t, "first seen", f.FirstSeen, t0)
	sameTime(t, "last seen", f.LastSeen, t0.Add(time.Minute))
	if len(f.Events) != 1 || f.Events[0].Action != finding.ActFound || f.Events[0].Actor != finding.Robot || f.Events[0].To != finding.Found {
		t.Fatalf("events = %+v", f.Events)
	}
	if len(f.Evidence) != 1 || f.Evidence[0].RunID != "run-1" || f.Evidence[0].Size != 4 || f.Evidence[0].EventID != 0 {
		t.Fatalf("evidence = %+v", f.Evidence)
	}
	sameTime(t, "evidence dated by its sighting", f.Evidence[0].Created, t0)
}

func testIngestDedupe(t *testing.T, s finding.Store) {
	c := ctx(t)
	first := ingest(t, s, group(t, s, sighting("fp-d", "run-1", 0)))
	// Seen again in another run, while fed back: the same finding, counted.
	f := must[finding.Finding](t)(s.Finding(c, first[0].FindingID))
	move(t, s, f, finding.FedBack, finding.ActFedBack, nil)
	again := sighting("fp-d", "run-2", 24*time.Hour)
	again.Measured = map[string]any{"overflow_px": 12.0}
	again.Evidence = []finding.Evidence{{Kind: finding.EvidenceDOM, Name: "dom.html", ContentType: "text/html", Data: []byte("<div>")}}
	res := ingest(t, s, group(t, s, again))
	if res[0].New || res[0].FindingID != first[0].FindingID || res[0].Suppressed {
		t.Fatalf("second ingest = %+v, want the same finding %d", res, first[0].FindingID)
	}
	f = must[finding.Finding](t)(s.Finding(c, f.ID))
	if f.Occurrences != 2 || f.Status != finding.FedBack || f.RunID != "run-2" || f.Measured["overflow_px"] != 12.0 || len(f.Evidence) != 1 {
		t.Fatalf("after dedupe = %+v", f)
	}
	sameTime(t, "first seen kept", f.FirstSeen, t0)
	sameTime(t, "last seen", f.LastSeen, t0.Add(24*time.Hour))
	eq(t, "events (seeing again adds none)", len(f.Events), 2)
	// An older sighting arriving late does not move last seen back.
	ingest(t, s, group(t, s, sighting("fp-d", "run-0", -time.Hour)))
	f = must[finding.Finding](t)(s.Finding(c, f.ID))
	sameTime(t, "last seen after a late sighting", f.LastSeen, t0.Add(24*time.Hour))
	eq(t, "occurrences", f.Occurrences, 3)
	eq(t, "findings", must[int](t)(s.CountFindings(c, finding.FindingFilter{})), 1)
}

func testIngestRecurrence(t *testing.T, s finding.Store) {
	c := ctx(t)
	first := ingest(t, s, group(t, s, sighting("fp-r", "run-1", 0)))
	f := must[finding.Finding](t)(s.Finding(c, first[0].FindingID))
	f = move(t, s, f, finding.FedBack, finding.ActFedBack, nil)
	f = move(t, s, f, finding.Handled, finding.ActHandled, nil)
	f = move(t, s, f, finding.Verified, finding.ActVerified, nil)

	res := ingest(t, s, group(t, s, sighting("fp-r", "run-9", 72*time.Hour)))
	if !res[0].New || res[0].RecurrenceOf != f.ID || res[0].FindingID == f.ID {
		t.Fatalf("recurrence ingest = %+v (verified %d)", res, f.ID)
	}
	n := must[finding.Finding](t)(s.Finding(c, res[0].FindingID))
	if n.Status != finding.Found || n.RecurrenceOf != f.ID || n.Occurrences != 1 || len(n.Events) != 1 || n.Events[0].Actor != finding.Robot {
		t.Fatalf("recurrence = %+v", n)
	}
	old := must[finding.Finding](t)(s.Finding(c, f.ID))
	if old.Status != finding.Verified || old.Occurrences != 1 {
		t.Errorf("the verified finding changed: %+v", old)
	}
	// Seen again: the recurrence is open, so it is counted there.
	res = ingest(t, s, group(t, s, sighting("fp-r", "run-10", 96*time.Hour)))
	if res[0].New || res[0].FindingID != n.ID {
		t.Errorf("after recurrence = %+v, want finding %d", res, n.ID)
	}
}

func testIngestDismissed(t *testing.T, s finding.Store) {
	c := ctx(t)
	first := ingest(t, s, group(t, s, sighting("fp-x", "run-1", 0)))
	f := must[finding.Finding](t)(s.Finding(c, first[0].FindingID))
	move(t, s, f, finding.Dismissed, finding.ActDismissed, nil)
	res := ingest(t, s, group(t, s, sighting("fp-x", "run-2", time.Hour)))
	if res[0].New || !res[0].Suppressed || res[0].FindingID != f.ID {
		t.Fatalf("ingest of a dismissed defect = %+v", res)
	}
	f = must[finding.Finding](t)(s.Finding(c, f.ID))
	if f.Status != finding.Dismissed || f.Occurrences != 2 {
		t.Errorf("dismissed finding = %+v", f)
	}
	eq(t, "findings", must[int](t)(s.CountFindings(c, finding.FindingFilter{})), 1)
}

func testIngestBatch(t *testing.T, s finding.Store) {
	c := ctx(t)
	var gs []finding.SightingGroup
	for i := range 50 {
		sg := sighting(fmt.Sprintf("fp-%03d", i), "run-1", time.Duration(i)*time.Second)
		sg.Unit = fmt.Sprintf("单位%d", i%3)
		gs = append(gs, group(t, s, sg))
	}
	res := ingest(t, s, gs...)
	seen := map[int64]bool{}
	for i, r := range res {
		if !r.New || seen[r.FindingID] {
			t.Fatalf("result %d = %+v", i, r)
		}
		seen[r.FindingID] = true
		f := must[finding.Finding](t)(s.Finding(c, r.FindingID))
		eq(t, fmt.Sprintf("fingerprint of result %d", i), f.Fingerprint, fmt.Sprintf("fp-%03d", i))
	}
	// The same batch again, with one new fingerprint in the middle: order is kept.
	gs2 := append([]finding.SightingGroup{}, gs[:25]...)
	gs2 = append(gs2, group(t, s, sighting("fp-new", "run-2", 0)))
	gs2 = append(gs2, gs[25:]...)
	res2 := ingest(t, s, gs2...)
	for i, r := range res2 {
		switch {
		case i == 25 && !r.New:
			t.Errorf("result 25 = %+v, want new", r)
		case i < 25 && (r.New || r.FindingID != res[i].FindingID):
			t.Errorf("result %d = %+v, want finding %d", i, r, res[i].FindingID)
		case i > 25 && (r.New || r.FindingID != res[i-1].FindingID):
			t.Errorf("result %d = %+v, want finding %d", i, r, res[i-1].FindingID)
		}
	}
	eq(t, "open findings", must[int](t)(s.CountFindings(c, finding.FindingFilter{Open: true})), 51)
}

// testIngestConcurrent files the same sweep from several goroutines at once: still one finding
// per fingerprint, every sighting counted.
func testIngestConcurrent(t *testing.T, s finding.Store) {
	c := ctx(t)
	unit := group(t, s, sighting("fp-c", "run", 0)).UnitID
	const workers, fps = 4, 30
	errs := make(chan error, workers)
	for w := range workers {
		go func() {
			gs := make([]finding.SightingGroup, fps)
			for i := range gs {
				gs[i] = finding.SightingGroup{UnitID: unit, Sightings: []finding.Sighting{sighting(fmt.Sprintf("fp-c%d", i), fmt.Sprintf("run-%d", w), time.Duration(w)*time.Second)}}
			}
			_, err := s.Ingest(c, gs)
			errs <- err
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	eq(t, "findings", must[int](t)(s.CountFindings(c, finding.FindingFilter{})), fps)
	for _, f := range must[[]finding.Finding](t)(s.Findings(c, finding.FindingFilter{})) {
		eq(t, "occurrences of "+f.Fingerprint, f.Occurrences, workers)
	}
}

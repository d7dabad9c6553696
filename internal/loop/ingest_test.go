package loop

import (
	"fmt"
	"testing"
	"time"

	"tiyan/internal/finding"
)

func probeSighting(fp, run string, at time.Time) finding.Sighting {
	return finding.Sighting{
		Rule: "LAYOUT-TEXT-CLIPPED", Title: "按钮文字被截断", Detail: "“在线办理”按钮文字超出按钮宽度",
		Category: finding.CatLayout, Severity: finding.Minor, ItemCode: "11341500MB1234567X4000117001",
		ItemName: "个体工商户设立登记", Unit: "六安市市场监督管理局", Jurisdiction: "341500",
		Channel: finding.H5, URL: "http://127.0.0.1:18090/guide?id=1", Fingerprint: fp, RunID: run,
		Measured: map[string]any{"clipped_px": 12}, SeenAt: at,
		Evidence: []finding.Evidence{{Kind: finding.EvidenceScreenshot, Name: "screenshot.png", ContentType: "image/png", Data: []byte("png")}},
	}
}

// TestSweepTwice files the same sweep twice: the same findings, occurrences 2.
func TestSweepTwice(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		var sweep []finding.Sighting
		for i := range 6 {
			s := probeSighting(fmt.Sprintf("fp-%d", i), "night-1", wednesday)
			if i%2 == 1 {
				s.Unit, s.Jurisdiction = "金安区政务服务中心", "341502"
			}
			sweep = append(sweep, s)
		}
		first := ok[[]Outcome](t)(e.Ingest(c, sweep))
		for i := range sweep {
			sweep[i].RunID, sweep[i].SeenAt = "night-2", wednesday.Add(24*time.Hour)
		}
		second := ok[[]Outcome](t)(e.Ingest(c, sweep))
		for i := range sweep {
			if !first[i].New || second[i].New || second[i].FindingID != first[i].FindingID {
				t.Errorf("sighting %d: first %+v, second %+v", i, first[i], second[i])
			}
			f := ok[finding.Finding](t)(e.Show(c, first[i].FindingID))
			if f.Occurrences != 2 || f.Status != finding.Found || len(f.Evidence) != 2 || len(f.Events) != 1 {
				t.Errorf("finding %d: occurrences %d, status %s, evidence %d", f.ID, f.Occurrences, f.Status, len(f.Evidence))
			}
		}
		if n := ok[int](t)(e.s.CountFindings(c, finding.FindingFilter{Open: true})); n != 6 {
			t.Errorf("open findings = %d, want 6", n)
		}
		u := ok[finding.Unit](t)(e.s.UnitByName(c, "金安区政务服务中心"))
		if u.Jurisdiction != "341502" {
			t.Errorf("created unit = %+v", u)
		}
		if inbox := ok[[]finding.Finding](t)(e.Inbox(c, u.ID, 10, 0)); len(inbox) != 3 {
			t.Errorf("inbox of %s = %d findings, want 3", u.Name, len(inbox))
		}
	})
}

// TestIngestDuplicatesInBatches sends repeated fingerprints through batches smaller than the
// input: one finding per fingerprint, every sighting counted, outcomes in input order.
func TestIngestDuplicatesInBatches(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		e.Loop.batch = 3
		var ss []finding.Sighting
		for i := range 10 {
			ss = append(ss, probeSighting(fmt.Sprintf("fp-%d", i%4), "run", wednesday.Add(time.Duration(i)*time.Minute)))
		}
		out := ok[[]Outcome](t)(e.Ingest(c, ss))
		for i, o := range out {
			wantNew := i < 4
			if o.New != wantNew || o.FindingID != out[i%4].FindingID {
				t.Errorf("outcome %d = %+v", i, o)
			}
		}
		f := ok[finding.Finding](t)(e.Show(c, out[1].FindingID))
		if f.Occurrences != 3 { // fp-1 at 1, 5, 9
			t.Errorf("occurrences = %d, want 3", f.Occurrences)
		}
	})
}

func TestIngestDefaultsAndChecks(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		s := probeSighting("", "", time.Time{})
		s.Source, s.Unit = "", ""
		out := ok[[]Outcome](t)(e.Ingest(c, []finding.Sighting{s}))
		f := ok[finding.Finding](t)(e.Show(c, out[0].FindingID))
		if f.Fingerprint == "" || f.Source != finding.SourceProbe || !f.FirstSeen.Equal(wednesday) || f.UnitID != 0 {
			t.Errorf("defaults: %+v", f)
		}
		again := ok[[]Outcome](t)(e.Ingest(c, []finding.Sighting{s}))
		if again[0].New || again[0].FindingID != f.ID {
			t.Errorf("the computed fingerprint is not stable: %+v", again)
		}
		bad := probeSighting("fp", "", wednesday)
		bad.Category = "ui"
		_, err := e.Ingest(c, []finding.Sighting{bad})
		wantCode(t, err, finding.EINVALID)
		if out, err := e.Ingest(c, nil); err != nil || len(out) != 0 {
			t.Errorf("empty ingest: %v, %v", out, err)
		}
	})
}

package loop

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"tiyan/internal/finding"
)

// reprober is the test's stand-in for the browser replay: the project's own seam.
type reprober struct {
	fires bool
	err   error
	calls int
}

func (r *reprober) Reprobe(_ context.Context, f finding.Finding) (bool, []finding.Evidence, error) {
	r.calls++
	return r.fires, []finding.Evidence{{Name: "recheck.png", ContentType: "image/png", Data: []byte("png2")}}, r.err
}

// handledProbe files a probe finding and moves it to handled.
func (e *env) handledProbe(t *testing.T, fp string) finding.Finding {
	t.Helper()
	c := t.Context()
	out := ok[[]Outcome](t)(e.Ingest(c, []finding.Sighting{probeSighting(fp, "night-1", wednesday)}))
	ok[finding.Finding](t)(e.Feedback(c, out[0].FindingID, Feedback{Actor: "李强"}))
	return ok[finding.Finding](t)(e.Handle(c, out[0].FindingID, "已调整按钮宽度", nil, "张三"))
}

func TestVerifyFixed(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		f := e.handledProbe(t, "fp-v")
		r := &reprober{}
		f = ok[finding.Finding](t)(e.Verify(c, f.ID, r))
		last := f.Events[len(f.Events)-1]
		if f.Status != finding.Verified || last.Actor != Robot || last.Action != finding.ActVerified || r.calls != 1 {
			t.Fatalf("verified: %s, %+v", f.Status, last)
		}
		if ev := f.Evidence[len(f.Evidence)-1]; ev.Name != "recheck.png" || ev.EventID != last.ID || ev.Kind != finding.EvidenceScreenshot {
			t.Errorf("evidence = %+v", ev)
		}
		// 回潮: the defect comes back in a later sweep.
		out := ok[[]Outcome](t)(e.Ingest(c, []finding.Sighting{probeSighting("fp-v", "night-9", wednesday.AddDate(0, 0, 20))}))
		if !out[0].New || !out[0].Recurrence || out[0].FindingID == f.ID {
			t.Fatalf("recurrence = %+v", out)
		}
		n := ok[finding.Finding](t)(e.Show(c, out[0].FindingID))
		if n.RecurrenceOf != f.ID || n.Status != finding.Found || !strings.Contains(n.Events[0].Note, "回潮") {
			t.Errorf("recurrence finding = %+v", n)
		}
	})
}

func TestVerifyStillFires(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		f := e.handledProbe(t, "fp-s")
		evidence := len(f.Evidence)
		f = ok[finding.Finding](t)(e.Verify(c, f.ID, &reprober{fires: true}))
		last := f.Events[len(f.Events)-1]
		if f.Status != finding.FedBack || last.Action != finding.ActReopened || last.Actor != Robot || len(f.Evidence) != evidence+1 {
			t.Fatalf("still fires: %s, %+v, %d evidence", f.Status, last, len(f.Evidence))
		}
		// Reopened on 2026-09-30 with minor's 10 working days.
		if finding.FormatDate(f.Deadline) != "2026-10-20" {
			t.Errorf("new deadline = %s", finding.FormatDate(f.Deadline))
		}
	})
}

func TestVerifyRefusals(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		f := e.handledProbe(t, "fp-e")
		r := &reprober{err: errors.New("chromium died")}
		_, err := e.Verify(c, f.ID, r)
		if err == nil || !strings.Contains(err.Error(), "chromium died") {
			t.Errorf("reprobe error: %v", err)
		}
		if after := ok[finding.Finding](t)(e.Show(c, f.ID)); after.Status != finding.Handled || len(after.Events) != len(f.Events) {
			t.Errorf("a failed reprobe changed the finding: %+v", after)
		}

		m := e.report(t, finding.Major)
		r = &reprober{}
		_, err = e.Verify(c, m.ID, r)
		wantCode(t, err, finding.ECONFLICT)
		if !strings.Contains(err.Error(), "evaluate") || r.calls != 0 {
			t.Errorf("verify of a manual report: %v (%d reprobes)", err, r.calls)
		}

		out := ok[[]Outcome](t)(e.Ingest(c, []finding.Sighting{probeSighting("fp-n", "night-1", wednesday)}))
		_, err = e.Verify(c, out[0].FindingID, r)
		wantCode(t, err, finding.ECONFLICT)
		if !strings.Contains(err.Error(), "发现问题") || r.calls != 0 {
			t.Errorf("verify of a found finding: %v", err)
		}
	})
}

// templateSighting is a template finding of the guide template, on the given items.
func templateSighting(run string, at time.Time, codes ...string) finding.Sighting {
	var items []finding.AffectedItem
	for _, c := range codes {
		items = append(items, finding.AffectedItem{Code: c, Name: "事项" + c})
	}
	return finding.Sighting{
		Rule: "LAYOUT-SMALL-TEXT", Title: "正文字号过小（3 个事项的页面相同）", Detail: "页面模板的问题",
		Category: finding.CatLayout, Severity: finding.Minor, Channel: finding.PC, URL: "http://127.0.0.1:18090/guide",
		Fingerprint: "fp-template", RunID: run, Scope: finding.ScopeTemplate, Affected: len(items),
		Measured: map[string]any{finding.AffectedKey: items, finding.LocatorKey: "page"}, SeenAt: at,
	}
}

// TestTemplateFindingThroughTheLoop: a template finding is filed with no unit, deduplicated
// across sweeps whatever items show it, and verified by replay like an item's finding, with
// notes that speak of the portal operator.
func TestTemplateFindingThroughTheLoop(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		first := ok[[]Outcome](t)(e.Ingest(c, []finding.Sighting{templateSighting("night-1", wednesday, "A", "B", "C")}))
		again := ok[[]Outcome](t)(e.Ingest(c, []finding.Sighting{templateSighting("night-2", wednesday.Add(24*time.Hour), "A", "B", "C", "D")}))
		if !first[0].New || again[0].New || again[0].FindingID != first[0].FindingID {
			t.Fatalf("two sweeps: %+v then %+v, want one finding", first, again)
		}
		f := ok[finding.Finding](t)(e.Show(c, first[0].FindingID))
		if f.Scope != finding.ScopeTemplate || f.Affected != 4 || f.UnitID != 0 || f.ItemCode != "" {
			t.Fatalf("template finding: scope %s, affected %d, unit %d, item %q", f.Scope, f.Affected, f.UnitID, f.ItemCode)
		}
		if fed := ok[finding.Finding](t)(e.Feedback(c, f.ID, Feedback{Actor: "李强"})); fed.Unit != finding.Operator {
			t.Errorf("fed back to %q, want the portal operator by default", fed.Unit)
		}
		ok[finding.Finding](t)(e.Handle(c, f.ID, "已修改页面模板的字号", nil, "运营方"))
		f = ok[finding.Finding](t)(e.Verify(c, f.ID, &reprober{fires: true}))
		if last := f.Events[len(f.Events)-1]; f.Status != finding.FedBack || !strings.Contains(last.Note, finding.Operator) {
			t.Errorf("still there: %s, %q", f.Status, last.Note)
		}
		ok[finding.Finding](t)(e.Handle(c, f.ID, "已再次修改", nil, "运营方"))
		f = ok[finding.Finding](t)(e.Verify(c, f.ID, &reprober{}))
		if last := f.Events[len(f.Events)-1]; f.Status != finding.Verified || !strings.Contains(last.Note, "模板问题") {
			t.Errorf("fixed: %s, %q", f.Status, last.Note)
		}
		bad := templateSighting("night-3", wednesday, "A")
		bad.ItemCode = "A"
		if _, err := e.Ingest(c, []finding.Sighting{bad}); err == nil {
			t.Error("a template sighting naming one item was accepted")
		}
	})
}

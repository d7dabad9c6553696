package jobs

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/portalsim"
)

// TestQueuedSweepGroupsTemplateDefects queues a sweep of 6 items on PC, on a portal whose guide
// template has small text on every page and which has no elder mode anywhere: the run files
// one template finding and one site finding, each affecting the 6 items, and no item's copy of
// either; the held findings are gone once the run is closed.
func TestQueuedSweepGroupsTemplateDefects(t *testing.T) {
	chromium.Browser(t) // skip without Chromium
	fixture := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(fixture, []byte("defects:\n  - {item: \"*\", channel: pc, defect: small-text}\n  - {item: \"*\", channel: pc, defect: no-elder-mode}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sim, err := portalsim.New(portalsim.Config{Defects: fixture, SlowDelay: 4 * time.Second, HangLimit: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(sim)
	t.Cleanup(ts.Close)
	ctx := context.Background()
	url := sqliteURL(t)
	lp := openLoop(t, url)
	j := openJobs(t, Config{DatabaseURL: url, Work: true, Loop: lp, Name: "solo", Concurrency: 2, Prober: simProber(t, 2)})
	start(t, j)
	runID, err := j.EnqueueSweep(ctx, SweepArgs{Target: Target{Site: "wanshitong", BaseURL: ts.URL, Channels: []string{"pc"}}, Limit: 6})
	if err != nil {
		t.Fatal(err)
	}
	run := waitRun(t, lp.Store(), runID, 5*time.Minute)
	if run.Status != finding.RunDone || run.Done != 6 {
		t.Fatalf("run = %+v; want done, 6 item-channels", run)
	}
	fs, err := lp.Store().RunFindings(ctx, runID)
	if err != nil {
		t.Fatal(err)
	}
	shared := map[string]finding.Finding{}
	for _, f := range fs {
		t.Logf("filed %s %q %s %s affected %d", f.Scope, f.ItemCode, f.Channel, f.Rule, f.Affected)
		switch f.Rule {
		case "LAYOUT-SMALL-TEXT", "LAYOUT-NO-ELDER-MODE":
			if _, twice := shared[f.Rule]; twice || f.ItemCode != "" {
				t.Errorf("%s filed for item %q as well as once for all", f.Rule, f.ItemCode)
			}
			shared[f.Rule] = f
		}
	}
	for rule, scope := range map[string]finding.Scope{"LAYOUT-SMALL-TEXT": finding.ScopeTemplate, "LAYOUT-NO-ELDER-MODE": finding.ScopeSite} {
		f, ok := shared[rule]
		if !ok || f.Scope != scope || f.Affected != 6 || f.Channel != "pc" {
			t.Errorf("%s: filed %v, scope %q, channel %s, affected %d; want one %s finding on pc affecting 6 items", rule, ok, f.Scope, f.Channel, f.Affected, scope)
		}
	}
	if run.Findings < len(fs) {
		t.Errorf("run counts %d findings, %d filed", run.Findings, len(fs))
	}
	// The held rows go after the run is closed, with the rest of its ledger.
	held, err := j.db.sweeps.HeldFindings(ctx, runID)
	for deadline := time.Now().Add(30 * time.Second); err == nil && len(held) > 0 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		held, err = j.db.sweeps.HeldFindings(ctx, runID)
	}
	if err != nil || len(held) != 0 {
		t.Errorf("held after the run: %d rows, %v", len(held), err)
	}
}

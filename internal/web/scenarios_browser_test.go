package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tiyan/internal/browser"
	"tiyan/internal/finding"
)

// TestScenarioPagesInChromium opens the scenarios page and the pages of a finished and of a
// running scenario run at phone and desktop width, signed in as an officer, under the server's
// own Content-Security-Policy: axe finds nothing serious or critical, nothing scrolls sideways,
// the stylesheet applies. Then the running run moves on in the store, and its open page follows
// by itself: a new step, then the end of the run and its step report.
func TestScenarioPagesInChromium(t *testing.T) {
	sf := newScenarioFixture(t)
	ts := httptest.NewServer(sf.srv)
	t.Cleanup(ts.Close)
	for _, dev := range []browser.Device{browser.H5, browser.PC} {
		t.Run(dev.Name, func(t *testing.T) {
			tab := chromium.Session(t, dev)
			signInBrowser(t, tab, ts.URL, "wangfang")
			for _, p := range []string{"/scenarios", "/scenarios/runs/" + sf.done, "/scenarios/runs/" + sf.running} {
				t.Run(strings.TrimPrefix(p, "/"), func(t *testing.T) { checkPage(t, tab, ts.URL+p, dev) })
			}
		})
	}

	t.Run("live", func(t *testing.T) {
		tab := chromium.Session(t, browser.PC)
		signInBrowser(t, tab, ts.URL, "wangfang")
		checkPage(t, tab, ts.URL+"/scenarios/runs/"+sf.running, browser.PC)
		ctx, cancel := context.WithTimeout(tab, 30*time.Second)
		defer cancel()
		st := sf.store
		results, err := st.ScenarioResults(ctx, sf.running)
		if err != nil || len(results) != 1 {
			t.Fatalf("results: %v %v", results, err)
		}
		cur := results[0]
		if err := st.AddScenarioStep(ctx, cur.ID, finding.ScenarioStep{Index: 1, Line: 9, Kind: "expect", Description: "看到“申请材料”",
			Passed: true, Duration: 150 * time.Millisecond, Screenshot: tinyPNG}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, `document.getElementById("run-message").textContent.includes("已完成第2步：看到“申请材料”")`)
		cur.Status, cur.Duration = finding.ScenarioPassed, 3*time.Second
		if err := st.FinishScenario(ctx, cur); err != nil {
			t.Fatal(err)
		}
		run, err := st.Run(ctx, sf.running)
		if err != nil {
			t.Fatal(err)
		}
		run.Status, run.Finished, run.Done, run.Total = finding.RunDone, time.Now(), 1, 1
		if err := st.UpdateRun(ctx, run); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, `document.getElementById("run-message").textContent.includes("回放完成：1 个渠道全部通过")`)
		if s := text(t, ctx); !strings.Contains(s, "✓ 通过") || !strings.Contains(s, "2 / 2 步通过") || strings.Contains(s, "本页会自动更新") {
			t.Errorf("after the run the page says:\n%s", s)
		}
		checkLoaded(t, ctx, browser.PC)
	})
}

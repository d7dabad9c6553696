package storetest

import (
	"bytes"
	"testing"
	"time"

	"tiyan/internal/finding"
)

// testScenarioResults writes a scenario run as the runner goes (a result started, a step at a
// time with screenshots, finished) and reads it back: the run's results, the newest result of
// each scenario and channel, and each screenshot.
func testScenarioResults(t *testing.T, s finding.Store) {
	c := ctx(t)
	run := func(id string, at time.Duration) string {
		t.Helper()
		return must[finding.Run](t)(s.CreateRun(c, finding.Run{ID: id, Kind: finding.RunScenario, Started: t0.Add(at)})).ID
	}
	start := func(runID, scenario string, ch finding.Channel, at time.Duration) finding.ScenarioResult {
		t.Helper()
		return must[finding.ScenarioResult](t)(s.StartScenario(c, finding.ScenarioResult{RunID: runID, Scenario: scenario,
			Title: "个体工商户设立登记 办事指南", Channel: ch, Site: "皖事通办", BaseURL: "http://127.0.0.1:18090", Started: t0.Add(at)}))
	}
	step := func(i int, passed bool, shot []byte) finding.ScenarioStep {
		st := finding.ScenarioStep{Index: i, Line: 8 + i, Kind: "expect", Description: "看到“办事指南”", Passed: passed,
			Duration: time.Duration(120+i) * time.Millisecond, URL: "https://www.ahzwfw.gov.cn/item", Screenshot: shot}
		if !passed {
			st.Error, st.DOMExcerpt = "没有找到“受理条件”", "<div class=\"guide\">…</div>"
			st.ConsoleErrors, st.FailedRequests = []string{"TypeError: x is undefined"}, []string{"404 GET https://www.ahzwfw.gov.cn/a.js"}
		}
		return st
	}
	shot := []byte("\xff\xd8\xff jpeg of step")

	r1 := run("scenario-a", 0)
	pc := start(r1, "getihu-guide", finding.PC, 0)
	if pc.ID == 0 || pc.Status != finding.ScenarioRunning || pc.Steps != nil {
		t.Fatalf("started result = %+v", pc)
	}
	sameTime(t, "started", pc.Started, t0)
	for i := range 2 {
		if err := s.AddScenarioStep(c, pc.ID, step(i, true, shot)); err != nil {
			t.Fatal(err)
		}
	}
	// A result still running lists the steps so far: the web page's live progress.
	got := must[[]finding.ScenarioResult](t)(s.ScenarioResults(c, r1))
	if len(got) != 1 || got[0].Status != finding.ScenarioRunning || len(got[0].Steps) != 2 {
		t.Fatalf("results while running = %+v", got)
	}
	if err := s.AddScenarioStep(c, pc.ID, step(2, false, nil)); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.AddScenarioStep(c, pc.ID, step(2, false, nil)), finding.ECONFLICT)
	wantCode(t, s.AddScenarioStep(c, pc.ID+1000, step(0, true, nil)), finding.ENOTFOUND)
	pc.Status, pc.Duration = finding.ScenarioFailed, 3200*time.Millisecond
	if err := s.FinishScenario(c, pc); err != nil {
		t.Fatal(err)
	}
	h5 := start(r1, "getihu-guide", finding.H5, time.Minute)
	if err := s.AddScenarioStep(c, h5.ID, step(0, true, shot)); err != nil {
		t.Fatal(err)
	}
	h5.Status, h5.Duration, h5.BrowserDied, h5.Error = finding.ScenarioFailed, time.Second, true, "浏览器进程意外退出"
	if err := s.FinishScenario(c, h5); err != nil {
		t.Fatal(err)
	}

	got = must[[]finding.ScenarioResult](t)(s.ScenarioResults(c, r1))
	if len(got) != 2 || got[0].ID != pc.ID || got[1].ID != h5.ID {
		t.Fatalf("results = %+v", got)
	}
	g := got[0]
	if g.RunID != r1 || g.Scenario != "getihu-guide" || g.Title != pc.Title || g.Channel != finding.PC || g.Site != "皖事通办" ||
		g.BaseURL != pc.BaseURL || g.Status != finding.ScenarioFailed || g.Duration != 3200*time.Millisecond || g.BrowserDied || len(g.Steps) != 3 {
		t.Fatalf("pc result = %+v", g)
	}
	sameTime(t, "pc started", g.Started, t0)
	for i, st := range g.Steps {
		want := step(i, i < 2, nil)
		if st.Index != i || st.Line != want.Line || st.Kind != "expect" || st.Description != want.Description || st.Passed != want.Passed ||
			st.Duration != want.Duration || st.URL != want.URL || st.Error != want.Error || st.DOMExcerpt != want.DOMExcerpt ||
			st.HasScreenshot != (i < 2) || st.Screenshot != nil {
			t.Errorf("step %d = %+v", i, st)
		}
		eqSlice(t, "console errors", st.ConsoleErrors, want.ConsoleErrors)
		eqSlice(t, "failed requests", st.FailedRequests, want.FailedRequests)
	}
	if f, ok := g.FailedStep(); !ok || f.Index != 2 || f.Error != "没有找到“受理条件”" {
		t.Errorf("failed step = %+v, %v", f, ok)
	}
	if got[1].Error != "浏览器进程意外退出" || !got[1].BrowserDied {
		t.Errorf("h5 result = %+v", got[1])
	}

	b := must[[]byte](t)(s.ScenarioScreenshot(c, r1, pc.ID, 1))
	if !bytes.Equal(b, shot) {
		t.Errorf("screenshot = %q", b)
	}
	_, err := s.ScenarioScreenshot(c, r1, pc.ID, 2) // the failing step had none
	wantCode(t, err, finding.ENOTFOUND)
	_, err = s.ScenarioScreenshot(c, "scenario-other", pc.ID, 1) // not of that run
	wantCode(t, err, finding.ENOTFOUND)

	// A later run of the same scenario on PC is the newest there; H5 keeps the first run's.
	r2 := run("scenario-b", time.Hour)
	again := start(r2, "getihu-guide", finding.PC, time.Hour)
	if err := s.AddScenarioStep(c, again.ID, step(0, true, nil)); err != nil {
		t.Fatal(err)
	}
	again.Status, again.Duration = finding.ScenarioPassed, time.Second
	if err := s.FinishScenario(c, again); err != nil {
		t.Fatal(err)
	}
	other := start(r2, "qiye-zhuxiao-guide", finding.PC, time.Hour+time.Minute)
	latest := must[[]finding.ScenarioResult](t)(s.LatestScenarioResults(c))
	var ids []int64
	for _, l := range latest {
		ids = append(ids, l.ID)
	}
	eqSlice(t, "latest results", ids, []int64{h5.ID, again.ID, other.ID})
	if len(latest) == 3 && (latest[1].Status != finding.ScenarioPassed || len(latest[1].Steps) != 1 || latest[2].Status != finding.ScenarioRunning) {
		t.Errorf("latest = %+v", latest)
	}

	eq(t, "results of an unknown run", len(must[[]finding.ScenarioResult](t)(s.ScenarioResults(c, "nope"))), 0)
	_, err = s.StartScenario(c, finding.ScenarioResult{RunID: "nope", Scenario: "x", Channel: finding.PC, Started: t0})
	wantCode(t, err, finding.ENOTFOUND)
	_, err = s.StartScenario(c, finding.ScenarioResult{RunID: r1, Scenario: "x", Channel: finding.Offline, Started: t0})
	wantCode(t, err, finding.EINVALID)
	wantCode(t, s.FinishScenario(c, finding.ScenarioResult{ID: other.ID + 1000, Status: finding.ScenarioPassed}), finding.ENOTFOUND)
}

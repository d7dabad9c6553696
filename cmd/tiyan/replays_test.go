package main

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/riverqueue/river"

	"tiyan/internal/auth"
	"tiyan/internal/browser"
	"tiyan/internal/browser/browsertest"
	"tiyan/internal/config"
	"tiyan/internal/finding"
	"tiyan/internal/jobs"
	"tiyan/internal/loop"
	"tiyan/internal/store"
	"tiyan/internal/web"
)

// TestReplayFromTheWebInChromium is 立即回放 end to end, as tiyan serve wires it on SQLite: an
// officer signs in to the web pages in a real Chromium, presses 立即回放 on a scenario of the
// simulated portal, and follows the run's page — live while serve's own job worker plays the
// scenario on both channels in its Chromium — to the step report, passed, each step with its
// duration and screenshot. Every page on the way passes axe and fits a phone.
func TestReplayFromTheWebInChromium(t *testing.T) {
	repoRoot(t)
	_, base := simulator(t)
	ctx := context.Background()
	url := os.Getenv("TIYAN_DATABASE_URL")
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	lp, err := loop.New(loop.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	j, err := jobs.Open(ctx, jobs.Config{DatabaseURL: url, Work: true, Loop: lp,
		Scenarios: scenarioRunner{sitesDir: "scenarios/sites", baseURL: base, lp: lp, stderr: io.Discard}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	if err := j.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		j.Stop(sctx)
	})
	ui, err := web.New(web.Config{Loop: lp, Scenarios: webScenarios{dir: "scenarios/wanshitong", st: st, jobs: j}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(ui)
	t.Cleanup(ts.Close)
	addOfficerUser(t, st, "wangfang", "officer-password")

	b, err := browser.Start(ctx, browser.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	tab := browsertest.Session(t, b, browser.H5)
	tctx, cancel := context.WithTimeout(tab, 4*time.Minute)
	defer cancel()

	// Sign in; an officer starts at the report form, and the navigation offers 场景回放.
	navigate(t, tctx, ts.URL+"/signin")
	do(t, tctx, chromedp.SendKeys(chromedp.ID("name"), "wangfang"), chromedp.SendKeys(chromedp.ID("password"), "officer-password"),
		chromedp.Click(chromedp.CSS("main button[type=submit]"), chromedp.NodeVisible))
	waitUntil(t, tctx, time.Minute, `location.pathname === "/report"`)
	do(t, tctx, chromedp.Click(chromedp.CSS(`nav a[href="/scenarios"]`), chromedp.NodeVisible))
	waitUntil(t, tctx, time.Minute, `location.pathname === "/scenarios"`)
	browsertest.CheckAccessible(t, tctx, browser.H5)
	if s := mainText(t, tctx); !strings.Contains(s, "个体工商户设立登记 办事指南与在线办理入口") || !strings.Contains(s, "尚未运行") {
		t.Fatalf("the scenarios page says:\n%s", s)
	}

	// 立即回放: the run's page follows the job as it plays.
	do(t, tctx, chromedp.Click(chromedp.CSS(`form[action="/scenarios/getihu-guide/replay"] button`), chromedp.NodeVisible))
	waitUntil(t, tctx, time.Minute, `location.pathname.startsWith("/scenarios/runs/")`)
	browsertest.CheckAccessible(t, tctx, browser.H5)
	waitUntil(t, tctx, 3*time.Minute, `document.getElementById("run-message").textContent.includes("回放完成")`)
	s := mainText(t, tctx)
	for _, want := range []string{"回放完成：2 个渠道全部通过", "PC 端", "皖事通 H5", "✓ 通过", "第1步", "毫秒", "步骤详情"} {
		if !strings.Contains(s, want) {
			t.Errorf("the step report lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "未通过") {
		t.Errorf("a step failed:\n%s", s)
	}
	// Each step shows its screenshot, served from the store: once every image has loaded (or
	// failed to), count those that show a picture.
	waitUntil(t, tctx, time.Minute, `[...document.querySelectorAll(".step-report img")].every(i => i.complete)`)
	shots, err := browser.EvalJSON[int](tctx, `[...document.querySelectorAll(".step-report img")].filter(i => i.complete && i.naturalWidth > 100).length`)
	if err != nil || shots < 10 {
		t.Errorf("%d screenshots shown (%v), want one per step of both channels", shots, err)
	}
	browsertest.CheckAccessible(t, tctx, browser.H5)

	// The scenarios page now shows the last result per channel, passed, linked to the run.
	navigate(t, tctx, ts.URL+"/scenarios")
	if s := mainText(t, tctx); strings.Count(s, "通过") < 2 || strings.Count(s, "尚未运行") != 10 {
		t.Errorf("after the replay the scenarios page says:\n%s", s)
	}
	runs, err := st.Runs(ctx, finding.RunFilter{Kind: finding.RunScenario})
	if err != nil || len(runs) != 1 || runs[0].Status != finding.RunDone || runs[0].Done != 2 || runs[0].Findings != 0 {
		t.Errorf("runs: %+v, %v", runs, err)
	}
}

// addOfficerUser adds an officer and a user signing in as them.
func addOfficerUser(t *testing.T, st finding.Store, name, password string) {
	t.Helper()
	start, end, review := finding.TermFrom(time.Now())
	o, err := st.CreateOfficer(t.Context(), finding.Officer{Name: "王芳", Category: finding.OfficerCitizen, TermStart: start, TermEnd: end, ReviewOn: review})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(t.Context(), finding.User{Name: name, DisplayName: "王芳", Role: finding.RoleOfficer,
		OfficerID: o.ID, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
}

func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := browser.Navigate(ctx, url); err != nil {
		t.Fatal(err)
	}
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := browser.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// waitUntil polls a condition in the page until it holds.
func waitUntil(t *testing.T, ctx context.Context, d time.Duration, cond string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		ok, err := browser.EvalJSON[bool](ctx, `document.readyState === 'complete' && (`+cond+`)`)
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	loc, _ := browser.EvalJSON[string](ctx, `location.href + "\n" + (document.querySelector("main") || document.body).innerText`)
	t.Fatalf("timed out waiting for %s on %s", cond, loc)
}

func mainText(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := browser.EvalJSON[string](ctx, `document.querySelector("main").innerText`)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fakeQueue records what webScenarios enqueues.
type fakeQueue struct{ args []river.JobArgs }

func (q *fakeQueue) Enqueue(_ context.Context, a river.JobArgs) error {
	q.args = append(q.args, a)
	return nil
}

// TestWebScenarios lists the repository's scenarios for the web pages, and replays one by
// making its run record and queueing a scenario_run job that names it.
func TestWebScenarios(t *testing.T) {
	repoRoot(t)
	st, err := store.Open(t.Context(), "sqlite:"+t.TempDir()+"/tiyan.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	q := &fakeQueue{}
	w := webScenarios{dir: "scenarios/wanshitong", st: st, jobs: q}
	list, err := w.List(t.Context())
	if err != nil || len(list) < 5 {
		t.Fatalf("list: %v, %v", list, err)
	}
	var sandbox *web.Scenario
	for i, sc := range list {
		if sc.ID == "getihu-sheli-shenban" {
			sandbox = &list[i]
		}
	}
	if sandbox == nil || !sandbox.Sandbox || !sandbox.Signin || len(sandbox.Channels) != 2 || sandbox.ItemCode == "" || sandbox.Unit != "六安市市场监督管理局" {
		t.Errorf("the sandbox application: %+v", sandbox)
	}
	runID, err := w.Replay(t.Context(), "getihu-guide")
	if err != nil {
		t.Fatal(err)
	}
	run, err := st.Run(t.Context(), runID)
	if err != nil || run.Kind != finding.RunScenario || run.Status != finding.RunRunning || run.Total != 2 {
		t.Errorf("run record: %+v, %v", run, err)
	}
	if len(q.args) != 1 {
		t.Fatalf("queued %v", q.args)
	}
	a, ok := q.args[0].(jobs.ScenarioArgs)
	if !ok || a.ID != "getihu-guide" || a.RunID != runID || !strings.HasSuffix(a.File, "getihu-guide.yaml") || a.Timeout < time.Minute {
		t.Errorf("job: %+v", q.args[0])
	}
	if _, err := w.Replay(t.Context(), "no-such"); finding.ErrorCode(err) != finding.ENOTFOUND {
		t.Errorf("unknown scenario: %v", err)
	}
	if l, err := (webScenarios{dir: "no-such-dir", st: st, jobs: q}).List(t.Context()); err != nil || len(l) != 0 {
		t.Errorf("a missing folder: %v, %v", l, err)
	}
}

// TestConfigReprober builds serve's 立即复核 from the configuration as the sweep does: a site
// profile that is not there says so.
func TestConfigReprober(t *testing.T) {
	cfg, err := config.Parse("", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Site.Name, cfg.Site.SitesDir = "no-such-site", t.TempDir()
	_, _, err = configReprober(cfg, io.Discard)(t.Context())
	if err == nil || !strings.Contains(err.Error(), "没有找到站点配置") {
		t.Errorf("reprober of a missing site profile: %v", err)
	}
}

// TestResumeLedger takes over a run record made when the replay was queued: a result an earlier
// attempt left running is closed as interrupted, the counts start again, the total is kept.
func TestResumeLedger(t *testing.T) {
	ctx := t.Context()
	st, err := store.Open(ctx, "sqlite:"+t.TempDir()+"/tiyan.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	lp, err := loop.New(loop.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	run, err := st.CreateRun(ctx, finding.Run{Kind: finding.RunScenario, Status: finding.RunFailed, Started: time.Now(), Total: 2, Done: 1,
		Errors: []string{"浏览器启动失败"}})
	if err != nil {
		t.Fatal(err)
	}
	stale, err := st.StartScenario(ctx, finding.ScenarioResult{RunID: run.ID, Scenario: "getihu-guide", Channel: finding.PC})
	if err != nil {
		t.Fatal(err)
	}
	l, err := resumeLedger(ctx, lp, run.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.Run(ctx, run.ID)
	if err != nil || got.Status != finding.RunRunning || got.Total != 2 || got.Done != 0 || l.run.ID != run.ID {
		t.Errorf("resumed run: %+v, %v", got, err)
	}
	res, err := st.ScenarioResults(ctx, run.ID)
	if err != nil || len(res) != 1 || res[0].ID != stale.ID || res[0].Status != finding.ScenarioFailed || !strings.Contains(res[0].Error, "运行中断") {
		t.Errorf("the interrupted result: %+v, %v", res, err)
	}
	l.fail(ctx, fmt.Errorf("chromium: no such file"))
	if got, _ := st.Run(ctx, run.ID); got.Status != finding.RunFailed || got.Finished.IsZero() || got.Errors[len(got.Errors)-1] != "chromium: no such file" {
		t.Errorf("failed run: %+v", got)
	}
}

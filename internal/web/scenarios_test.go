package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"tiyan/internal/finding"
)

// fakeScenarios lists two scenarios and "replays" by making the run record, as cmd/tiyan's does
// before it queues the job; nothing runs.
type fakeScenarios struct {
	store    finding.Store
	mu       sync.Mutex
	replayed []string
}

var fakeScenarioList = []Scenario{
	{ID: "getihu-guide", Title: "个体工商户设立登记 办事指南与在线办理入口", Channels: []finding.Channel{finding.PC, finding.H5},
		ItemCode: itemA, ItemName: "个体工商户设立登记", Unit: scjgj},
	{ID: "qiye-zhuxiao-dry", Title: "企业注销登记 在线办理（不提交）", Channels: []finding.Channel{finding.PC, finding.H5},
		ItemCode: itemC, Signin: true},
}

func (f *fakeScenarios) List(context.Context) ([]Scenario, error) { return fakeScenarioList, nil }

func (f *fakeScenarios) Replay(ctx context.Context, id string) (string, error) {
	known := false
	for _, sc := range fakeScenarioList {
		known = known || sc.ID == id
	}
	if !known {
		return "", finding.Errorf(finding.ENOTFOUND, "场景 %s 不存在", id)
	}
	run, err := f.store.CreateRun(ctx, finding.Run{Kind: finding.RunScenario, Started: time.Now(), Total: 2})
	if err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.replayed = append(f.replayed, id)
	return run.ID, nil
}

func (f *fakeScenarios) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.replayed)
}

// scenarioFixture is the fixture's store with scenario runs in it — one done (PC passed, H5
// failed at its third step), one still running on PC — and a server that can replay, with a
// client of every role.
type scenarioFixture struct {
	*fixture
	srv              *Server
	fake             *fakeScenarios
	done, running    string // run IDs
	pcDone, h5Failed int64  // result IDs of the done run
	clients          map[string]*client
}

func newScenarioFixture(t *testing.T) *scenarioFixture {
	t.Helper()
	fx := newFixture(t)
	sf := &scenarioFixture{fixture: fx, fake: &fakeScenarios{store: fx.store}}
	srv, err := New(Config{Store: fx.store, Loop: fx.loop, Scenarios: sf.fake})
	if err != nil {
		t.Fatal(err)
	}
	sf.srv = srv
	sf.seed(t)
	sf.clients = map[string]*client{}
	for who, name := range map[string]string{"admin": "admin", "staff": "liqiang", "staffJinan": "jinan",
		"unitSCJGJ": "scjgj", "unitRSJ": "rsj", "officer": "wangfang"} {
		sf.clients[who] = fx.clientOf(t, srv, name)
	}
	return sf
}

func (sf *scenarioFixture) as(who string) *client { return sf.clients[who] }

func (sf *scenarioFixture) seed(t *testing.T) {
	t.Helper()
	ctx := t.Context()
	st := sf.store
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	at := monday.Add(2 * time.Hour)
	done, err := st.CreateRun(ctx, finding.Run{Kind: finding.RunScenario, Site: "wanshitong", Channels: []string{"pc", "h5"},
		Status: finding.RunDone, Started: at, Finished: at.Add(time.Minute), Total: 2, Done: 2, Findings: 1})
	must(err)
	sf.done = done.ID
	start := func(runID string, ch finding.Channel, at time.Time) finding.ScenarioResult {
		t.Helper()
		r, err := st.StartScenario(ctx, finding.ScenarioResult{RunID: runID, Scenario: "getihu-guide", Title: fakeScenarioList[0].Title,
			Channel: ch, Site: "wanshitong", BaseURL: "http://127.0.0.1:18090", Started: at})
		must(err)
		return r
	}
	step := func(resultID int64, i int, desc string, passed bool, shot []byte) {
		t.Helper()
		s := finding.ScenarioStep{Index: i, Line: 8 + i, Kind: "expect", Description: desc, Passed: passed,
			Duration: time.Duration(200+i) * time.Millisecond, Screenshot: shot}
		if !passed {
			s.Error, s.DOMExcerpt = `没有找到“受理条件” <script>alert(1)</script>`, `<div class="guide">`+strings.Repeat("很长的页面片段", 60)+`</div>`
		}
		must(st.AddScenarioStep(ctx, resultID, s))
	}
	pc := start(done.ID, finding.PC, at)
	step(pc.ID, 0, "打开事项“个体工商户设立登记”", true, tinyPNG)
	step(pc.ID, 1, "看到“办事指南”", true, tinyPNG)
	pc.Status, pc.Duration = finding.ScenarioPassed, 2*time.Second
	must(st.FinishScenario(ctx, pc))
	h5 := start(done.ID, finding.H5, at.Add(30*time.Second))
	step(h5.ID, 0, "打开事项“个体工商户设立登记”", true, tinyPNG)
	step(h5.ID, 1, "看到“办事指南”", true, nil)
	step(h5.ID, 2, "看到“受理条件”", false, tinyPNG)
	h5.Status, h5.Duration = finding.ScenarioFailed, 9*time.Second
	must(st.FinishScenario(ctx, h5))
	sf.pcDone, sf.h5Failed = pc.ID, h5.ID

	running, err := st.CreateRun(ctx, finding.Run{Kind: finding.RunScenario, Site: "wanshitong", Started: at.Add(time.Hour), Total: 2})
	must(err)
	sf.running = running.ID
	cur := start(running.ID, finding.PC, at.Add(time.Hour))
	step(cur.ID, 0, "打开事项“个体工商户设立登记”", true, tinyPNG)
}

// TestScenarioRoles is the role × action matrix of the scenario pages: officers, staff and admins
// list the scenarios, replay one, and read a run's step report, its progress and its
// screenshots; window units may do none of it, and their replay queues nothing.
func TestScenarioRoles(t *testing.T) {
	sf := newScenarioFixture(t)
	shot := fmt.Sprintf("/scenarios/runs/%s/shots/%d/0", sf.done, sf.pcDone)
	for _, who := range roles {
		t.Run(who, func(t *testing.T) {
			c := sf.as(who)
			allowed := !strings.HasPrefix(who, "unit")
			want := func(ok int) int {
				if allowed {
					return ok
				}
				return http.StatusForbidden
			}
			for _, path := range []string{"/scenarios", "/scenarios/runs/" + sf.done, "/scenarios/runs/" + sf.running,
				"/scenarios/runs/" + sf.done + "/progress", shot} {
				if got := c.get(t, path); got.status != want(http.StatusOK) {
					t.Errorf("GET %s: %d, want %d\n%.300s", path, got.status, want(http.StatusOK), got.body)
				}
			}
			before := sf.fake.count()
			res := c.post(t, "/scenarios/getihu-guide/replay", nil)
			if res.status != want(http.StatusSeeOther) {
				t.Fatalf("replay: %d, want %d\n%.300s", res.status, want(http.StatusSeeOther), res.body)
			}
			if allowed {
				next := res.redirect(t)
				if !strings.HasPrefix(next, "/scenarios/runs/") {
					t.Errorf("replay went to %s", next)
				}
				c.get(t, next).has(t, "已排队，等待开始回放")
			} else {
				res.has(t, "不能回放场景")
				if sf.fake.count() != before {
					t.Error("a unit's replay was queued")
				}
			}
			nav := c.get(t, "/findings")
			if strings.Contains(nav.body, `href="/scenarios"`) != allowed {
				t.Errorf("navigation offers 场景回放: %v, want %v", !allowed, allowed)
			}
		})
	}
	if n := sf.fake.count(); n != 4 {
		t.Errorf("%d replays queued, want 4 (admin, both staff, the officer)", n)
	}
}

// TestScenariosPage lists each scenario with its last result per channel: passed or failed,
// when, the failing step, a link to the run; 尚未运行 where it never ran; a 立即回放 button.
func TestScenariosPage(t *testing.T) {
	sf := newScenarioFixture(t)
	res := sf.as("officer").get(t, "/scenarios")
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	res.has(t, "<h1>场景回放</h1>", fakeScenarioList[0].Title, "个体工商户设立登记", scjgj, "需登录",
		`action="/scenarios/getihu-guide/replay"`, `action="/scenarios/qiye-zhuxiao-dry/replay"`, "立即回放",
		// PC's last result is the run still going; H5's the failed one, with its step.
		"回放中", fmt.Sprintf(`href="/scenarios/runs/%s#r`, sf.running),
		"未通过", fmt.Sprintf(`href="/scenarios/runs/%s#r%d"`, sf.done, sf.h5Failed), "第3步：看到“受理条件”",
		"尚未运行", `aria-current="page"`)
	if n := strings.Count(res.body, "尚未运行"); n != 2 {
		t.Errorf("尚未运行 %d times, want 2 (both channels of the scenario never run)", n)
	}
}

// TestScenarioRunPage shows a finished run's step reports — each step with its status, duration
// and screenshot, as package reports renders them — and no script; staff get a link to the run
// report, officers (who may not read run reports) none.
func TestScenarioRunPage(t *testing.T) {
	sf := newScenarioFixture(t)
	res := sf.as("staff").get(t, "/scenarios/runs/"+sf.done)
	if res.status != http.StatusOK {
		t.Fatalf("status %d:\n%s", res.status, res.body)
	}
	res.has(t, "场景回放：个体工商户设立登记", "回放完成：2 个渠道中 1 个未通过。", "PC 端", "皖事通 H5",
		"✓ 通过", "✗ 未通过", "2 / 2 步通过", "2 / 3 步通过", "200 毫秒", "第3步（第10行）：看到“受理条件”",
		fmt.Sprintf(`src="/scenarios/runs/%s/shots/%d/0"`, sf.done, sf.pcDone),
		fmt.Sprintf(`href="#r%d-failed"`, sf.h5Failed), fmt.Sprintf(`id="r%d"`, sf.h5Failed),
		"&lt;script&gt;alert(1)&lt;/script&gt;", `href="/runs/`+sf.done+`"`)
	res.lacks(t, "<script", "data:image", "回放中")
	officer := sf.as("officer").get(t, "/scenarios/runs/"+sf.done)
	officer.lacks(t, `href="/runs/`+sf.done+`"`)
	if csp := res.header.Get("Content-Security-Policy"); csp != pageCSP {
		t.Errorf("CSP %q", csp)
	}

	// A run that is still going says where it is, loads the progress script and works without it.
	live := sf.as("officer").get(t, "/scenarios/runs/"+sf.running)
	live.has(t, "正在回放（1 / 2）：PC 端，已完成第1步：打开事项“个体工商户设立登记”", "回放中",
		`data-progress="/scenarios/runs/`+sf.running+`/progress"`, `<script src="/static/progress.js?v=`,
		`href="/scenarios/runs/`+sf.running+`">刷新本页</a>`)
	live.lacks(t, "✗ 未通过")
	// A run from before step results were stored says so rather than that everything passed.
	old, err := sf.store.CreateRun(t.Context(), finding.Run{Kind: finding.RunScenario, Status: finding.RunDone, Started: monday})
	if err != nil {
		t.Fatal(err)
	}
	empty := sf.as("staff").get(t, "/scenarios/runs/"+old.ID)
	empty.has(t, "本次运行没有保存步骤结果")
	empty.lacks(t, "全部通过")

	js := anon(sf.srv).get(t, "/static/progress.js")
	if js.status != http.StatusOK || !strings.Contains(js.header.Get("Content-Type"), "javascript") || !strings.Contains(js.body, "DOMParser") {
		t.Errorf("progress.js: %d %s", js.status, js.header.Get("Content-Type"))
	}
}

// TestScenarioRunProgress is what the script polls: the run's status, its steps so far, the key
// the page compares, and the line it shows.
func TestScenarioRunProgress(t *testing.T) {
	sf := newScenarioFixture(t)
	var p scenarioRunProgress
	sf.as("officer").get(t, "/scenarios/runs/"+sf.running+"/progress").json(t, &p)
	if p.RunID != sf.running || p.Status != finding.RunRunning || p.Steps != 1 || len(p.Results) != 1 || p.Results[0].Status != finding.ScenarioRunning ||
		p.Key != "running/1/0/1" || !strings.HasPrefix(p.Message, "正在回放") {
		t.Errorf("progress = %+v", p)
	}
	page := sf.as("officer").get(t, "/scenarios/runs/"+sf.running)
	page.has(t, `data-key="running/1/0/1"`)
	sf.as("officer").get(t, "/scenarios/runs/"+sf.done+"/progress").json(t, &p)
	if p.Status != finding.RunDone || p.Steps != 5 || p.Key != "done/2/2/5" {
		t.Errorf("progress of the done run = %+v", p)
	}
	res := sf.as("unitSCJGJ").get(t, "/scenarios/runs/"+sf.done+"/progress")
	var e map[string]string
	if res.json(t, &e); res.status != http.StatusForbidden || !strings.Contains(e["error"], "不能回放场景") {
		t.Errorf("a unit's progress: %d %v", res.status, e)
	}
}

// TestScenarioShot serves a step's screenshot as an image that can do nothing, only under its
// own run.
func TestScenarioShot(t *testing.T) {
	sf := newScenarioFixture(t)
	c := sf.as("officer")
	res := c.get(t, fmt.Sprintf("/scenarios/runs/%s/shots/%d/0", sf.done, sf.pcDone))
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "image/png" || res.body != string(tinyPNG) ||
		res.header.Get("Content-Security-Policy") != evidenceCSP || !strings.Contains(res.header.Get("Cache-Control"), "private") {
		t.Errorf("screenshot: %d %v", res.status, res.header)
	}
	for _, path := range []string{
		fmt.Sprintf("/scenarios/runs/%s/shots/%d/0", sf.running, sf.pcDone), // another run's result
		fmt.Sprintf("/scenarios/runs/%s/shots/%d/1", sf.done, sf.h5Failed),  // a step without one
		fmt.Sprintf("/scenarios/runs/%s/shots/x/0", sf.done),
		fmt.Sprintf("/scenarios/runs/%s/shots/%d/-1", sf.done, sf.pcDone),
	} {
		if got := c.get(t, path); got.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, got.status)
		}
	}
}

// TestScenarioRunNotFound: an unknown run, or a sweep's, has no scenario page; an unknown
// scenario cannot be replayed.
func TestScenarioRunNotFound(t *testing.T) {
	sf := newScenarioFixture(t)
	c := sf.as("admin")
	if res := c.get(t, "/scenarios/runs/nope"); res.status != http.StatusNotFound {
		t.Errorf("unknown run: %d", res.status)
	}
	res := c.get(t, "/scenarios/runs/"+sf.runID)
	if res.status != http.StatusNotFound {
		t.Errorf("a sweep's run: %d", res.status)
	}
	res.has(t, "不是场景回放")
	if res := c.post(t, "/scenarios/no-such/replay", nil); res.status != http.StatusNotFound {
		t.Errorf("unknown scenario: %d", res.status)
	}
	if n := sf.fake.count(); n != 0 {
		t.Errorf("%d replays queued", n)
	}
}

// TestScenariosNotConfigured: a server without Scenarios says so, offers no navigation entry and
// refuses replays, but still shows the step reports runs stored.
func TestScenariosNotConfigured(t *testing.T) {
	sf := newScenarioFixture(t)
	c := sf.fixture.admin // the fixture's own server has no Scenarios
	c.get(t, "/scenarios").has(t, "本服务没有配置场景回放")
	c.get(t, "/findings").lacks(t, `href="/scenarios"`)
	if res := c.post(t, "/scenarios/getihu-guide/replay", nil); res.status != http.StatusServiceUnavailable {
		t.Errorf("replay: %d", res.status)
	}
	if res := c.get(t, "/scenarios/runs/"+sf.done); res.status != http.StatusOK {
		t.Errorf("run page: %d", res.status)
	}
}

// TestRunsListLinksScenarioRuns: the run history links a scenario run to its step report and a
// sweep to its run report.
func TestRunsListLinksScenarioRuns(t *testing.T) {
	sf := newScenarioFixture(t)
	res := sf.as("admin").get(t, "/runs")
	res.has(t, `href="/scenarios/runs/`+sf.done+`"`, `href="/scenarios/runs/`+sf.running+`"`, `href="/runs/`+sf.runID+`"`, "场景")
	res.lacks(t, `href="/runs/`+sf.done+`"`)
}

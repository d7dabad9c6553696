package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
)

// Scenarios is what the scenarios page works with: the scripted scenarios of the configured
// folder, and a way to replay one now (立即回放). cmd/tiyan implements it with the
// scenario_run job, which a worker (serve on SQLite, the demo) runs in its own Chromium and
// whose step results it stores as they come.
type Scenarios interface {
	// List returns the scenarios that may be replayed, in the folder's order.
	List(ctx context.Context) ([]Scenario, error)
	// Replay queues a run of the scenario with that ID on its channels and returns the ID of
	// its run record, which exists (running, no results yet) when Replay returns, so that its
	// page can follow it. An unknown ID is ENOTFOUND.
	Replay(ctx context.Context, id string) (runID string, err error)
}

// Scenario is one scripted scenario as the scenarios page lists it.
type Scenario struct {
	ID, Title, File          string
	Channels                 []finding.Channel
	ItemCode, ItemName, Unit string // the service item it goes through; empty when none
	Signin, Sandbox          bool   // signs in first; submits (true only of a simulator)
}

// scenarioRoutes are the scenarios page, 立即回放 and the scenario run's page with what it
// loads: its progress and its screenshots.
func (s *Server) scenarioRoutes(mux *http.ServeMux) {
	mux.Handle("GET /scenarios", s.page(s.scenariosPage))
	mux.Handle("POST /scenarios/{id}/replay", s.page(s.replayPost))
	mux.Handle("GET /scenarios/runs/{id}", s.page(s.scenarioRunPage))
	mux.Handle("GET /scenarios/runs/{id}/progress", s.page(s.scenarioRunProgress))
	mux.Handle("GET /scenarios/runs/{id}/shots/{result}/{step}", s.page(s.scenarioShot))
}

// scenariosView is the scenarios page.
type scenariosView struct {
	layout
	Configured bool
	Scenarios  []scenarioRow
}

type scenarioRow struct {
	ID, Title, Item, Unit string
	Signin, Sandbox       bool
	ReplayURL             string
	Channels              []channelResult
}

// channelResult is the last result of a scenario on one channel.
type channelResult struct {
	Channel             string
	Ran                 bool
	Status, StatusClass string
	When, URL           string
	Failed              string // the failing step, e.g. 第3步：点击“在线办理”
}

// checkReplay refuses users who may not replay scenarios (window units).
func checkReplay(r *http.Request) error {
	u, _ := userOf(r)
	if !auth.Allows(u, auth.Replay) {
		return auth.Forbidden(u, auth.Replay)
	}
	return nil
}

func (s *Server) scenariosPage(w http.ResponseWriter, r *http.Request) {
	if err := checkReplay(r); err != nil {
		s.fail(w, r, err)
		return
	}
	v := scenariosView{layout: s.layout(r, "场景回放", "scenarios"), Configured: s.scenarios != nil}
	if s.scenarios != nil {
		scs, err := s.scenarios.List(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		latest, err := s.store.LatestScenarioResults(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		last := map[string]finding.ScenarioResult{}
		for _, res := range latest {
			last[res.Scenario+"/"+string(res.Channel)] = res
		}
		for _, sc := range scs {
			v.Scenarios = append(v.Scenarios, s.scenarioRow(sc, last))
		}
	}
	s.render(w, r, http.StatusOK, "scenarios", v)
}

func (s *Server) scenarioRow(sc Scenario, last map[string]finding.ScenarioResult) scenarioRow {
	row := scenarioRow{ID: sc.ID, Title: sc.Title, Item: sc.ItemName, Unit: sc.Unit, Signin: sc.Signin, Sandbox: sc.Sandbox,
		ReplayURL: s.path("/scenarios/" + url.PathEscape(sc.ID) + "/replay")}
	if row.Item == "" {
		row.Item = sc.ItemCode
	}
	for _, ch := range sc.Channels {
		cr := channelResult{Channel: ch.Label()}
		if res, ok := last[sc.ID+"/"+string(ch)]; ok {
			cr.Ran, cr.When, cr.URL = true, finding.FormatTime(res.Started), s.scenarioRunURL(res.RunID)+"#r"+strconv.FormatInt(res.ID, 10)
			cr.Status, cr.StatusClass = scenarioStatus(res.Status)
			if st, ok := res.FailedStep(); ok {
				cr.Failed = fmt.Sprintf("第%d步：%s", st.Index+1, st.Description)
			} else if res.Status == finding.ScenarioFailed && res.Error != "" {
				cr.Failed = res.Error
			}
		}
		row.Channels = append(row.Channels, cr)
	}
	return row
}

// scenarioStatus is a result's status for people, and its badge's class.
func scenarioStatus(status string) (label, class string) {
	switch status {
	case finding.ScenarioPassed:
		return "通过", "run-done"
	case finding.ScenarioFailed:
		return "未通过", "run-failed"
	}
	return "回放中", "run-running"
}

func (s *Server) scenarioRunURL(runID string) string {
	return s.path("/scenarios/runs/" + url.PathEscape(runID))
}

// replayPost queues a run of the scenario and shows its page, which follows it.
func (s *Server) replayPost(w http.ResponseWriter, r *http.Request) {
	if err := checkReplay(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if s.scenarios == nil {
		s.fail(w, r, finding.Errorf(finding.EUNAVAILABLE, "本服务没有配置场景回放（tiyan serve 按配置中的场景目录提供）。"))
		return
	}
	u, _ := userOf(r)
	runID, err := s.scenarios.Replay(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "scenario replay queued", "scenario", r.PathValue("id"), "run", runID, "by", u.Actor())
	http.Redirect(w, r, s.scenarioRunURL(runID), http.StatusSeeOther)
}

// scenarioRun is a scenario run and its results so far.
type scenarioRun struct {
	run     finding.Run
	results []finding.ScenarioResult
}

// loadScenarioRun reads the scenario run the path names; any other run is not found here.
func (s *Server) loadScenarioRun(r *http.Request) (scenarioRun, error) {
	if err := checkReplay(r); err != nil {
		return scenarioRun{}, err
	}
	id := r.PathValue("id")
	run, err := s.store.Run(r.Context(), id)
	if err != nil {
		return scenarioRun{}, err
	}
	if run.Kind != finding.RunScenario {
		return scenarioRun{}, finding.Errorf(finding.ENOTFOUND, "运行 %s 不是场景回放，请在体验记录中查看它的报告", id)
	}
	results, err := s.store.ScenarioResults(r.Context(), id)
	if err != nil {
		return scenarioRun{}, err
	}
	return scenarioRun{run: run, results: results}, nil
}

// scenarioRunProgress is how far a scenario run has got, for the script that keeps its page
// current: the page reloads its report when Steps or Status change.
type scenarioRunProgress struct {
	RunID  string `json:"run_id"`
	Status string `json:"status"` // the run's: running, done or failed
	Done   int    `json:"done"`   // scenario-channels finished
	Total  int    `json:"total"`
	Steps  int    `json:"steps"` // steps recorded, over all results
	// Key changes whenever the page would show something new; the page carries the key it
	// was made with.
	Key     string           `json:"key"`
	Results []resultProgress `json:"results"`
	Message string           `json:"message"` // what the page says, e.g. 正在回放：PC 端 第3步
}

type resultProgress struct {
	ID       int64  `json:"id"`
	Scenario string `json:"scenario"`
	Channel  string `json:"channel"`
	Status   string `json:"status"`
	Steps    int    `json:"steps"`
}

func progressOf(sr scenarioRun) scenarioRunProgress {
	p := scenarioRunProgress{RunID: sr.run.ID, Status: sr.run.Status, Done: sr.run.Done, Total: sr.run.Total,
		Results: []resultProgress{}}
	for _, res := range sr.results {
		p.Steps += len(res.Steps)
		p.Results = append(p.Results, resultProgress{ID: res.ID, Scenario: res.Scenario, Channel: string(res.Channel),
			Status: res.Status, Steps: len(res.Steps)})
	}
	p.Message = progressMessage(sr)
	finished := 0
	for _, res := range sr.results {
		if res.Status != finding.ScenarioRunning {
			finished++
		}
	}
	p.Key = fmt.Sprintf("%s/%d/%d/%d", p.Status, len(p.Results), finished, p.Steps)
	return p
}

// progressMessage says in a line where a scenario run is.
func progressMessage(sr scenarioRun) string {
	switch sr.run.Status {
	case finding.RunFailed:
		return "回放未能完成。"
	case finding.RunDone:
		if len(sr.results) == 0 {
			return "本次运行没有保存步骤结果（早于保存步骤结果的版本，或没有可运行的场景）。"
		}
		failed := 0
		for _, res := range sr.results {
			if res.Status != finding.ScenarioPassed {
				failed++
			}
		}
		if failed == 0 {
			return fmt.Sprintf("回放完成：%d 个渠道全部通过。", len(sr.results))
		}
		return fmt.Sprintf("回放完成：%d 个渠道中 %d 个未通过。", len(sr.results), failed)
	}
	if len(sr.results) == 0 {
		return "已排队，等待开始回放……"
	}
	cur := sr.results[len(sr.results)-1]
	msg := fmt.Sprintf("正在回放（%d / %d）：%s", min(sr.run.Done+1, max(sr.run.Total, 1)), max(sr.run.Total, 1), cur.Channel.Label())
	if n := len(cur.Steps); n > 0 {
		msg += fmt.Sprintf("，已完成第%d步：%s", n, cur.Steps[n-1].Description)
	} else {
		msg += "，正在打开页面"
	}
	return msg + "……"
}

func (s *Server) scenarioRunProgress(w http.ResponseWriter, r *http.Request) {
	sr, err := s.loadScenarioRun(r)
	if err != nil {
		writeJSON(w, statusOf(err), map[string]string{"error": finding.ErrorMessage(err)})
		return
	}
	writeJSON(w, http.StatusOK, progressOf(sr))
}

// scenarioShot serves one step's screenshot from the store.
func (s *Server) scenarioShot(w http.ResponseWriter, r *http.Request) {
	if err := checkReplay(r); err != nil {
		s.fail(w, r, err)
		return
	}
	result, err1 := strconv.ParseInt(r.PathValue("result"), 10, 64)
	step, err2 := strconv.Atoi(r.PathValue("step"))
	if err1 != nil || err2 != nil || step < 0 {
		s.fail(w, r, finding.Errorf(finding.ENOTFOUND, "截图地址无效"))
		return
	}
	shot, err := s.store.ScenarioScreenshot(r.Context(), r.PathValue("id"), result, step)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ct := http.DetectContentType(shot)
	if !inlineImage(ct) {
		ct = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Security-Policy", evidenceCSP)
	// A stored step never changes; it is internal, so browsers may keep it and proxies not.
	h.Set("Cache-Control", "private, max-age=86400")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(shot))
}

package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
	"tiyan/reports"
)

// scenarioRunView is the page of a scenario run: while it runs, where it is and the steps so
// far, kept current by a small script (or by reloading); when it is done, the step report of
// each scenario-channel, rendered by package reports as tiyan replay writes it, with the
// screenshots linked from the store.
type scenarioRunView struct {
	layout
	RunID       string
	Running     bool
	Failed      bool // the run itself could not finish
	Message     string
	MessageKind string // notice, success or alert
	Errors      []string
	Started     string
	ProgressURL string
	Key         string // what the progress script compares with the run's progress
	Self        string // this page, for reloading
	Script      string
	RunReport   string // the run report (the findings it filed), for those who may read it
	Results     []resultSection
}

// resultSection is one scenario-channel's step report.
type resultSection struct {
	ID, Heading         string
	Status, StatusClass string
	Report              template.HTML
}

func (s *Server) scenarioRunPage(w http.ResponseWriter, r *http.Request) {
	sr, err := s.loadScenarioRun(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.scenarioRunView(r, sr)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "scenariorun", v)
}

func (s *Server) scenarioRunView(r *http.Request, sr scenarioRun) (scenarioRunView, error) {
	title := "场景回放"
	if len(sr.results) > 0 {
		title = "场景回放：" + sr.results[0].Title
	}
	v := scenarioRunView{layout: s.layout(r, title, "scenarios"), RunID: sr.run.ID, Running: sr.run.Status == finding.RunRunning,
		Failed: sr.run.Status == finding.RunFailed, Message: progressMessage(sr), Errors: sr.run.Errors,
		Started: finding.FormatTime(sr.run.Started), Self: s.scenarioRunURL(sr.run.ID), Key: progressOf(sr).Key}
	switch {
	case v.Running:
		v.MessageKind, v.ProgressURL, v.Script = "notice", v.Self+"/progress", s.path(progressScript)
	case v.Failed:
		v.MessageKind = "alert"
	case len(sr.results) == 0:
		v.MessageKind = "notice"
	default:
		v.MessageKind = "success"
		for _, res := range sr.results {
			if res.Status != finding.ScenarioPassed {
				v.MessageKind = "alert"
			}
		}
	}
	if u, _ := userOf(r); auth.Allows(u, auth.Runs) {
		v.RunReport = s.path("/runs/" + url.PathEscape(sr.run.ID))
	}
	for _, res := range sr.results {
		id := "r" + strconv.FormatInt(res.ID, 10)
		base := s.scenarioRunURL(sr.run.ID) + "/shots/" + strconv.FormatInt(res.ID, 10) + "/"
		rep := reports.StepReportOf(res, func(st finding.ScenarioStep) string { return base + strconv.Itoa(st.Index) })
		html, err := reports.StepReportFragment(rep, id+"-")
		if err != nil {
			return v, err
		}
		sec := resultSection{ID: id, Heading: res.Channel.Label(), Report: html}
		sec.Status, sec.StatusClass = scenarioStatus(res.Status)
		if len(sr.results) > 1 && sr.results[0].Scenario != sr.results[len(sr.results)-1].Scenario {
			sec.Heading = res.Title + " · " + sec.Heading // a run of several scenarios
		}
		v.Results = append(v.Results, sec)
	}
	return v, nil
}

// progressScript is the URL path of the script that keeps a running scenario run's page current.
var progressScript = staticPath("progress.js")

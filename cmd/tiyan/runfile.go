package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/loop"
	"tiyan/internal/runner"
	"tiyan/internal/sweep"
	"tiyan/probes"
	"tiyan/scenarios"
)

// runSightings turns a failed scenario run into what the loop ingests. A failure of the prober
// (Chromium died, no credentials, our own timeout before the portal answered) is not the
// portal's fault and gives nothing; a failure at or after submitting in a sandbox application is
// CHANNEL-SUBMIT-BROKEN; a failed sign-in CHANNEL-SIGNIN-BROKEN; any other failed step
// CHANNEL-SCENARIO-FAILED.
func runSightings(sc *scenarios.Scenario, res *runner.Result, runID string) []finding.Sighting {
	if res.Passed || res.BrowserDied || len(res.Steps) == 0 || sc.Item == nil {
		return nil
	}
	st := res.Steps[len(res.Steps)-1]
	if strings.Contains(st.Error, "缺少登录凭据") {
		return nil
	}
	rule := "CHANNEL-SCENARIO-FAILED"
	switch {
	case strings.Contains(st.Error, "统一身份认证登录失败"):
		rule = "CHANNEL-SIGNIN-BROKEN"
	case sc.Sandbox && (st.Kind == scenarios.KindSubmit || st.Kind == scenarios.KindUpload || submitted(res)):
		rule = "CHANNEL-SUBMIT-BROKEN"
	}
	r, _ := probes.RuleByID(rule)
	s := finding.Sighting{
		Rule: rule, Category: r.Category, Severity: r.Severity,
		Title:    fmt.Sprintf("场景“%s”第%d步未通过：%s", sc.Title, st.Index+1, st.Description),
		Detail:   fmt.Sprintf("按场景“%s”（%s 第%d行）在%s办理时，第%d步“%s”未通过：%s。%s", sc.Title, sc.File, st.Line, channelName(res.Channel), st.Index+1, st.Description, st.Error, r.Threshold),
		ItemCode: sc.Item.Code, ItemName: sc.Item.Name, Unit: sc.Item.Unit, Jurisdiction: sc.Item.Jurisdiction,
		Channel: finding.Channel(res.Channel), URL: st.URL, Source: finding.SourceProbe, RunID: runID, Scenario: sc.ID,
		Fingerprint: sweep.Fingerprint(rule, sc.Item.Code, res.Channel, "scenario:"+sc.ID+"/step:"+strconv.Itoa(st.Line)),
		Measured:    map[string]any{"step": st.Index + 1, "line": st.Line, "duration_ms": st.Duration.Milliseconds()},
		SeenAt:      res.Started.Add(res.Duration),
	}
	if len(st.Screenshot) > 0 {
		s.Evidence = append(s.Evidence, finding.Evidence{Kind: finding.EvidenceScreenshot, Name: "screenshot.jpg", ContentType: "image/jpeg", Data: st.Screenshot})
	}
	if st.DOMExcerpt != "" {
		s.Evidence = append(s.Evidence, finding.Evidence{Kind: finding.EvidenceDOM, Name: "dom.html", ContentType: "text/plain; charset=utf-8", Data: []byte(st.DOMExcerpt)})
	}
	if len(res.Log) > 0 {
		s.Evidence = append(s.Evidence, finding.Evidence{Kind: finding.EvidenceLog, Name: "run.log", ContentType: "text/plain; charset=utf-8", Data: []byte(strings.Join(res.Log, "\n"))})
	}
	return []finding.Sighting{s}
}

// submitted says whether a submit step passed before the run failed.
func submitted(res *runner.Result) bool {
	for _, st := range res.Steps {
		if st.Kind == scenarios.KindSubmit && st.Passed {
			return true
		}
	}
	return false
}

// runLedger files scenario runs into the store: one run record for the command or job, and for
// each scenario-channel its step results (the web pages' step report) and, when it failed, a
// sighting.
type runLedger struct {
	lp  *loop.Loop
	run finding.Run
	// warn reports what could not be stored of a step: the run goes on without it.
	warn func(error)
}

func startLedger(ctx context.Context, lp *loop.Loop, total int) (*runLedger, error) {
	if lp == nil {
		return nil, nil
	}
	run, err := lp.Store().CreateRun(ctx, finding.Run{ID: finding.NewRunID(time.Now()), Kind: finding.RunScenario,
		Status: finding.RunRunning, Started: time.Now(), Total: total})
	if err != nil {
		return nil, cliFail(err)
	}
	return &runLedger{lp: lp, run: run}, nil
}

// resumeLedger fills the run record id, made when the run was queued. A result a previous
// attempt left running is closed as interrupted, and the counts start again; a total of 0 keeps
// the record's.
func resumeLedger(ctx context.Context, lp *loop.Loop, id string, total int) (*runLedger, error) {
	st := lp.Store()
	run, err := st.Run(ctx, id)
	if err != nil {
		return nil, err
	}
	prev, err := st.ScenarioResults(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, r := range prev {
		if r.Status == finding.ScenarioRunning {
			r.Status, r.Error = finding.ScenarioFailed, "运行中断（进程退出或超时），已重新运行"
			if err := st.FinishScenario(ctx, r); err != nil {
				return nil, err
			}
		}
	}
	run.Status, run.Done, run.Findings, run.Finished = finding.RunRunning, 0, 0, time.Time{}
	if total > 0 {
		run.Total = total
	}
	if err := st.UpdateRun(ctx, run); err != nil {
		return nil, err
	}
	return &runLedger{lp: lp, run: run}, nil
}

// play is one scenario on one channel as it is written into the store.
type play struct {
	l   *runLedger
	ctx context.Context
	res finding.ScenarioResult
}

// begin records that sc starts on ch; its steps follow through step. Without a ledger, or when
// the result cannot be stored, the play is nil and records nothing.
func (l *runLedger) begin(ctx context.Context, sc *scenarios.Scenario, ch scenarios.Channel, site *scenarios.Site) *play {
	if l == nil {
		return nil
	}
	res := finding.ScenarioResult{RunID: l.run.ID, Scenario: sc.ID, Title: sc.Title, Channel: finding.Channel(ch), Started: time.Now()}
	if site != nil {
		res.Site, res.BaseURL = site.Name, site.BaseURL
	}
	res, err := l.lp.Store().StartScenario(ctx, res)
	if err != nil {
		l.warnf(err)
		return nil
	}
	return &play{l: l, ctx: ctx, res: res}
}

// step stores one step as soon as it is complete: what the web page shows while the run goes.
func (p *play) step(st runner.StepResult) {
	if p == nil {
		return
	}
	if err := p.l.lp.Store().AddScenarioStep(p.ctx, p.res.ID, scenarioStep(st)); err != nil {
		p.l.warnf(err)
	}
}

func (l *runLedger) warnf(err error) {
	if l.warn != nil {
		l.warn(err)
	}
}

// record closes a play with its result and files a failed run as a sighting.
func (l *runLedger) record(ctx context.Context, sc *scenarios.Scenario, res *runner.Result, p *play) error {
	if l == nil {
		return nil
	}
	l.run.Done++
	l.run.Site = sc.Site
	if !slices.Contains(l.run.Channels, string(res.Channel)) {
		l.run.Channels = append(l.run.Channels, string(res.Channel))
	}
	if res.BrowserDied {
		l.run.Errors = append(l.run.Errors, fmt.Sprintf("%s %s：%s", sc.ID, res.Channel, res.Error))
	}
	if p != nil {
		out := scenarioResult(res)
		out.ID = p.res.ID
		if err := l.lp.Store().FinishScenario(context.WithoutCancel(ctx), out); err != nil {
			l.warnf(err)
		}
	}
	ss := runSightings(sc, res, l.run.ID)
	l.run.Findings += len(ss)
	if err := l.lp.Store().UpdateRun(context.WithoutCancel(ctx), l.run); err != nil {
		l.warnf(err)
	}
	if len(ss) == 0 {
		return nil
	}
	_, err := l.lp.Ingest(ctx, ss)
	return cliFail(err)
}

func (l *runLedger) finish(ctx context.Context) error {
	if l == nil {
		return nil
	}
	l.run.Status, l.run.Finished = finding.RunDone, time.Now()
	return cliFail(l.lp.Store().UpdateRun(context.WithoutCancel(ctx), l.run))
}

// fail closes the run as failed, for a run that could not go on: err says why.
func (l *runLedger) fail(ctx context.Context, err error) {
	if l == nil {
		return
	}
	l.run.Status, l.run.Finished = finding.RunFailed, time.Now()
	msg := err.Error()
	var fe *finding.Error
	if errors.As(err, &fe) {
		msg = fe.Message
	}
	l.run.Errors = append(l.run.Errors, msg)
	if uerr := l.lp.Store().UpdateRun(context.WithoutCancel(ctx), l.run); uerr != nil {
		l.warnf(uerr)
	}
}

// scenarioResult is a runner's result as the store keeps it.
func scenarioResult(res *runner.Result) finding.ScenarioResult {
	out := finding.ScenarioResult{Scenario: res.Scenario, Title: res.Title, Channel: finding.Channel(res.Channel), Status: finding.ScenarioFailed,
		Started: res.Started, Duration: res.Duration, Error: res.Error, BrowserDied: res.BrowserDied}
	if res.Passed {
		out.Status = finding.ScenarioPassed
	}
	for _, st := range res.Steps {
		out.Steps = append(out.Steps, scenarioStep(st))
	}
	return out
}

func scenarioStep(st runner.StepResult) finding.ScenarioStep {
	return finding.ScenarioStep{Index: st.Index, Line: st.Line, Kind: string(st.Kind), Description: st.Description, Passed: st.Passed,
		Duration: st.Duration, URL: st.URL, Error: st.Error, DOMExcerpt: st.DOMExcerpt, ConsoleErrors: st.ConsoleErrors,
		FailedRequests: st.FailedRequests, Screenshot: st.Screenshot, HasScreenshot: len(st.Screenshot) > 0}
}

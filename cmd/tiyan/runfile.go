package main

import (
	"context"
	"fmt"
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

// runLedger files scenario runs into the store: one run record for the command, one sighting per
// failed run.
type runLedger struct {
	lp  *loop.Loop
	run finding.Run
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

func (l *runLedger) record(ctx context.Context, sc *scenarios.Scenario, res *runner.Result) error {
	if l == nil {
		return nil
	}
	l.run.Done++
	l.run.Site = sc.Site
	if res.BrowserDied {
		l.run.Errors = append(l.run.Errors, fmt.Sprintf("%s %s：%s", sc.ID, res.Channel, res.Error))
	}
	ss := runSightings(sc, res, l.run.ID)
	l.run.Findings += len(ss)
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

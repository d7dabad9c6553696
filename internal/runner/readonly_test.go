package runner_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"tiyan/internal/portalsim"
	"tiyan/scenarios"
)

// TestRunOutsideSandboxSendsNothing: a scenario without sandbox: true that clicks a 下一步 which
// posts the application form signs in (a write the site profile allows) but sends nothing else:
// the simulator records no write, and the refused post is the step's evidence and in
// the run's log.
func TestRunOutsideSandboxSendsNothing(t *testing.T) {
	b := chromium.Browser(t)
	sim, site := simulator(t)
	sc := parse(t, `id: readonly-next
title: 只读运行点击下一步
site: wanshitong
item: {code: "11341500MB1234567X0100118002", id: 8a8a8b1ee1eeb5ac13bce64ff2e4f3b8}
channels: [pc]
signin: true
steps:
  - open: item
  - click: 在线办理
  - check: {label: 本人承诺所填信息真实有效}
  - click: {role: button, name: 下一步}
`)
	res, err := newRunner(t, site, b).Run(context.Background(), sc, scenarios.PC)
	if err != nil {
		t.Fatal(err, explain(res))
	}
	var writes []string
	for _, s := range sim.Submits() {
		writes = append(writes, s.Method+" "+s.Path)
	}
	if len(writes) > 0 {
		t.Errorf("writes that reached the simulator: %v, want none", writes)
	}
	var refused []string
	for _, s := range res.Steps {
		refused = append(refused, s.Refused...)
	}
	if len(refused) == 0 || !strings.HasPrefix(refused[0], "已拦截提交请求：POST http") || !strings.Contains(refused[0], "onlineApply.html") {
		t.Errorf("refused %v, want the form's post", refused)
	}
	for _, s := range res.Steps {
		for _, f := range s.FailedRequests {
			if strings.Contains(f, "onlineApply.html") {
				t.Errorf("step %d reports the refused post as a failed request: %s", s.Index, f)
			}
		}
	}
	if !strings.Contains(strings.Join(res.Log, "\n"), "已拦截提交请求：POST") {
		t.Errorf("the run's log does not say what was refused:\n%s", strings.Join(res.Log, "\n"))
	}
}

// TestSandboxRunSubmits: a sandbox scenario still files its application.
func TestSandboxRunSubmits(t *testing.T) {
	b := chromium.Browser(t)
	sim, site := simulator(t)
	res, err := newRunner(t, site, b).Run(context.Background(), byID(t, "getihu-sheli-shenban"), scenarios.PC)
	if err != nil || !res.Passed {
		t.Fatal(err, explain(res))
	}
	if !slices.ContainsFunc(sim.Submits(), func(s portalsim.Submit) bool { return s.Path == "/bog-bsdt/apply/confirm" }) {
		t.Errorf("the sandbox run's submission did not reach the simulator: %v", sim.Submits())
	}
}

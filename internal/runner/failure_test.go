package runner_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"tiyan/internal/browser"
	"tiyan/internal/runner"
	"tiyan/scenarios"
)

var jpegMagic = []byte("\xff\xd8\xff")

// With the 在线办理 link broken, the guide journey fails on the step after the click, with the
// evidence an officer needs.
func TestEntrance404FailsAfterClick(t *testing.T) {
	b := chromium.Browser(t)
	sim, site := simulator(t)
	sc := byID(t, "getihu-guide")
	r := newRunner(t, site, b)
	for _, ch := range []scenarios.Channel{scenarios.PC, scenarios.H5} {
		t.Run(string(ch), func(t *testing.T) {
			if err := sim.Switchboard().Set(sc.Item.Code, string(ch), "entrance-404", true); err != nil {
				t.Fatal(err)
			}
			res, err := r.Run(context.Background(), sc, ch)
			if err != nil {
				t.Fatal(err)
			}
			if res.Passed {
				t.Fatal("passed with entrance-404 on")
			}
			click := -1
			for i, st := range sc.Steps {
				if st.Kind == scenarios.KindClick {
					click = i
					break
				}
			}
			last := res.Steps[len(res.Steps)-1]
			if last.Index != click+1 || last.Passed || !res.Steps[click].Passed {
				t.Fatalf("want the failure at step %d, after the click:\n%s", click+1, explain(res))
			}
			if !bytes.HasPrefix(last.Screenshot, jpegMagic) {
				t.Error("no JPEG screenshot of the failure")
			}
			if last.DOMExcerpt == "" || len(last.DOMExcerpt) > 4096 {
				t.Errorf("DOM excerpt of %d bytes", len(last.DOMExcerpt))
			}
			if !strings.Contains(last.Error, "手机号码") || !strings.Contains(res.Error, "第 7 步") {
				t.Errorf("error does not name the target or step: %s / %s", last.Error, res.Error)
			}
			if len(last.FailedRequests) == 0 && len(res.Steps[click].FailedRequests) == 0 {
				t.Error("the 404 is not among the failed requests")
			}
		})
	}
}

func TestMissingTargetNamesIt(t *testing.T) {
	b := chromium.Browser(t)
	_, site := simulator(t)
	sc := parse(t, `id: missing-target
title: 缺少目标
site: wanshitong
item: {code: "11341500MB1234567X4000117001"}
channels: [pc]
steps:
  - open: item
  - click: {text: 不存在的按钮, timeout: 1s}
`)
	res, err := newRunner(t, site, b).Run(context.Background(), sc, scenarios.PC)
	if err != nil {
		t.Fatal(err)
	}
	last := res.Steps[len(res.Steps)-1]
	if res.Passed || last.Passed || last.Index != 1 {
		t.Fatal(explain(res))
	}
	for _, want := range []string{"未找到", "“不存在的按钮”", "target not found"} {
		if !strings.Contains(last.Error, want) {
			t.Errorf("error %q lacks %q", last.Error, want)
		}
	}
	if last.Description != "点击“不存在的按钮”" {
		t.Errorf("description %q", last.Description)
	}
	if !strings.Contains(last.DOMExcerpt, "<body") {
		t.Errorf("DOM excerpt is not the body: %.200s", last.DOMExcerpt)
	}
}

func TestNavigationToOtherHostBlocked(t *testing.T) {
	b := chromium.Browser(t)
	_, site := simulator(t)
	sc := parse(t, `id: blocked-host
title: 外链
site: wanshitong
channels: [pc]
steps:
  - open: /tiyan-test/external.html
  - click: {text: 去别的网站}
  - expect: {text: 不会到这里}
`)
	res, err := newRunner(t, site, b).Run(context.Background(), sc, scenarios.PC)
	if err != nil {
		t.Fatal(err)
	}
	last := res.Steps[len(res.Steps)-1]
	if res.Passed || last.Index != 1 {
		t.Fatalf("want the click to fail:\n%s", explain(res))
	}
	if !strings.Contains(last.Error, "blocked.example.com") || !strings.Contains(last.Error, "navigation blocked") {
		t.Errorf("error %q does not report the blocked host", last.Error)
	}
	if !strings.Contains(strings.Join(last.FailedRequests, "\n"), "blocked.example.com") {
		t.Errorf("failed requests %v", last.FailedRequests)
	}
}

func TestSubmitRefusedOutsideSandbox(t *testing.T) {
	// The parser refuses submit without sandbox: true; the runner checks again in case a caller
	// built or changed a scenario by hand.
	b := chromium.Browser(t)
	sim, site := simulator(t)
	sc := parse(t, `id: submit-by-hand
title: 手工改成非沙箱的提交
site: wanshitong
channels: [pc]
sandbox: true
steps:
  - open: /tiyan-test/form.html
  - submit: {text: 下一步}
`)
	sc.Sandbox = false
	res, err := newRunner(t, site, b).Run(context.Background(), sc, scenarios.PC)
	if err != nil {
		t.Fatal(err)
	}
	last := res.Steps[len(res.Steps)-1]
	if res.Passed || last.Kind != scenarios.KindSubmit || !strings.Contains(last.Error, "拒绝提交") {
		t.Fatal(explain(res))
	}
	if n := len(sim.Submits()); n > 0 {
		t.Errorf("%d writes reached the simulator", n)
	}
}

func TestSecretsNeverShown(t *testing.T) {
	b := chromium.Browser(t)
	_, site := simulator(t)
	sc := byID(t, "yingye-biangeng-dry")
	var logs bytes.Buffer
	r, err := runner.New(runner.Config{Site: site, Browser: b, Env: env, Logger: newLogger(&logs)})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Run(context.Background(), sc, scenarios.PC)
	if err != nil || !res.Passed {
		t.Fatal(err, explain(res))
	}
	pw, _ := env("TIYAN_SSO_PASSWORD")
	if len(res.Log) == 0 {
		t.Error("the run kept no log")
	}
	all := logs.String() + strings.Join(res.Log, "\n")
	for _, s := range res.Steps {
		all += s.Description + s.Error + s.DOMExcerpt + strings.Join(s.ConsoleErrors, "")
	}
	if strings.Contains(all, pw) {
		t.Error("the SSO password shows in the logs, the run's log or the result")
	}
}

func TestBrowserDeathEndsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("needs Chromium")
	}
	chromium.Browser(t) // skips without Chromium
	_, site := simulator(t)
	b, err := browser.Start(context.Background(), browser.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sc := byID(t, "getihu-sheli-shenban")
	killed := false
	r2, _ := runner.New(runner.Config{Site: site, Browser: b, Env: env, OnStep: func(s runner.StepResult) {
		if s.Index == 3 && !killed {
			killed = true
			syscall.Kill(b.PID(), syscall.SIGKILL)
			time.Sleep(200 * time.Millisecond)
		}
	}})
	res, err := r2.Run(context.Background(), sc, scenarios.PC)
	if !errors.Is(err, browser.ErrBrowserDied) {
		t.Fatalf("err = %v, want ErrBrowserDied\n%s", err, explain(res))
	}
	if !res.BrowserDied || res.Passed || !strings.Contains(res.Error, "浏览器进程意外退出（browser died）") {
		t.Fatal(explain(res))
	}
	if len(res.Steps) >= len(sc.Steps) {
		t.Errorf("the run went on after the death: %d steps", len(res.Steps))
	}

	fresh, err := browser.Start(context.Background(), browser.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	res, err = newRunner(t, site, fresh).Run(context.Background(), sc, scenarios.PC)
	if err != nil || !res.Passed {
		t.Fatalf("the fresh browser's run: %v\n%s", err, explain(res))
	}
}

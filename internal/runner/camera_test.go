package runner_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"tiyan/internal/runner"
	"tiyan/scenarios"
)

// On H5 (which Chromium captures at the device's pixel ratio by changing the tab's emulation for
// a moment) a click after a run of quick checks still lands: the checks' screenshots never
// overlap. OnStep sees every step once, in order, with its screenshot.
func TestStepsDeliveredInOrderWithScreenshots(t *testing.T) {
	b := chromium.Browser(t)
	_, site := simulator(t)
	sc := byID(t, "getihu-guide")
	var seen []runner.StepResult
	r, err := runner.New(runner.Config{Site: site, Browser: b, Env: env, Logger: slog.New(slog.DiscardHandler),
		OnStep: func(s runner.StepResult) { seen = append(seen, s) }})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Run(context.Background(), sc, scenarios.H5)
	if err != nil || !res.Passed {
		t.Fatal(err, explain(res))
	}
	if len(seen) != len(res.Steps) {
		t.Fatalf("OnStep saw %d steps of %d", len(seen), len(res.Steps))
	}
	for i, s := range seen {
		if s.Index != i || !bytes.Equal(s.Screenshot, res.Steps[i].Screenshot) {
			t.Errorf("OnStep call %d: step %d", i, s.Index)
		}
		if !bytes.HasPrefix(s.Screenshot, jpegMagic) {
			t.Errorf("step %d has no JPEG screenshot", i)
		}
	}
}

// With FailedSteps only the screenshot: step and the failing step have a screenshot.
func TestFailedStepsKeepsFewScreenshots(t *testing.T) {
	b := chromium.Browser(t)
	_, site := simulator(t)
	sc := parse(t, `id: few-shots
title: 少截图
site: wanshitong
channels: [pc]
steps:
  - open: /tiyan-test/in-place.html
  - click: {text: 确认}
  - screenshot: 已确认
  - expect: {text: 不会出现, timeout: 300ms}
`)
	r, err := runner.New(runner.Config{Site: site, Browser: b, Env: env, Logger: slog.New(slog.DiscardHandler), Screenshots: runner.FailedSteps})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Run(context.Background(), sc, scenarios.PC)
	if err != nil || res.Passed || len(res.Steps) != 4 {
		t.Fatal(err, explain(res))
	}
	for i, s := range res.Steps {
		if want := i >= 2; (len(s.Screenshot) > 0) != want {
			t.Errorf("step %d (%s): screenshot %v, want %v", i, s.Kind, len(s.Screenshot) > 0, want)
		}
		if !strings.HasSuffix(s.URL, "/tiyan-test/in-place.html") {
			t.Errorf("step %d has URL %q", i, s.URL)
		}
	}
}

package runner_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tiyan/internal/browser"
	"tiyan/internal/runner"
	"tiyan/scenarios"
)

// overhead is the journey both sides of BenchmarkStepOverhead take: 4 steps.
const overhead = `id: overhead
title: 步骤开销
site: wanshitong
item: {code: "11341500MB1234567X4000117001", id: 8a8a8b1e60fe3ad7d99c759e5c0b1369}
channels: [pc]
steps:
  - open: item
  - expect: {text: 办事指南}
  - click: {text: 在线办理}
  - fill: {label: 手机号码, value: "13800000000"}
`

// BenchmarkStepOverhead compares the runner's time per step (resolver, page-load detection,
// evidence: screenshot, console and request log, allowlist, run log) with bare chromedp doing the
// same four actions on the same pages, each run in a fresh session. The runner runs twice: with a
// screenshot after every step (the default, for replays) and with screenshots of failed steps
// only (for scheduled runs). The three alternate within each iteration, each first in turn, so
// that a machine whose load varies weighs on all alike; ratio is runner time over bare time.
//
// Politeness (a pause between page loads on a host) is a deliberate throttle of the portal, not
// overhead, and the bare side has none: it is off here. BenchmarkScenarioParallel runs with it.
func BenchmarkStepOverhead(b *testing.B) {
	br := chromium.Browser(b)
	_, site := simulator(b)
	site.Politeness.Pause = 0
	sc := parse(b, overhead)
	u, _ := site.GuideURL(scenarios.PC, "8a8a8b1e60fe3ad7d99c759e5c0b1369", "11341500MB1234567X4000117001")
	sides := []func() error{
		playing(b, runner.Config{Site: site, Browser: br, Logger: slog.New(slog.DiscardHandler)}, sc),
		playing(b, runner.Config{Site: site, Browser: br, Logger: slog.New(slog.DiscardHandler), Screenshots: runner.FailedSteps}, sc),
		func() error { return bare(br, u.String()) },
	}
	spent := make([]time.Duration, len(sides))
	for i := 0; b.Loop(); i++ {
		for k := range sides {
			side := (i + k) % len(sides)
			start := time.Now()
			if err := sides[side](); err != nil {
				b.Fatal(err)
			}
			spent[side] += time.Since(start)
		}
	}
	steps := float64(b.N * len(sc.Steps))
	b.ReportMetric(float64(spent[0].Milliseconds())/steps, "runner-ms/step")
	b.ReportMetric(float64(spent[1].Milliseconds())/steps, "failedshots-ms/step")
	b.ReportMetric(float64(spent[2].Milliseconds())/steps, "chromedp-ms/step")
	b.ReportMetric(float64(spent[0])/float64(spent[2]), "ratio")
	b.ReportMetric(float64(spent[1])/float64(spent[2]), "ratio-failedshots")
}

// playing returns a func that plays sc with a Runner of cfg.
func playing(b *testing.B, cfg runner.Config, sc *scenarios.Scenario) func() error {
	r, err := runner.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return func() error {
		res, err := r.Run(context.Background(), sc, scenarios.PC)
		if err == nil && !res.Passed {
			err = errors.New(explain(res))
		}
		return err
	}
}

// bare is the overhead journey in plain chromedp: open the guide, wait for its heading, click
// 在线办理 and wait for the form to load, type the phone number.
func bare(br *browser.Browser, guide string) error {
	tab, cancel, err := br.NewSession(context.Background(), browser.PC)
	if err != nil {
		return err
	}
	defer cancel()
	err = chromedp.Do(tab,
		chromedp.Navigate(guide),
		chromedp.WaitVisible(chromedp.CSS("h2")),
	)
	if err == nil {
		_, err = chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.ID("online-apply"))))
	}
	if err == nil {
		err = chromedp.Do(tab, chromedp.SendKeys(chromedp.ID("phone"), "13800000000"))
	}
	return err
}

// BenchmarkScenarioParallel runs the full sandbox application on PC with 1, 2 and 4 sessions at
// once; ns/op is per scenario run. The site's politeness (2 page loads in flight) applies.
func BenchmarkScenarioParallel(b *testing.B) {
	br := chromium.Browser(b)
	_, site := simulator(b)
	sc := byID(b, "getihu-sheli-shenban")
	r := newRunner(b, site, br)
	for _, n := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
			var left atomic.Int64
			left.Store(int64(b.N))
			var wg sync.WaitGroup
			b.ResetTimer()
			for range n {
				wg.Go(func() {
					for left.Add(-1) >= 0 {
						res, err := r.Run(context.Background(), sc, scenarios.PC)
						if err != nil || !res.Passed {
							b.Error(err, explain(res))
							return
						}
					}
				})
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}

package runner_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tiyan/internal/browser"
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

// BenchmarkStepOverhead compares the runner's time per step (resolver, evidence: screenshot,
// console and request log) with bare chromedp doing the same four actions on the same pages,
// both in a fresh session per iteration.
func BenchmarkStepOverhead(b *testing.B) {
	br := chromium.Browser(b)
	_, site := simulator(b)
	sc := parse(b, overhead)
	steps := float64(len(sc.Steps))
	b.Run("runner", func(b *testing.B) {
		r := newRunner(b, site, br)
		for b.Loop() {
			res, err := r.Run(context.Background(), sc, scenarios.PC)
			if err != nil || !res.Passed {
				b.Fatal(err, explain(res))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/steps, "ms/step")
	})
	b.Run("chromedp", func(b *testing.B) {
		u, _ := site.GuideURL(scenarios.PC, "8a8a8b1e60fe3ad7d99c759e5c0b1369", "11341500MB1234567X4000117001")
		for b.Loop() {
			tab, cancel, err := br.NewSession(context.Background(), browser.PC)
			if err != nil {
				b.Fatal(err)
			}
			err = chromedp.Do(tab,
				chromedp.Navigate(u.String()),
				chromedp.WaitVisible(chromedp.CSS("h2")),
			)
			if err == nil {
				_, err = chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.ID("online-apply"))))
			}
			if err == nil {
				err = chromedp.Do(tab, chromedp.SendKeys(chromedp.ID("phone"), "13800000000"))
			}
			cancel()
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/steps, "ms/step")
	})
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

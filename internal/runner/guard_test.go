package runner_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tiyan/scenarios"
)

// An image from a host the site does not allow is refused by Chromium and reported, without
// failing the step: the page is the portal's, the image is not ours to load.
func TestSubresourceFromOtherHostBlocked(t *testing.T) {
	b := chromium.Browser(t)
	_, site := simulator(t)
	sc := parse(t, `id: third-party
title: 第三方图片
site: wanshitong
channels: [pc]
steps:
  - open: /tiyan-test/third-party.html
  - expect: {text: 第三方图片}
`)
	res, err := newRunner(t, site, b).Run(context.Background(), sc, scenarios.PC)
	if err != nil || !res.Passed {
		t.Fatal(err, explain(res))
	}
	var failed []string
	for _, s := range res.Steps {
		failed = append(failed, s.FailedRequests...)
	}
	if !slices.Contains(failed, "blocked http://blocked.example.com/banner.png") {
		t.Errorf("the image is not reported as blocked: %q", failed)
	}
}

// Page loads on one host, from two runs at once, start at least the site's pause apart.
func TestPolitenessSpacesPageLoads(t *testing.T) {
	b := chromium.Browser(t)
	var mu sync.Mutex
	var loads []time.Time
	_, site := serve(t, func(*http.Request) {
		mu.Lock()
		loads = append(loads, time.Now())
		mu.Unlock()
	})
	const pause = 500 * time.Millisecond
	site.Politeness.Pause = pause
	sc := parse(t, `id: form-post
title: 表单提交
site: wanshitong
channels: [pc]
sandbox: true
steps:
  - open: /tiyan-test/form.html
  - click: {text: 下一步}
  - click: {text: 下一步}
  - expect: {text: 第三页}
`)
	r := newRunner(t, site, b)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if res, err := r.Run(context.Background(), sc, scenarios.PC); err != nil || !res.Passed {
				t.Error(err, explain(res))
			}
		})
	}
	wg.Wait()
	if len(loads) != 8 { // form, post, redirect to the second page, third page; twice
		t.Fatalf("%d page loads, want 8", len(loads))
	}
	slices.SortFunc(loads, func(a, b time.Time) int { return a.Compare(b) })
	for i := 1; i < len(loads); i++ {
		// the gate spaces the starts; the server sees them after Chromium's network stack, whose
		// delay varies on a busy machine
		if gap := loads[i].Sub(loads[i-1]); gap < pause-100*time.Millisecond {
			t.Errorf("page loads %d and %d only %v apart", i-1, i, gap)
		}
	}
}

// The run's own log, in the Result, has its steps and why a step was slow: a politeness wait.
func TestRunLogShowsPolitenessWaits(t *testing.T) {
	b := chromium.Browser(t)
	_, site := simulator(t)
	site.Politeness.Pause = 2 * time.Second // longer than the first step takes on a busy machine
	sc := parse(t, `id: two-pages
title: 两页
site: wanshitong
channels: [pc]
steps:
  - open: /tiyan-test/in-place.html
  - open: /tiyan-test/third.html
`)
	res, err := newRunner(t, site, b).Run(context.Background(), sc, scenarios.PC)
	if err != nil || !res.Passed {
		t.Fatal(err, explain(res))
	}
	log := strings.Join(res.Log, "\n")
	for _, want := range []string{"msg=step index=0", "msg=step index=1", "politeness", `msg="scenario run" passed=true`} {
		if !strings.Contains(log, want) {
			t.Errorf("the run's log lacks %q:\n%s", want, log)
		}
	}
}

package runner_test

import (
	"context"
	"testing"

	"tiyan/scenarios"
)

// A click that posts a form waits for the next page, although the post starts a moment after the
// click and the server is slow: the next step's "下一步" is the second page's, not the first's.
func TestClickWaitsForTheFormItPosts(t *testing.T) {
	b := chromium.Browser(t)
	_, site := simulator(t)
	sc := parse(t, `id: form-post
title: 表单提交
site: wanshitong
channels: [pc]
sandbox: true
steps:
  - open: /tiyan-test/form.html
  - click: {text: 下一步}
  - click: {text: 下一步}
  - expect: {text: 第三页, timeout: 2s}
`)
	res, err := newRunner(t, site, b).Run(context.Background(), sc, scenarios.PC)
	if err != nil || !res.Passed {
		t.Fatal(err, explain(res))
	}
}

// A click that changes the page in place does not wait for a page load that never comes.
func TestClickInPlaceDoesNotWaitForALoad(t *testing.T) {
	b := chromium.Browser(t)
	_, site := simulator(t)
	sc := parse(t, `id: in-place
title: 页内变化
site: wanshitong
channels: [pc]
steps:
  - open: /tiyan-test/in-place.html
  - click: {text: 确认}
  - expect: {text: 已确认, timeout: 1s}
`)
	res, err := newRunner(t, site, b).Run(context.Background(), sc, scenarios.PC)
	if err != nil || !res.Passed {
		t.Fatal(err, explain(res))
	}
	// well below the 2 s after which a navigation that never started is taken as cancelled
	if d := res.Steps[1].Duration; d > 1500e6 {
		t.Errorf("the in-place click took %v", d)
	}
}

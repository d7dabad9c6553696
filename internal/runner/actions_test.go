package runner_test

import (
	"context"
	"testing"

	"tiyan/scenarios"
)

// A secret typed into a plain field is drawn as dots, so that screenshots do not show it.
func TestSecretInPlainFieldMasked(t *testing.T) {
	b := chromium.Browser(t)
	_, site := simulator(t)
	sc := parse(t, `id: secret-field
title: 账号
site: wanshitong
channels: [pc]
steps:
  - open: /tiyan-test/secret.html
  - fill: {label: 账号, value: "{{env.TIYAN_SSO_ACCOUNT}}"}
  - expect: {css: '#account[style*="text-security"]', timeout: 1s}
  - fill: {label: 账号, value: "张三"}
  - expect: {gone: {css: '#account[style*="text-security"]'}, timeout: 1s}
`)
	res, err := newRunner(t, site, b).Run(context.Background(), sc, scenarios.PC)
	if err != nil || !res.Passed {
		t.Fatal(err, explain(res))
	}
}

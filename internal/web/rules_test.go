package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tiyan/internal/browser"
	"tiyan/probes"
	"tiyan/scenarios"
)

// TestOwnRules holds tiyan's pages to the rules it holds the portal to: the layout probe (every
// LAYOUT- rule) and the accessibility probe (axe-core) run on every page of the UI, as the
// sweep runs them on a guide, on a desktop and in the 皖事通 app's 375-px H5 view. A blocker
// or major finding (axe's critical and serious) fails the test; lesser ones are logged.
func TestOwnRules(t *testing.T) {
	fx := newFixture(t)
	ts := httptest.NewServer(fx.srv)
	t.Cleanup(ts.Close)
	user := fmt.Sprintf("/users/%d", fx.users["liqiang"].ID)
	pages := []string{
		"/findings",
		"/findings?status=found&category=channel",
		fmt.Sprintf("/findings/%d", fx.unreachable),
		fmt.Sprintf("/findings/%d", fx.manual),
		fmt.Sprintf("/findings/%d/feedback", fx.unreachable),
		fmt.Sprintf("/findings/%d/dismiss", fx.unreachable),
		fmt.Sprintf("/findings/%d/handle", fx.httpErr),
		fmt.Sprintf("/findings/%d/evaluate", fx.guide),
		"/report",
		"/overview",
		"/runs",
		"/users",
		"/users/new",
		user,
		user + "/password",
		user + "/disable",
		user + "/token",
	}
	if err := fx.userStore().RecordSignIn(t.Context(), fx.users["liqiang"].ID, fx.clock.now()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := fx.srv.accounts().IssueToken(t.Context(), fx.users["liqiang"], 30*24*time.Hour, "省平台数据对接"); err != nil {
		t.Fatal(err)
	}
	for _, dev := range []browser.Device{browser.PC, browser.H5} {
		t.Run(dev.Name, func(t *testing.T) {
			tab := chromium.Session(t, dev)
			sweepPage(t, tab, ts.URL+"/signin", dev)
			signInBrowser(t, tab, ts.URL, "admin")
			for _, p := range pages {
				t.Run(strings.TrimPrefix(p, "/"), func(t *testing.T) { sweepPage(t, tab, ts.URL+p, dev) })
			}
		})
	}
}

// sweepPage opens url in tab as the sweep opens a guide and runs the layout and a11y probes on
// it, in the sweep's order (layout first, on the untouched page).
func sweepPage(t *testing.T, tab context.Context, url string, dev browser.Device) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, time.Minute)
	defer cancel()
	load, err := probes.Open(ctx, url, probes.Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	if load.Err != nil || load.Status != 200 {
		t.Fatalf("%s did not load: status %d, %v", url, load.Status, load.Err)
	}
	page := &probes.Page{Tab: ctx, Channel: scenarios.Channel(dev.Name), URL: url, Load: load}
	for _, probe := range []probes.Probe{probes.Layout, probes.A11y} {
		obs, err := probe(ctx, page)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range obs {
			judge(t, url, o)
		}
	}
}

// judge fails t on a blocker or major observation and logs the rest.
func judge(t *testing.T, url string, o probes.Observation) {
	t.Helper()
	sev := o.Severity
	if sev == "" {
		r, _ := probes.RuleByID(o.Rule)
		sev = r.Severity
	}
	msg := fmt.Sprintf("%s (%s) on %s: %s — %s", o.Rule, sev.Label(), url, o.Title, o.Detail)
	if sev == probes.Blocker || sev == probes.Major {
		t.Errorf("%s\n%s", msg, o.DOM)
		return
	}
	t.Log(msg)
}

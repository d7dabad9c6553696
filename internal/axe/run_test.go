package axe_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"tiyan/internal/axe"
	"tiyan/internal/browser"
	"tiyan/internal/browser/browsertest"
)

var chromium browsertest.Shared

func TestMain(m *testing.M) {
	os.Exit(chromium.Run(m, browser.Config{}))
}

// budget is the time one axe run may take on a test page; a real portal
// page gets more from the runner.
const budget = 20 * time.Second

// open loads a testdata page in a new session for dev.
func open(t *testing.T, dev browser.Device, page string) context.Context {
	t.Helper()
	ts := httptest.NewServer(http.FileServer(http.Dir("testdata")))
	t.Cleanup(ts.Close)
	tab := chromium.Session(t, dev)
	if err := browser.Navigate(tab, ts.URL+"/"+page); err != nil {
		t.Fatal(err)
	}
	return tab
}

// run runs axe within budget on the page loaded in tab.
func run(t *testing.T, tab context.Context, opts axe.Options) axe.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, budget)
	defer cancel()
	start := time.Now()
	res, err := axe.Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d violations, %d incomplete in %v", res.URL,
		len(res.Violations), len(res.Incomplete), time.Since(start).Round(time.Millisecond))
	if res.Engine != axe.Version() {
		t.Errorf("engine %q, want the embedded %q", res.Engine, axe.Version())
	}
	return res
}

func find(rules []axe.Rule, id string) *axe.Rule {
	i := slices.IndexFunc(rules, func(r axe.Rule) bool { return r.ID == id })
	if i < 0 {
		return nil
	}
	return &rules[i]
}

func TestBadPage(t *testing.T) {
	res := run(t, open(t, browser.PC, "bad.html"), axe.Options{})
	for _, tc := range []struct{ rule, target, html string }{
		{"image-alt", "#flow", "<img"},
		{"color-contrast", "#hint", "承诺时限"},
	} {
		r := find(res.Violations, tc.rule)
		if r == nil {
			t.Errorf("%s not among the violations %v", tc.rule, ids(res.Violations))
			continue
		}
		if (r.Impact != axe.Serious && r.Impact != axe.Critical) || r.Help == "" {
			t.Errorf("%s: impact %q, help %q", tc.rule, r.Impact, r.Help)
		}
		if len(r.Nodes) != 1 {
			t.Fatalf("%s flags %d nodes, want 1", tc.rule, len(r.Nodes))
		}
		n := r.Nodes[0]
		if !slices.Equal(n.Target, []string{tc.target}) || !strings.Contains(n.HTML, tc.html) {
			t.Errorf("%s flags %v %q, want %s", tc.rule, n.Target, n.HTML, tc.target)
		}
		if n.Box == nil || n.Box.Width <= 0 || n.Box.Height <= 0 {
			t.Errorf("%s: box %+v, want the element's rectangle", tc.rule, n.Box)
		}
	}
}

func TestCleanPage(t *testing.T) {
	for _, dev := range browser.Devices {
		t.Run(dev.Name, func(t *testing.T) {
			res := run(t, open(t, dev, "clean.html"), axe.Options{})
			for _, r := range res.Violations {
				if r.Impact == axe.Serious || r.Impact == axe.Critical {
					t.Errorf("%s (%s): %s at %v", r.ID, r.Impact, r.Help, r.Nodes[0].Target)
				}
			}
		})
	}
}

// TestRunTwice runs axe twice on one page with different options: the
// second run reuses the injected engine, and the options narrow the rules.
func TestRunTwice(t *testing.T) {
	tab := open(t, browser.H5, "bad.html")
	first := run(t, tab, axe.Options{Include: "main"})
	if find(first.Violations, "image-alt") == nil || find(first.Violations, "color-contrast") == nil {
		t.Fatalf("inside main: %v, want image-alt and color-contrast", ids(first.Violations))
	}
	if err := browser.Exec(tab, `axe.injectedBy = "first run"`); err != nil {
		t.Fatal(err)
	}
	second := run(t, tab, axe.Options{Tags: []string{"cat.text-alternatives"}})
	if find(second.Violations, "color-contrast") != nil || find(second.Violations, "image-alt") == nil {
		t.Errorf("with tag cat.text-alternatives: %v, want image-alt without color-contrast", ids(second.Violations))
	}
	if by, err := browser.EvalJSON[string](tab, `axe.injectedBy || ""`); err != nil || by != "first run" {
		t.Errorf("axe was injected again for the second run (%q, %v)", by, err)
	}
}

func TestBudget(t *testing.T) {
	tab := chromium.Session(t, browser.PC)
	ctx, cancel := context.WithTimeout(tab, time.Millisecond)
	defer cancel()
	time.Sleep(2 * time.Millisecond)
	if _, err := axe.Run(ctx, axe.Options{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run past its deadline: %v, want DeadlineExceeded", err)
	}
}

func ids(rules []axe.Rule) []string {
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = r.ID + "/" + string(r.Impact)
	}
	return out
}

package sweep

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"tiyan/internal/browser"
	"tiyan/internal/browser/browsertest"
	"tiyan/internal/finding"
	"tiyan/internal/portalsim"
	"tiyan/probes"
	"tiyan/scenarios"
)

// chromium only tells whether Chromium is there (and skips with -short); each sweep starts its own.
var chromium browsertest.Shared

func TestMain(m *testing.M) { os.Exit(chromium.Run(m, browser.Config{MaxTabs: 1})) }

// simAccount is the simulator's test account, the sign-in the sweep reads forms with.
var simAccount = map[string]string{"TIYAN_SSO_ACCOUNT": "13800000000", "TIYAN_SSO_PASSWORD": "Tiyan@2026", "TIYAN_SSO_SMS": "123456"}

func simEnv(k string) (string, bool) { v, ok := simAccount[k]; return v, ok }

// newSim starts the simulator with the given defects. Slow pages take 8 s and hanging ones 30 s,
// against the sweep thresholds of testThresholds: a clean page has 5 s before it counts as slow,
// room enough for a busy machine and the read-only guard's pause of every request.
func newSim(t testing.TB, defects string) (*portalsim.Server, *httptest.Server) {
	t.Helper()
	return newSimWith(t, portalsim.Config{Defects: defects})
}

// newSimWith serves a simulator configured by cfg, with the delays of slow and hanging pages
// shortened for tests.
func newSimWith(t testing.TB, cfg portalsim.Config) (*portalsim.Server, *httptest.Server) {
	t.Helper()
	cfg.SlowDelay, cfg.HangLimit = 8*time.Second, 30*time.Second
	s, err := portalsim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

var testThresholds = probes.Thresholds{Slow: 5 * time.Second, Unreachable: 12 * time.Second, AxeBudget: 20 * time.Second}

// testSite is the real portal's profile pointed at the simulator, with politeness loosened.
func testSite(t testing.TB, baseURL string, inFlight int) *scenarios.Site {
	t.Helper()
	site, err := scenarios.LoadSite("../../scenarios/sites/wanshitong.yaml", scenarios.SiteOptions{BaseURL: baseURL})
	if err != nil {
		t.Fatal(err)
	}
	site.Politeness.MaxInFlight, site.Politeness.Pause = inFlight, time.Millisecond
	return site
}

// sweepSim sweeps the whole simulator catalogue, comparing with its 实施清单.
func sweepSim(t *testing.T, ts *httptest.Server) *Result {
	t.Helper()
	chromium.Browser(t) // skip without Chromium
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	site := testSite(t, ts.URL, 4)
	cat, err := probes.LoadCatalogue(ctx, nil, ts.URL+"/catalogue/ssqd.json")
	if err != nil {
		t.Fatal(err)
	}
	items, err := List(ctx, http.DefaultClient, site, ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 53 {
		t.Fatalf("listed %d items, want the simulator's 53", len(items))
	}
	sw, err := New(Config{Site: site, Catalogue: cat, Thresholds: testThresholds, Concurrency: 4, Env: simEnv})
	if err != nil {
		t.Fatal(err)
	}
	defer sw.Close()
	res := sw.Sweep(ctx, items)
	if res.ItemChannels != 106 {
		t.Fatalf("probed %d item-channels, want 106", res.ItemChannels)
	}
	for _, e := range res.Errors {
		t.Errorf("prober error: %+v", e)
	}
	return res
}

func TestSweepOfACleanPortalFindsNothing(t *testing.T) {
	_, ts := newSim(t, "none")
	res := sweepSim(t, ts)
	for _, f := range res.Findings {
		t.Errorf("finding on a clean portal: %s %s %s: %s — %s", f.ItemCode, f.Channel, f.Rule, f.Title, f.Detail)
	}
}

// TestSweepDetectionQuality scores a sweep of the seeded simulator against its ground truth.
func TestSweepDetectionQuality(t *testing.T) {
	_, ts := newSim(t, "seeded")
	res := sweepSim(t, ts)
	resp, err := http.Get(ts.URL + "/_sim/defects.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var truth []Expectation
	if err := json.NewDecoder(resp.Body).Decode(&truth); err != nil {
		t.Fatal(err)
	}
	s := Grade(res.Findings, truth)
	t.Logf("detection quality:\n%s", s)
	if s.Precision < 0.95 || s.Recall < 0.95 {
		t.Errorf("precision %.3f, recall %.3f; want both ≥ 0.95", s.Precision, s.Recall)
	}
	for _, c := range []probes.Category{probes.CategoryChannel, probes.CategoryGuide, probes.CategoryLayout} {
		if cs := s.ByCategory[c]; cs == nil || cs.Recall < 0.9 {
			t.Errorf("%s recall %+v, want ≥ 0.9", c, cs)
		}
	}
	for _, f := range res.Findings {
		if len(f.Evidence.PNG) == 0 {
			t.Errorf("%s %s %s has no screenshot", f.ItemCode, f.Channel, f.Rule)
		}
	}
	assertNoSubmits(t, ts.URL)
}

// TestTemplateDefectIsOneFinding sweeps 12 items of a portal whose guide template has small text
// on every PC page and no elder mode on any H5 page: one template finding and one site finding,
// each listing the 12 items, and nothing else.
func TestTemplateDefectIsOneFinding(t *testing.T) {
	chromium.Browser(t) // skip without Chromium
	fixture := t.TempDir() + "/template.yaml"
	if err := os.WriteFile(fixture, []byte("defects:\n  - {item: \"*\", channel: pc, defect: small-text}\n  - {item: \"*\", channel: h5, defect: no-elder-mode}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, ts := newSim(t, fixture)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	site := testSite(t, ts.URL, 4)
	items, err := List(ctx, http.DefaultClient, site, ListOptions{Limit: 12})
	if err != nil || len(items) != 12 {
		t.Fatalf("listed %d items (%v), want 12", len(items), err)
	}
	// Generous limits: a loaded machine must not add slow pages to the two findings.
	th := probes.Thresholds{Slow: time.Minute, Unreachable: 30 * time.Second, AxeBudget: time.Minute}
	sw, err := New(Config{Site: site, Thresholds: th, Concurrency: 4, Env: simEnv})
	if err != nil {
		t.Fatal(err)
	}
	defer sw.Close()
	var filed []Finding
	sw.OnFindings(func(fs []Finding) { filed = append(filed, fs...) })
	res := sw.Sweep(ctx, items)
	for _, e := range res.Errors {
		t.Errorf("prober error: %+v", e)
	}
	if len(res.Findings) != 2 || len(filed) != 2 {
		for _, f := range res.Findings {
			t.Logf("%s %s %s %s: %s", f.Scope, f.ItemCode, f.Channel, f.Rule, f.Title)
		}
		t.Fatalf("%d findings (%d delivered), want one template and one site finding", len(res.Findings), len(filed))
	}
	for _, f := range filed { // as delivered, with the example screenshot
		switch f.Rule {
		case "LAYOUT-SMALL-TEXT":
			checkShared(t, f, finding.ScopeTemplate, scenarios.PC, 12)
		case "LAYOUT-NO-ELDER-MODE":
			checkShared(t, f, finding.ScopeSite, scenarios.H5, 12)
		default:
			t.Errorf("unexpected %s %s %s", f.ItemCode, f.Channel, f.Rule)
		}
	}
	resp, err := http.Get(ts.URL + "/_sim/defects.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var truth []Expectation
	if err := json.NewDecoder(resp.Body).Decode(&truth); err != nil {
		t.Fatal(err)
	}
	if s := Grade(res.Findings, truth); s.Precision != 1 || s.Recall != 1 {
		t.Errorf("against the ground truth:\n%s", s)
	}
}

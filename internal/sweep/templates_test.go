package sweep

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"tiyan/internal/portalsim"
	"tiyan/probes"
)

// TestDetectionPerTemplate sweeps the simulator once per guide template, every item rendered in
// that template, on its share of the seeded defects (dealt round-robin in the defect catalogue's
// order, so each template gets channel, guide, layout and accessibility defects), and scores it
// against the ground truth; then a few of the same items without defects, where nothing may be
// found.
func TestDetectionPerTemplate(t *testing.T) {
	chromium.Browser(t) // skip without Chromium
	order := map[string]int{}
	for i, d := range portalsim.Defects() {
		order[d.Name] = i
	}
	for k, tpl := range portalsim.Templates {
		t.Run(tpl, func(t *testing.T) {
			_, ts := templateSim(t, "seeded", tpl)
			truth := groundTruth(t, ts)
			slices.SortStableFunc(truth, func(a, b Expectation) int { return order[a.Defect] - order[b.Defect] })
			var items []string // seeded items in the defect catalogue's order
			for _, e := range truth {
				for _, code := range expectedOn(e) {
					if !slices.Contains(items, code) {
						items = append(items, code)
					}
				}
			}
			var codes []string
			for i, code := range items {
				if i%len(portalsim.Templates) == k {
					codes = append(codes, code)
				}
			}
			var share []Expectation
			for _, e := range truth {
				if slices.ContainsFunc(expectedOn(e), func(c string) bool { return slices.Contains(codes, c) }) {
					share = append(share, e)
				}
			}
			res := sweepCodes(t, ts, codes)
			s := Grade(res.Findings, share)
			t.Logf("template %s, %d items, %d defects (%s): precision %.3f (%d/%d), recall %.3f (%d/%d)\n%s", tpl, len(codes), len(share),
				defectNames(share), s.Precision, s.Right, s.Findings, s.Recall, s.Met, s.Expected, s)
			if s.Precision < 0.95 || s.Recall < 0.95 {
				t.Errorf("template %s: precision %.3f, recall %.3f; want both ≥ 0.95", tpl, s.Precision, s.Recall)
			}

			_, clean := templateSim(t, "none", tpl)
			res = sweepCodes(t, clean, codes[:min(len(codes), cleanItems)])
			t.Logf("template %s, clean: %d findings on %d item-channels", tpl, len(res.Findings), res.ItemChannels)
			for _, f := range res.Findings {
				t.Errorf("finding on a clean %s page: %s %s %s: %s — %s", tpl, f.ItemCode, f.Channel, f.Rule, f.Title, f.Detail)
			}
		})
	}
}

// expectedOn lists the items a defect shows on: its item, or the items of a site or template
// defect.
func expectedOn(e Expectation) []string {
	if e.ItemCode == "" {
		return e.Items
	}
	return []string{e.ItemCode}
}

// templateSim serves the simulator with every guide in one template. Its slow pages take 15 s
// and hanging ones 60 s, against templateThresholds: this test sweeps many pages and must not
// mistake a busy machine for a slow portal.
func templateSim(t *testing.T, defects, tpl string) (*portalsim.Server, *httptest.Server) {
	t.Helper()
	s, err := portalsim.New(portalsim.Config{Defects: defects, Templates: []string{tpl}, SlowDelay: 15 * time.Second, HangLimit: 60 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

var templateThresholds = probes.Thresholds{Slow: 10 * time.Second, Unreachable: 25 * time.Second, AxeBudget: 60 * time.Second}

// cleanItems is how many of a template's items are swept again without defects.
const cleanItems = 3

func groundTruth(t *testing.T, ts *httptest.Server) []Expectation {
	t.Helper()
	resp, err := http.Get(ts.URL + "/_sim/defects.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var truth []Expectation
	if err := json.NewDecoder(resp.Body).Decode(&truth); err != nil {
		t.Fatal(err)
	}
	return truth
}

func defectNames(es []Expectation) string {
	var names []string
	for _, e := range es {
		names = append(names, e.Defect+"/"+e.Channel)
	}
	return strings.Join(names, " ")
}

// sweepCodes sweeps the given items of the simulator on both channels, comparing with its 实施清单.
func sweepCodes(t *testing.T, ts *httptest.Server, codes []string) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	site := testSite(t, ts.URL, 4)
	cat, err := probes.LoadCatalogue(ctx, nil, ts.URL+"/catalogue/ssqd.json")
	if err != nil {
		t.Fatal(err)
	}
	items, err := List(ctx, http.DefaultClient, site, ListOptions{Codes: codes})
	if err != nil {
		t.Fatal(err)
	}
	sw, err := New(Config{Site: site, Catalogue: cat, Thresholds: templateThresholds, Concurrency: 4, Env: simEnv})
	if err != nil {
		t.Fatal(err)
	}
	defer sw.Close()
	res := sw.Sweep(ctx, items)
	for _, e := range res.Errors {
		t.Errorf("prober error: %+v", e)
	}
	return res
}

package sweep

import (
	"context"
	"net/http"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"tiyan/internal/store"
)

// TestAvailabilityWeek probes an item whose guide fails one visit in eight, eight times, with
// the week's history in a real SQLite store: the eighth probe files CHANNEL-AVAILABILITY-WEEK.
func TestAvailabilityWeek(t *testing.T) {
	chromium.Browser(t)
	const item = "11341500003021450U0700201004" // 临时居民身份证申领, no online form
	sim, ts := newSim(t, "none")
	if err := sim.Switchboard().Set(item, "pc", "flaky", true); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "tiyan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	site := testSite(t, ts.URL, 1)
	items, err := List(ctx, http.DefaultClient, site, ListOptions{Codes: []string{item}})
	if err != nil {
		t.Fatal(err)
	}
	th := testThresholds
	th.AvailabilityProbes = 8
	sw, err := New(Config{Site: site, Thresholds: th, Concurrency: 1, History: st, RunID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer sw.Close()
	var rules [][]string
	for range 8 {
		res := sw.ProbeChannel(ctx, items[0], "pc")
		var got []string
		for _, f := range res.Findings {
			got = append(got, f.Rule)
		}
		rules = append(rules, got)
	}
	for i, got := range rules[:7] {
		if slices.Contains(got, "CHANNEL-AVAILABILITY-WEEK") {
			t.Errorf("probe %d, before 8 probes were made: %v", i+1, got)
		}
	}
	if !slices.Contains(rules[7], "CHANNEL-AVAILABILITY-WEEK") {
		t.Errorf("eighth probe, one of eight failed: %v; want CHANNEL-AVAILABILITY-WEEK (all: %v)", rules[7], rules)
	}
}

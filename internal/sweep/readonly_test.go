package sweep

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"tiyan/internal/portalsim"
	"tiyan/probes"
	"tiyan/scenarios"
)

// assertNoSubmits fails t unless the simulator at base recorded no state-changing request.
func assertNoSubmits(t *testing.T, base string) {
	t.Helper()
	resp, err := http.Get(base + "/_sim/submits.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got []portalsim.Submit
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	for _, s := range got {
		t.Errorf("the sweep sent %s %s to the portal", s.Method, s.Path)
	}
}

// TestSweepProfileWithoutWritesSendsNothing: a site profile that lists no writes (another
// portal's, an old one) gives the sweep no way to send anything: even the sign-in is refused,
// recorded as evidence, and no channel finding comes of it.
func TestSweepProfileWithoutWritesSendsNothing(t *testing.T) {
	chromium.Browser(t)
	sim, ts := newSim(t, "none")
	data, err := os.ReadFile("../../scenarios/sites/wanshitong.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bare, _, _ := strings.Cut(string(data), "# The only state-changing requests")
	if strings.Contains(bare, "writes:") || len(bare) == len(data) {
		t.Fatal("the profile's writes section moved; update the test")
	}
	site, err := scenarios.ParseSite("other.yaml", []byte(bare), scenarios.SiteOptions{BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	site.Politeness.Pause = time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	const code = "11341500MB1234567X0100118002" // online, with a form behind a sign-in
	items, err := List(ctx, http.DefaultClient, site, ListOptions{Codes: []string{code}})
	if err != nil || len(items) != 1 {
		t.Fatalf("list: %v, %d items", err, len(items))
	}
	sw, err := New(Config{Site: site, Thresholds: testThresholds, Channels: []scenarios.Channel{scenarios.PC}, Env: simEnv})
	if err != nil {
		t.Fatal(err)
	}
	defer sw.Close()
	res := sw.Sweep(ctx, items)
	for _, f := range res.Findings {
		if f.Category == probes.CategoryChannel && f.Rule != "CHANNEL-SLOW" { // slow: the machine, not the guard
			t.Errorf("a refused request filed as a portal defect: %s %s: %s", f.Rule, f.Title, f.Detail)
		}
	}
	for _, e := range res.Errors {
		t.Errorf("prober error: %+v", e)
	}
	var signin bool
	for _, r := range res.Refused {
		signin = signin || (r.Method == "POST" && strings.Contains(r.URL, "/uccp-server/login"))
	}
	if !signin || res.Refused[0].ItemCode != code {
		t.Errorf("refused %+v, want the sign-in", res.Refused)
	}
	assertNoSubmits(t, ts.URL)
	if n := len(sim.Submits()); n != 0 {
		t.Errorf("Submits() has %d", n)
	}
}

// TestSweepReadsFormsReadOnly: with the real profile, a sweep of an online item signs in (a
// write the profile lists), reads the form's upload slots and sends nothing that changes the
// portal; the item list API (listed by its POST) still answers.
func TestSweepReadsFormsReadOnly(t *testing.T) {
	chromium.Browser(t)
	_, ts := newSim(t, "seeded")
	site := testSite(t, ts.URL, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	const code = "11341500MB1C5943650700501006" // seeded: material-slot-missing on h5
	items, err := List(ctx, http.DefaultClient, site, ListOptions{Codes: []string{code}})
	if err != nil || len(items) != 1 {
		t.Fatalf("list: %v, %d items", err, len(items))
	}
	cat, err := probes.LoadCatalogue(ctx, nil, ts.URL+"/catalogue/ssqd.json")
	if err != nil {
		t.Fatal(err)
	}
	sw, err := New(Config{Site: site, Catalogue: cat, Thresholds: testThresholds, Env: simEnv})
	if err != nil {
		t.Fatal(err)
	}
	defer sw.Close()
	res := sw.Sweep(ctx, items)
	var mismatch bool
	for _, f := range res.Findings {
		mismatch = mismatch || (f.Rule == "GUIDE-MATERIAL-MISMATCH" && f.Channel == scenarios.H5)
	}
	if !mismatch {
		t.Errorf("the upload slots were not read: no GUIDE-MATERIAL-MISMATCH on h5 in %d findings", len(res.Findings))
	}
	if len(res.Refused) > 0 {
		t.Errorf("refused %+v: reading the form should not try to send anything", res.Refused)
	}
	assertNoSubmits(t, ts.URL)
}

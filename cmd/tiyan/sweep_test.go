package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tiyan/internal/jobs"
	"tiyan/internal/portalsim"
)

// Items of the seeded simulator, each with one defect.
const (
	itemOverflow = "11341500MB1C5943652000503001" // overflow on h5
	itemHTTP500  = "11341500MB1234567X0100118005" // http-500 on h5
	itemFee      = "11341500MB154286390500303001" // fee-mismatch on both channels
)

// seededSimulator starts the simulator with its seeded defects, the SSO account in the
// environment and an empty store.
func seededSimulator(t *testing.T) (*portalsim.Server, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: needs Chromium")
	}
	s, err := portalsim.New(portalsim.Config{Defects: "seeded", SlowDelay: 4 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	t.Setenv("TIYAN_SSO_ACCOUNT", portalsim.DefaultAccount.Phone)
	t.Setenv("TIYAN_SSO_PASSWORD", portalsim.DefaultAccount.Password)
	t.Setenv("TIYAN_SSO_SMS", portalsim.DefaultAccount.SMSCode)
	t.Setenv("TIYAN_DATABASE_URL", "sqlite:"+filepath.Join(t.TempDir(), "tiyan.db"))
	return s, ts.URL
}

type listed struct {
	ID          int64  `json:"id"`
	Rule        string `json:"rule"`
	ItemCode    string `json:"item_code"`
	Channel     string `json:"channel"`
	Status      string `json:"status"`
	Unit        string `json:"unit"`
	Occurrences int    `json:"occurrences"`
	Events      []struct {
		Action string `json:"action"`
		Actor  string `json:"actor"`
	} `json:"events"`
}

func storedFindings(t *testing.T, args ...string) []listed {
	t.Helper()
	out, err := run(t, append([]string{"findings", "list", "--format", "json"}, args...)...)
	if err != nil {
		t.Fatalf("findings list: %v\n%s", err, out)
	}
	var fs []listed
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatalf("findings list: %v\n%s", err, out)
	}
	return fs
}

// TestSweepJSONAndStore: --format json prints one finding per line with the contract's fields,
// and a second sweep of the same portal leaves the same open findings, each seen twice.
func TestSweepJSONAndStore(t *testing.T) {
	repoRoot(t)
	_, base := seededSimulator(t)
	args := []string{"sweep", "--base-url", base, "--catalogue", base + "/catalogue/ssqd.json",
		"--items", strings.Join([]string{itemOverflow, itemHTTP500, itemFee}, ","), "--format", "json", "--out", t.TempDir()}
	out, err := run(t, args...)
	if err != nil {
		t.Fatalf("sweep: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	rules := map[string]bool{}
	for _, l := range lines {
		var f map[string]any
		if err := json.Unmarshal([]byte(l), &f); err != nil {
			t.Fatalf("not one JSON object per line: %q", l)
		}
		for _, k := range []string{"rule", "severity", "category", "item_code", "channel", "url", "title", "detail", "evidence", "fingerprint"} {
			if _, ok := f[k]; !ok {
				t.Errorf("finding lacks %q: %s", k, l)
			}
		}
		rules[f["item_code"].(string)+"/"+f["channel"].(string)+"/"+f["rule"].(string)] = true
	}
	for _, want := range []string{itemOverflow + "/h5/LAYOUT-OVERFLOW", itemHTTP500 + "/h5/CHANNEL-HTTP-ERROR", itemFee + "/pc/GUIDE-CATALOGUE-MISMATCH"} {
		if !rules[want] {
			t.Errorf("sweep did not report %s; got %v", want, rules)
		}
	}
	first := storedFindings(t, "--status", "found")
	if _, err := run(t, args...); err != nil {
		t.Fatal(err)
	}
	second := storedFindings(t, "--status", "found")
	if len(first) == 0 || len(second) != len(first) {
		t.Fatalf("open findings: %d after one sweep, %d after two", len(first), len(second))
	}
	for _, f := range second {
		if f.Occurrences != 2 {
			t.Errorf("finding %d %s %s: occurrences %d, want 2", f.ID, f.ItemCode, f.Rule, f.Occurrences)
		}
	}
}

// TestVerifyALayoutFinding walks an automated LAYOUT- finding through the loop: fed back and
// handled, it goes back to fed_back while the defect is there, and is verified by tiyan once the
// simulator no longer shows it.
func TestVerifyALayoutFinding(t *testing.T) {
	repoRoot(t)
	sim, base := seededSimulator(t)
	site := []string{"--base-url", base, "--catalogue", base + "/catalogue/ssqd.json"}
	if out, err := run(t, append([]string{"sweep", "--items", itemOverflow, "--channels", "h5", "--out", t.TempDir()}, site...)...); err != nil {
		t.Fatalf("sweep: %v\n%s", err, out)
	}
	var id, unit string
	for _, f := range storedFindings(t) {
		if f.Rule == "LAYOUT-OVERFLOW" {
			id, unit = strconv.FormatInt(f.ID, 10), f.Unit
		}
	}
	if id == "" {
		t.Fatal("the sweep filed no LAYOUT-OVERFLOW finding")
	}
	step := func(args ...string) {
		t.Helper()
		if out, err := run(t, args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	step("findings", "feedback", id, "--unit", unit, "--days", "5")
	step("findings", "handle", id, "--note", "已调整横幅宽度")
	step(append([]string{"findings", "verify", id}, site...)...)
	f := showFinding(t, id)
	if f.Status != "fed_back" {
		t.Fatalf("verified with the defect still on: status %s, want fed_back", f.Status)
	}
	if err := sim.Switchboard().Set(itemOverflow, "h5", "overflow", false); err != nil {
		t.Fatal(err)
	}
	step("findings", "handle", id, "--note", "横幅已改为自适应宽度")
	step(append([]string{"findings", "verify", id}, site...)...)
	f = showFinding(t, id)
	last := f.Events[len(f.Events)-1]
	if f.Status != "verified" || last.Actor != "tiyan" {
		t.Errorf("after the fix: status %s, last event %+v; want verified by tiyan", f.Status, last)
	}
}

func showFinding(t *testing.T, id string) listed {
	t.Helper()
	out, err := run(t, "findings", "show", id, "--format", "json")
	if err != nil {
		t.Fatalf("show: %v\n%s", err, out)
	}
	var f listed
	if err := json.Unmarshal([]byte(out), &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRulesListsTheCatalogue(t *testing.T) {
	out, err := run(t, "rules")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CHANNEL-UNREACHABLE", "GUIDE-MATERIAL-MISMATCH", "LAYOUT-TAP-TARGET", "A11Y-*", "GB/T 39046-2020"} {
		if !strings.Contains(out, want) {
			t.Errorf("tiyan rules lacks %s", want)
		}
	}
	if _, err := run(t, "sweep", "--channels", "pc,app"); err == nil || exitCode(err) != 2 {
		t.Errorf("sweep --channels pc,app: %v, want exit 2", err)
	}
}

// TestSweepHoldsTheLock: once the store has a job queue, a sweep run by hand takes the
// one-sweep-at-a-time lock: while another sweep holds it, it is refused with a message naming
// that run and what to do, and files nothing; once the lock is free it runs, and lets the lock
// go when it is done.
func TestSweepHoldsTheLock(t *testing.T) {
	repoRoot(t)
	_, base := seededSimulator(t)
	ctx := context.Background()
	url := os.Getenv("TIYAN_DATABASE_URL")
	other, err := jobs.HoldSweep(ctx, url, "20260930-010000-abcdef")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"sweep", "--base-url", base, "--items", itemOverflow, "--channels", "h5", "--out", t.TempDir()}
	out, err := run(t, args...)
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("sweep while another holds the lock: %v\n%s", err, out)
	}
	for _, want := range []string{"20260930-010000-abcdef", "tiyan runs show", "tiyan sweep --enqueue"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal lacks %q: %v", want, err)
		}
	}
	if out, err := run(t, "runs", "list", "--kind", "sweep", "--format", "json"); err != nil || strings.TrimSpace(out) != "null" && strings.TrimSpace(out) != "[]" {
		t.Errorf("the refused sweep left a run: %v\n%s", err, out)
	}
	if err := other.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if out, err := run(t, args...); err != nil {
		t.Fatalf("sweep once the lock is free: %v\n%s", err, out)
	}
	if _, err := jobs.EnqueueSweep(ctx, url, jobs.SweepArgs{Target: jobs.Target{Site: "wanshitong"}}); err != nil {
		t.Errorf("enqueue after the hand-run sweep ended: %v; the lock was not let go", err)
	}
}

package main

import (
	"bufio"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tiyan/internal/portalsim"
	"tiyan/internal/runner"
)

// simulator starts a clean simulated portal and sets the SSO test account in the environment,
// as an officer would before a replay.
func simulator(t *testing.T) (*portalsim.Server, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: needs Chromium")
	}
	s, err := portalsim.New(portalsim.Config{})
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

// TestRunFilesABrokenSubmission runs the sandbox application against a portal that refuses to
// submit: the failed run is filed as CHANNEL-SUBMIT-BROKEN, once however often it fails.
func TestRunFilesABrokenSubmission(t *testing.T) {
	repoRoot(t)
	s, base := simulator(t)
	const item = "11341500MB1234567X4000117001"
	if err := s.Switchboard().Set(item, "pc", "submit-broken", true); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := run(t, "run", "scenarios/wanshitong/getihu-sheli-shenban.yaml", "--channel", "pc", "--base-url", base); exitCode(err) != 1 {
			t.Fatalf("run against a broken submission: %v", err)
		}
	}
	out, err := run(t, "findings", "list", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var fs []struct {
		Rule        string `json:"rule"`
		ItemCode    string `json:"item_code"`
		Occurrences int    `json:"occurrences"`
	}
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(fs) != 1 || fs[0].Rule != "CHANNEL-SUBMIT-BROKEN" || fs[0].ItemCode != item || fs[0].Occurrences != 2 {
		t.Errorf("findings after two failed runs: %+v", fs)
	}
}

// TestReplaySandboxApplication replays the full application from the repository root with a
// relative scenario path, as an officer types it, and reads the step report.
func TestReplaySandboxApplication(t *testing.T) {
	repoRoot(t)
	_, base := simulator(t)
	out := t.TempDir()
	stdout, err := run(t, "replay", "scenarios/wanshitong/getihu-sheli-shenban.yaml", "--channel", "h5", "--base-url", base, "--out", out)
	if err != nil {
		t.Fatalf("replay: %v\n%.2000s", err, stdout)
	}
	report, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	steps := strings.Count(stdout, "  ✓ 第")
	if steps < 10 || strings.Count(string(report), "<img") != steps || !strings.Contains(stdout, "结果：通过") {
		t.Errorf("%d steps printed, %d screenshots in the report:\n%s", steps, strings.Count(string(report), "<img"), stdout)
	}
}

func TestReplayNamesTheFailingStep(t *testing.T) {
	repoRoot(t)
	s, base := simulator(t)
	if err := s.Switchboard().Set("11341500MB1234567X4000117001", "pc", "entrance-404", true); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	stdout, err := run(t, "replay", "scenarios/wanshitong/getihu-guide.yaml", "--base-url", base, "--out", out)
	if err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), "步未通过") || !strings.Contains(stdout, "  ✗ 第") {
		t.Fatalf("replay with a dead entrance: %v\n%s", err, stdout)
	}
	report, _ := os.ReadFile(filepath.Join(out, "report.html"))
	if !strings.Contains(string(report), `id="failed"`) {
		t.Error("the report does not mark the failing step")
	}
}

func TestRunAllScenariosJSON(t *testing.T) {
	repoRoot(t)
	_, base := simulator(t)
	stdout, err := run(t, "run", "scenarios/wanshitong/", "--channel", "all", "--format", "json", "--base-url", base)
	if err != nil {
		t.Fatalf("run: %v\n%.2000s", err, stdout)
	}
	var runs int
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var res runner.Result
		if err := json.Unmarshal(sc.Bytes(), &res); err != nil {
			t.Fatalf("not one JSON object per line: %v", err)
		}
		if !res.Passed || len(res.Steps) == 0 {
			t.Errorf("%s on %s: passed %v, %s", res.Scenario, res.Channel, res.Passed, res.Error)
		}
		runs++
	}
	if runs < 12 {
		t.Errorf("%d runs, want every scenario on pc and h5 (at least 12)", runs)
	}
}

func TestRunRefusesBadFlags(t *testing.T) {
	repoRoot(t)
	if _, err := run(t, "run", "scenarios/wanshitong/", "--format", "xml"); exitCode(err) != 2 {
		t.Errorf("--format xml: %v", err)
	}
	if _, err := run(t, "replay", "scenarios/wanshitong/getihu-guide.yaml", "--channel", "tv"); exitCode(err) != 2 {
		t.Errorf("--channel tv: %v", err)
	}
}

// TestRunFindsTheItemIDInTheCatalogue runs a scenario whose item gives only its code: the id the
// guide's address needs comes from the portal's item list.
func TestRunFindsTheItemIDInTheCatalogue(t *testing.T) {
	repoRoot(t)
	_, base := simulator(t)
	data, err := os.ReadFile("scenarios/wanshitong/getihu-guide.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), " id: 8a8a8b1e60fe3ad7d99c759e5c0b1369,", "", 1)
	if text == string(data) {
		t.Fatal("the scenario no longer names the item id this test removes")
	}
	path := filepath.Join(t.TempDir(), "getihu-guide.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := run(t, "run", path, "--channel", "pc", "--base-url", base, "--no-store"); err != nil {
		t.Fatalf("run without the item id: %v\n%s", err, out)
	}
	text = strings.Replace(text, "11341500MB1234567X4000117001", "11341500MB1234567X4000117999", 1)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := run(t, "run", path, "--channel", "pc", "--base-url", base, "--no-store"); exitCode(err) != 2 || !strings.Contains(err.Error(), "11341500MB1234567X4000117999") {
		t.Errorf("an item the portal does not list: %v\n%s", err, out)
	}
}

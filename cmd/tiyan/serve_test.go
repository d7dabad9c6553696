package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/jobs"
	"tiyan/internal/loop"
	"tiyan/internal/store"
)

// TestServeOnSQLite starts tiyan serve on the embedded database, reads its web UI and, on their
// own address, its metrics (the web address answers 404 for them), and stops it as Ctrl-C
// would.
func TestServeOnSQLite(t *testing.T) {
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	cfg := writeConfigFile(t, "tiyan.yaml", "schedules: {sweep: off, overdue_scan: \"0 9 * * 1-5\"}\nscenarios: no-such-dir\n")
	cmd := newRootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs([]string{"serve", "--config", cfg, "--addr", addr, "--metrics-addr", metricsAddr, "--database", "sqlite:" + filepath.Join(t.TempDir(), "tiyan.db")})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()

	metrics := waitGet(t, "http://"+metricsAddr+"/metrics", done)
	if !strings.Contains(metrics, "tiyan_jobs") || !strings.Contains(metrics, "tiyan_browser_restarts_total") {
		t.Errorf("metrics:\n%.2000s", metrics)
	}
	if page := waitGet(t, "http://"+addr+"/findings", done); !strings.Contains(page, "<html") {
		t.Errorf("findings page: %.500s", page)
	}
	// The web address, which people reach, does not serve the metrics.
	if resp, err := http.Get("http://" + addr + "/metrics"); err != nil {
		t.Error(err)
	} else if resp.Body.Close(); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /metrics on the web address: %s, want 404", resp.Status)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(45 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(out.String(), "tiyan serve") || !strings.Contains(out.String(), "超期提醒 0 9 * * 1-5") {
		t.Errorf("output:\n%s", out.String())
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitGet gets url once the server answers, failing when the command ended first.
func waitGet(t *testing.T, url string, done <-chan error) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v", err)
		default:
		}
		resp, err := http.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return string(body)
			}
			t.Fatalf("GET %s: %s\n%.500s", url, resp.Status, body)
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: %v", url, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestScenarioRunJob works a scenario_run job, as a schedule enqueues it, with serve's scenario
// runner: the sandbox application against a portal that refuses to submit on PC is filed under
// the job's run record.
func TestScenarioRunJob(t *testing.T) {
	repoRoot(t)
	s, base := simulator(t)
	const item = "11341500MB1234567X4000117001"
	if err := s.Switchboard().Set(item, "pc", "submit-broken", true); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	url := os.Getenv("TIYAN_DATABASE_URL")
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	lp, err := loop.New(loop.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	j, err := jobs.Open(ctx, jobs.Config{DatabaseURL: url, Work: true, Loop: lp,
		Scenarios: scenarioRunner{sitesDir: "scenarios/sites", baseURL: base, lp: lp, stderr: io.Discard}})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if err := j.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer j.Stop(ctx)
	if err := j.Enqueue(ctx, jobs.ScenarioArgs{ID: "getihu-sheli-shenban", File: "scenarios/wanshitong/getihu-sheli-shenban.yaml"}); err != nil {
		t.Fatal(err)
	}
	run := waitScenarioRun(t, st)
	if run.Total != 2 || run.Done != 2 || run.Findings != 1 {
		t.Errorf("run = %+v; want 2 channel runs, 1 finding (PC's broken submission)", run)
	}
	fs, err := st.RunFindings(ctx, run.ID)
	if err != nil || len(fs) != 1 || fs[0].Rule != "CHANNEL-SUBMIT-BROKEN" || fs[0].Channel != finding.PC {
		t.Errorf("run findings: %+v, %v", fs, err)
	}
}

func waitScenarioRun(t *testing.T, st finding.Store) finding.Run {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		runs, err := st.Runs(context.Background(), finding.RunFilter{Kind: finding.RunScenario, Status: finding.RunDone})
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) > 0 {
			return runs[0]
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("no scenario run finished within 3 minutes")
	return finding.Run{}
}

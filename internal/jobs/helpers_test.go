package jobs

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"tiyan/internal/browser"
	"tiyan/internal/browser/browsertest"
	"tiyan/internal/finding"
	"tiyan/internal/loop"
	"tiyan/internal/portalsim"
	"tiyan/internal/store"
	"tiyan/internal/store/postgres/pgtest"
	"tiyan/internal/sweep"
	"tiyan/probes"
	"tiyan/scenarios"
)

// chromium only tells whether Chromium is there (and skips with -short); each prober starts
// its own, as each worker process would.
var chromium browsertest.Shared

func TestMain(m *testing.M) { os.Exit(chromium.Run(m, browser.Config{MaxTabs: 1})) }

// simAccount is the simulator's test account, for reading online forms.
var simAccount = map[string]string{"TIYAN_SSO_ACCOUNT": portalsim.DefaultAccount.Phone,
	"TIYAN_SSO_PASSWORD": portalsim.DefaultAccount.Password, "TIYAN_SSO_SMS": portalsim.DefaultAccount.SMSCode}

func simEnv(k string) (string, bool) { v, ok := simAccount[k]; return v, ok }

// testThresholds match the simulator's delays below: slow pages take 4 s, hanging ones 30 s.
var testThresholds = probes.Thresholds{Slow: 3 * time.Second, Unreachable: 8 * time.Second, AxeBudget: 20 * time.Second}

// newSim starts the simulator with its seeded defects.
func newSim(t testing.TB) *httptest.Server {
	t.Helper()
	s, err := portalsim.New(portalsim.Config{Defects: "seeded", SlowDelay: 4 * time.Second, HangLimit: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}

// simProber is Config.Prober for the simulator: the real portal's profile pointed at it, with
// politeness loosened so that tests run in seconds.
func simProber(t testing.TB, concurrency int) func(context.Context, Target) (*Prober, error) {
	return func(ctx context.Context, tg Target) (*Prober, error) {
		site, err := scenarios.LoadSite("../../scenarios/sites/"+tg.Site+".yaml", scenarios.SiteOptions{BaseURL: tg.BaseURL})
		if err != nil {
			return nil, err
		}
		site.Politeness.MaxInFlight, site.Politeness.Pause = 4, time.Millisecond
		client := &http.Client{Timeout: 30 * time.Second}
		var cat *probes.Catalogue
		if tg.Catalogue != "" {
			if cat, err = probes.LoadCatalogue(ctx, client, tg.Catalogue); err != nil {
				return nil, err
			}
		}
		sw, err := sweep.New(sweep.Config{Site: site, Catalogue: cat, Thresholds: testThresholds, Channels: channels(tg.Channels),
			Concurrency: concurrency, HTTP: client, Env: simEnv, Logger: testLogger(t)})
		if err != nil {
			return nil, err
		}
		return &Prober{Site: site, Catalogue: cat, HTTP: client, Sweeper: sw}, nil
	}
}

// simTarget is the simulator as a sweep target, compared with its 实施清单.
func simTarget(ts *httptest.Server) Target {
	return Target{Site: "wanshitong", BaseURL: ts.URL, Catalogue: ts.URL + "/catalogue/ssqd.json"}
}

// postgresURL is a database URL on a fresh schema (skipped without PostgreSQL, failed in CI).
func postgresURL(t testing.TB) string { return pgtest.URL(t) }

// sqliteURL is a fresh embedded database.
func sqliteURL(t testing.TB) string { return "sqlite:" + filepath.Join(t.TempDir(), "tiyan.db") }

// openLoop opens the store at url and a loop on it, closed when t ends.
func openLoop(t testing.TB, url string) *loop.Loop {
	t.Helper()
	s, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	l, err := loop.New(loop.Config{Store: s})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// openJobs opens a job queue with test timings, closed when t ends.
func openJobs(t testing.TB, cfg Config) *Jobs {
	t.Helper()
	if cfg.FinishPoll == 0 {
		cfg.FinishPoll = 300 * time.Millisecond
	}
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	j, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

// start starts j, stopped when t ends.
func start(t testing.TB, j *Jobs) {
	t.Helper()
	if err := j.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = j.Stop(ctx)
	})
}

// waitRun waits until the run's status is not running, and returns it.
func waitRun(t testing.TB, st finding.Store, id string, within time.Duration) finding.Run {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		run, err := st.Run(context.Background(), id)
		if err == nil && run.Status != finding.RunRunning {
			return run
		}
		if time.Now().After(deadline) {
			t.Fatalf("run %s not finished after %s: %+v (err %v)", id, within, run, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// testLogger logs warnings and errors into the test's output, and to stderr once the test is
// over (a goroutine still winding down must not log into a finished test).
func testLogger(t testing.TB) *slog.Logger {
	w := &testWriter{t: t}
	t.Cleanup(func() { w.over.Store(true) })
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: testLevel}))
}

type testWriter struct {
	t    testing.TB
	over atomic.Bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	if w.over.Load() {
		return os.Stderr.Write(p)
	}
	w.t.Log(string(p))
	return len(p), nil
}

// testLevel is the level tests log at; TIYAN_TEST_DEBUG=1 shows River's own debugging.
var testLevel = func() slog.Level {
	if os.Getenv("TIYAN_TEST_DEBUG") != "" {
		return slog.LevelDebug
	}
	return slog.LevelWarn
}()

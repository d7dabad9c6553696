package loop

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/store/postgres/pgtest"
	"tiyan/internal/store/sqlite"
)

// clock is the injected Now of the tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// env is a loop on a real store with a clock set to Wednesday 2026-09-30 10:00 (Asia/Shanghai).
type env struct {
	*Loop
	s     finding.Store
	clock *clock
	logs  *bytes.Buffer
}

var wednesday = time.Date(2026, 9, 30, 10, 0, 0, 0, finding.Zone)

// forEachStore runs fn on SQLite and on PostgreSQL.
func forEachStore(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "tiyan.db"), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		fn(t, newEnv(t, s))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, newEnv(t, pgtest.Open(t)))
	})
}

func newEnv(t testing.TB, s finding.Store) *env {
	t.Helper()
	e := &env{s: s, clock: &clock{t: wednesday}, logs: &bytes.Buffer{}}
	l, err := New(Config{Store: s, Now: e.clock.Now, Logger: slog.New(slog.NewTextHandler(e.logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	e.Loop = l
	return e
}

func (e *env) unit(t testing.TB, name string) finding.Unit {
	t.Helper()
	u, err := e.s.CreateUnit(t.Context(), finding.Unit{Name: name, Jurisdiction: "341500"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// report files a manual problem of severity sev.
func (e *env) report(t testing.TB, sev finding.Severity) finding.Finding {
	t.Helper()
	f, err := e.Report(t.Context(), Report{Title: "办事指南未写明收费标准", Category: finding.CatGuide, Severity: sev, Actor: "王芳", Channel: finding.Offline})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := finding.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func ok[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func actions(f finding.Finding) []finding.Action {
	var out []finding.Action
	for _, e := range f.Events {
		out = append(out, e.Action)
	}
	return out
}

func TestNewDefaults(t *testing.T) {
	s, err := sqlite.Open(context.Background(), ":memory:", sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l, err := New(Config{Store: s, Deadlines: map[finding.Severity]int{finding.Major: 3}})
	if err != nil {
		t.Fatal(err)
	}
	for sev, want := range map[finding.Severity]int{finding.Blocker: 1, finding.Major: 3, finding.Minor: 10, finding.Advice: 15} {
		if got := l.DefaultDays(sev); got != want {
			t.Errorf("days for %s = %d, want %d", sev, got, want)
		}
	}
	if _, err := New(Config{Store: s, Deadlines: map[finding.Severity]int{finding.Major: 0}}); err == nil {
		t.Error("a deadline of 0 working days was accepted")
	}
	if _, err := New(Config{}); err == nil {
		t.Error("a loop without a store was accepted")
	}
}

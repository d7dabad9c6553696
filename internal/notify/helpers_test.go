package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"

	"tiyan/internal/finding"
	"tiyan/internal/notify"
	"tiyan/internal/store/postgres"
	"tiyan/internal/store/postgres/pgtest"
	"tiyan/internal/store/sqlite"
)

// t0 is when the tests' clock starts: 2026-09-30 01:00 in Asia/Shanghai, a nightly sweep.
var t0 = time.Date(2026, 9, 30, 1, 0, 0, 0, finding.Zone)

const base = "https://tiyan.example.gov.cn"

// clock is the injected clock: tests move it instead of sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// store is what the tests need of a store: findings, runs and the outbox.
type store interface {
	finding.Store
	finding.OutboxStore
}

func openSQLite(t testing.TB) store {
	t.Helper()
	return openSQLiteAt(t, filepath.Join(t.TempDir(), "tiyan.db"))
}

func openSQLiteAt(t testing.TB, path string) store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openPostgresAt(t testing.TB, url string) store {
	t.Helper()
	s, err := postgres.Open(context.Background(), url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// storePairs open two stores on one database, as two processes would (or one store twice, as
// two goroutines of one process share it). PostgreSQL runs when TIYAN_TEST_DATABASE_URL names
// one; pgtest skips otherwise.
var storePairs = []struct {
	name string
	open func(testing.TB) (store, store)
}{
	{"sqlite/one process", func(t testing.TB) (store, store) { s := openSQLite(t); return s, s }},
	{"sqlite/two processes", func(t testing.TB) (store, store) {
		path := filepath.Join(t.TempDir(), "tiyan.db")
		return openSQLiteAt(t, path), openSQLiteAt(t, path)
	}},
	{"postgres/two processes", func(t testing.TB) (store, store) {
		url := pgtest.URL(t)
		return openPostgresAt(t, url), openPostgresAt(t, url)
	}},
}

// post is one chat.postMessage request Slack (the test server) accepted.
type post struct {
	Channel, Text, Blocks, Metadata string
}

// Key returns the outbox key the message carries in its metadata.
func (p post) Key() string {
	var md struct {
		EventPayload struct {
			Key string `json:"key"`
		} `json:"event_payload"`
	}
	_ = json.Unmarshal([]byte(p.Metadata), &md)
	return md.EventPayload.Key
}

// slackServer is slack-go's slacktest server behind a front that can play Slack being down, and
// that records what slacktest accepted.
type slackServer struct {
	URL string
	// fail, when it returns a status, answers a post with it instead of passing it on: 500 for
	// an outage, 429 for a rate limit, 200 for an API error (channel_not_found).
	fail func(form url.Values) int

	mu       sync.Mutex
	attempts int
	accepted []post
}

func newSlack(t testing.TB) *slackServer {
	t.Helper()
	ts := slacktest.NewTestServer()
	ts.Start()
	t.Cleanup(ts.Stop)
	target, err := url.Parse(ts.GetAPIURL())
	if err != nil {
		t.Fatal(err)
	}
	s := &slackServer{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/chat.postMessage" {
			proxy.ServeHTTP(w, r)
			return
		}
		s.serveMessage(w, r, proxy)
	}))
	t.Cleanup(front.Close)
	s.URL = front.URL + "/"
	return s
}

func (s *slackServer) serveMessage(w http.ResponseWriter, r *http.Request, proxy http.Handler) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	s.mu.Lock()
	s.attempts++
	fail := s.fail
	s.mu.Unlock()
	if fail != nil {
		switch code := fail(form); code {
		case http.StatusTooManyRequests:
			w.Header().Set("Retry-After", "90")
			w.WriteHeader(code)
			return
		case http.StatusOK:
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"ok":false,"error":"channel_not_found"}`)
			return
		case 0:
		default:
			http.Error(w, "slack is down", code)
			return
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	proxy.ServeHTTP(rec, r)
	if rec.Code == http.StatusOK && bytes.Contains(rec.Body.Bytes(), []byte(`"ok":true`)) {
		s.mu.Lock()
		s.accepted = append(s.accepted, post{Channel: form.Get("channel"), Text: form.Get("text"),
			Blocks: form.Get("blocks"), Metadata: form.Get("metadata")})
		s.mu.Unlock()
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

func (s *slackServer) setFail(fail func(url.Values) int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = fail
}

func (s *slackServer) posts() []post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]post(nil), s.accepted...)
}

func (s *slackServer) tries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// newNotifier makes a Notifier on st talking to srv, on clk, with no jitter.
func newNotifier(t testing.TB, st finding.OutboxStore, srv *slackServer, clk *clock) *notify.Notifier {
	t.Helper()
	n, err := notify.New(notify.Config{Outbox: st, Token: "xoxb-test", APIURL: srv.URL, DefaultChannel: "#tiyan",
		OpsChannel: "#tiyan-ops", BaseURL: base, Now: clk.Now, Rand: func() float64 { return 0 },
		HTTPClient: &http.Client{Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

package portalsim

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"tiyan/internal/portalsim/catalog"
)

// newTestServer starts a simulator on a local port for one test.
func newTestServer(t testing.TB, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	if cfg.SlowDelay == 0 {
		cfg.SlowDelay = 300 * time.Millisecond
	}
	if cfg.HangLimit == 0 {
		cfg.HangLimit = 2 * time.Second
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

// client returns an HTTP client with a cookie jar, as a browser would have.
func client(t testing.TB) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second}
}

func get(t testing.TB, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func postForm(t testing.TB, c *http.Client, u string, v url.Values) (int, string, string) {
	t.Helper()
	resp, err := c.PostForm(u, v)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Request.URL.String()
}

func guideURL(base string, it catalog.Item, ch string) string {
	return base + channelPrefix(ch) + "/bog-bsdt/static/workProcess/components/applicationMaterial.html?ssqdId=" + it.ID + "&ssqdCode=" + it.Code
}

// pick returns the first built-in item that satisfies ok.
func pick(t testing.TB, s *Server, ok func(catalog.Item) bool) catalog.Item {
	t.Helper()
	for _, it := range s.Catalog().Items() {
		if ok(it) {
			return it
		}
	}
	t.Fatal("no item fits")
	return catalog.Item{}
}

func online(it catalog.Item) bool { return it.Online && len(it.Fields) > 0 }

func mustContain(t testing.TB, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("page lacks %q", p)
		}
	}
}

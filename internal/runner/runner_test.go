package runner_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"tiyan/internal/browser"
	"tiyan/internal/browser/browsertest"
	"tiyan/internal/portalsim"
	"tiyan/internal/runner"
	"tiyan/scenarios"
)

var chromium browsertest.Shared

func TestMain(m *testing.M) { os.Exit(chromium.Run(m, browser.Config{MaxTabs: 8})) }

// root is the repository's root, where scenarios/ is.
func root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// env is the simulator's test account, as the SSO variables of the site profile.
func env(name string) (string, bool) {
	a := portalsim.DefaultAccount
	v, ok := map[string]string{"TIYAN_SSO_ACCOUNT": a.Phone, "TIYAN_SSO_PASSWORD": a.Password, "TIYAN_SSO_SMS": a.SMSCode}[name]
	return v, ok
}

// testPages are pages of the test server besides the simulator's, under /tiyan-test/.
var testPages = map[string]string{
	// a link to a host the site does not allow, and an image from it
	"external.html":    `<h1>外链测试</h1><a id="out" href="http://blocked.example.com/">去别的网站</a>`,
	"third-party.html": `<h1>第三方图片</h1><img src="http://blocked.example.com/banner.png" alt="">`,
	// a button that changes the page in place, and a form posted to a slow page that has a
	// "下一步" of its own: a runner that did not wait for the post would click the old one again
	"in-place.html": `<h1 id="state">未确认</h1><button onclick="document.getElementById('state').textContent='已确认'">确认</button>`,
	"form.html":     `<h1>第一页</h1><form method="post" action="/tiyan-test/slow"><button>下一步</button></form>`,
	"second.html":   `<h1>第二页</h1><a href="/tiyan-test/third.html">下一步</a>`,
	"third.html":    `<h1>第三页</h1>`,
	// a plain field for a secret
	"secret.html": `<label>账号 <input id="account"></label>`,
}

// simulator starts a --defects none simulator and loads the real site profile on its URL.
func simulator(t testing.TB) (*portalsim.Server, *scenarios.Site) {
	return serve(t, nil)
}

// serve is simulator, calling seen (when not nil) with every page load the server answers.
func serve(t testing.TB, seen func(*http.Request)) (*portalsim.Server, *scenarios.Site) {
	t.Helper()
	sim, err := portalsim.New(portalsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/tiyan-test/{page}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.PathValue("page") == "slow" { // the form's answer: a moment, then the second page
			time.Sleep(300 * time.Millisecond)
			http.Redirect(w, r, "/tiyan-test/second.html", http.StatusSeeOther)
			return
		}
		body, ok := testPages[r.PathValue("page")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "<!doctype html><html><body>"+body+"</body></html>")
	})
	mux.Handle("/", sim)
	var h http.Handler = mux
	if seen != nil {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Sec-Fetch-Dest") == "document" {
				seen(r)
			}
			mux.ServeHTTP(w, r)
		})
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	site, err := scenarios.LoadSite(filepath.Join(root(), "scenarios", "sites", "wanshitong.yaml"), scenarios.SiteOptions{BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	return sim, site
}

func newRunner(t testing.TB, site *scenarios.Site, b *browser.Browser) *runner.Runner {
	t.Helper()
	r, err := runner.New(runner.Config{Site: site, Browser: b, Env: env, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func loadAll(t testing.TB) []*scenarios.Scenario {
	t.Helper()
	scs, err := scenarios.LoadScenarios(filepath.Join(root(), "scenarios", "wanshitong"))
	if err != nil {
		t.Fatal(err)
	}
	return scs
}

func byID(t testing.TB, id string) *scenarios.Scenario {
	for _, sc := range loadAll(t) {
		if sc.ID == id {
			return sc
		}
	}
	t.Fatalf("no scenario %s", id)
	return nil
}

func parse(t testing.TB, yaml string) *scenarios.Scenario {
	t.Helper()
	dir := filepath.Join(root(), "scenarios", "wanshitong")
	sc, err := scenarios.ParseScenario(filepath.Join(dir, "inline-test.yaml"), []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func explain(res *runner.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s/%s passed=%v error=%s\n", res.Scenario, res.Channel, res.Passed, res.Error)
	for _, s := range res.Steps {
		fmt.Fprintf(&b, "  %2d line %d %s passed=%v %s url=%s\n", s.Index, s.Line, s.Description, s.Passed, s.Error, s.URL)
		if !s.Passed {
			fmt.Fprintf(&b, "     console=%v failed=%v\n     dom=%.600s\n", s.ConsoleErrors, s.FailedRequests, s.DOMExcerpt)
		}
	}
	return b.String()
}

func TestScenariosPassOnSimulator(t *testing.T) {
	b := chromium.Browser(t)
	_, site := simulator(t)
	r := newRunner(t, site, b)
	for _, sc := range loadAll(t) {
		for _, ch := range sc.Channels {
			t.Run(sc.ID+"/"+string(ch), func(t *testing.T) {
				t.Parallel()
				res, err := r.Run(context.Background(), sc, ch)
				if err != nil {
					t.Fatal(err)
				}
				if !res.Passed || len(res.Steps) != len(sc.Steps) {
					t.Fatal(explain(res))
				}
				for _, s := range res.Steps {
					if len(s.Screenshot) == 0 {
						t.Errorf("step %d has no screenshot", s.Index)
					}
					for _, f := range s.FailedRequests { // the allowlist lets the simulator's pages load whole
						if strings.Contains(f, "blocked") || strings.Contains(f, "not allowlisted") {
							t.Errorf("step %d: %s", s.Index, f)
						}
					}
					if s.Description == "" {
						t.Errorf("step %d has no description", s.Index)
					}
				}
			})
		}
	}
}

func newLogger(w *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

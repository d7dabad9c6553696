package browser_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"tiyan/internal/browser"
)

// stateful serves a page that notes in window.found the state it finds on load, then leaves a
// cookie and local and session storage; the server counts the requests for its stylesheet
// (which a cached load would not make).
func stateful(t *testing.T) (*httptest.Server, *int) {
	t.Helper()
	styles := 0
	mux := http.NewServeMux()
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><link rel="stylesheet" href="/style.css"><p>办事指南</p><script>
window.found = {cookie: document.cookie, local: localStorage.length, session: sessionStorage.length,
	history: history.length, ua: navigator.userAgent, id: window.name};
document.cookie = "script=1; path=/; max-age=3600";
localStorage.setItem("seen", "1");
sessionStorage.setItem("step", "2");
</script>`))
	})
	mux.HandleFunc("/style.css", func(w http.ResponseWriter, r *http.Request) {
		styles++
		w.Header().Set("Content-Type", "text/css")
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Write([]byte(`p { color: #333 }`))
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts, &styles
}

// visible is the state a page found on load.
type visible struct {
	Cookie  string `json:"cookie"`
	Local   int    `json:"local"`
	Session int    `json:"session"`
	History int    `json:"history"`
	UA      string `json:"ua"`
	ID      string `json:"id"` // set by the test on the tab's window, to tell tabs apart
}

const readVisible = `window.found`

func TestReuseSessionWipesWhatAVisitLeft(t *testing.T) {
	ts, styles := stateful(t)
	b, err := browser.Start(t.Context(), browser.Config{MaxTabs: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	tab, done, err := b.ReuseSession(t.Context(), browser.PC)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := browser.Navigate(tab, ts.URL+"/page"); err != nil {
			t.Fatal(err)
		}
	}
	before, err := browser.EvalJSON[visible](tab, readVisible)
	if err != nil {
		t.Fatal(err)
	}
	if before.Cookie == "" || before.Local != 1 || before.Session != 1 || before.History < 2 {
		t.Fatalf("the second load found no state from the first: %+v", before)
	}
	// window.name survives navigations within a tab: it marks this tab.
	if err := browser.Exec(tab, `window.name = "first"`); err != nil {
		t.Fatal(err)
	}
	done(true)

	tab, done, err = b.ReuseSession(t.Context(), browser.H5)
	if err != nil {
		t.Fatal(err)
	}
	defer done(false)
	fetched := *styles
	if err := browser.Navigate(tab, ts.URL+"/page"); err != nil {
		t.Fatal(err)
	}
	after, err := browser.EvalJSON[visible](tab, readVisible)
	if err != nil {
		t.Fatal(err)
	}
	if after.Cookie != "" || after.Local != 0 || after.Session != 0 {
		t.Errorf("the reused tab's page found state of the last visit: cookie %q, %d local and %d session items",
			after.Cookie, after.Local, after.Session)
	}
	if after.ID != "first" {
		t.Errorf("the second session is not the first tab reused (window.name %q)", after.ID)
	}
	if after.History != 2 { // the blank page the tab waited on, and this one
		t.Errorf("history.length = %d after reuse, want 2", after.History)
	}
	if after.UA == before.UA {
		t.Errorf("the reused tab still emulates PC (user agent %q)", after.UA)
	}
	if *styles != fetched+1 {
		t.Errorf("the stylesheet was fetched %d times on the reused tab's load, want 1 (no HTTP cache)", *styles-fetched)
	}
}

// TestReuseSessionStartsClean checks what the page's server sees: no cookie on the first
// request of a reused tab.
func TestReuseSessionStartsClean(t *testing.T) {
	cookies := make(chan string, 4)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r) // the favicon
			return
		}
		cookies <- r.Header.Get("Cookie")
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "abc", Path: "/", MaxAge: 3600})
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<!doctype html><script>localStorage.setItem("k", "v")</script><p>x</p>`))
	}))
	defer ts.Close()
	b, err := browser.Start(t.Context(), browser.Config{MaxTabs: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for i := range 2 {
		tab, done, err := b.ReuseSession(t.Context(), browser.PC)
		if err != nil {
			t.Fatal(err)
		}
		if err := browser.Navigate(tab, ts.URL+"/"); err != nil {
			t.Fatal(err)
		}
		if c := <-cookies; c != "" {
			t.Errorf("visit %d: the server got cookies %q from a wiped tab", i+1, c)
		}
		n, err := browser.EvalJSON[int](tab, `localStorage.length`)
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 { // the page's own item only
			t.Errorf("visit %d: localStorage holds %d items, want 1", i+1, n)
		}
		done(true)
	}
}

// TestIdleTabGivesUpItsSlot: with one tab slot held by an idle reused tab, a new session does
// not wait for a slot that would never come free.
func TestIdleTabGivesUpItsSlot(t *testing.T) {
	b, err := browser.Start(t.Context(), browser.Config{MaxTabs: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_, done, err := b.ReuseSession(t.Context(), browser.PC)
	if err != nil {
		t.Fatal(err)
	}
	done(true)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	tab, closeTab, err := b.NewSession(ctx, browser.H5)
	if err != nil {
		t.Fatalf("a new session waited on the idle tab's slot: %v", err)
	}
	defer closeTab()
	if err := browser.Navigate(tab, "about:blank"); err != nil {
		t.Fatal(err)
	}
}

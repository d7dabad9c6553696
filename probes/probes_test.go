package probes

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"tiyan/internal/browser"
	"tiyan/internal/browser/browsertest"
)

var chromium browsertest.Shared

func TestMain(m *testing.M) { os.Exit(chromium.Run(m, browser.Config{})) }

// testdataServer serves testdata/ and, under /hang, a page that never answers.
func testdataServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir("testdata")))
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

// tab opens an isolated session on dev with a per-test deadline.
func tab(t *testing.T, dev browser.Device) context.Context {
	t.Helper()
	ctx := chromium.Session(t, dev)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestOpenRecordsFailuresAndExceptions(t *testing.T) {
	ts := testdataServer(t)
	load, err := Open(tab(t, browser.PC), ts.URL+"/broken.html", Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	if load.Err != nil || load.Status != 200 {
		t.Fatalf("load = status %d, err %v; want 200 and no error", load.Status, load.Err)
	}
	if len(load.Failed) != 1 || load.Failed[0].Status != 404 || load.Failed[0].Type != "Image" {
		t.Errorf("failed requests = %+v, want the one missing image with 404", load.Failed)
	}
	if len(load.Exceptions) != 1 {
		t.Errorf("exceptions = %q, want one", load.Exceptions)
	}
}

func TestOpenGivesUpOnAHangingPage(t *testing.T) {
	ts := testdataServer(t)
	load, err := Open(tab(t, browser.PC), ts.URL+"/hang", Thresholds{Unreachable: time.Second})
	if err != nil {
		t.Fatalf("a hanging page is the portal's problem, not an error of the prober: %v", err)
	}
	if load.Err == nil || load.Status != 0 {
		t.Fatalf("load = status %d, err %v; want no status and a timeout", load.Status, load.Err)
	}
}

// TestOpenIgnoresRefusedWrites: a page that posts on load in a read-only session has its post
// refused; neither the refused request nor the page's unhandled "Failed to fetch" counts against
// the portal.
func TestOpenIgnoresRefusedWrites(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><p>统计</p><script>fetch('/stat', {method: 'POST', body: 'x'}).then(r => r.text())</script>`))
	}))
	t.Cleanup(ts.Close)
	tab, cancel, err := chromium.Browser(t).NewSession(t.Context(), browser.PC)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	load, err := Open(tab, ts.URL+"/", Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if len(browser.Refusals(tab)) != 1 {
		t.Fatalf("refusals %v, want the page's POST", browser.Refusals(tab))
	}
	if len(load.Failed) > 0 || len(load.Exceptions) > 0 {
		t.Errorf("failed %+v, exceptions %q: a refused request is not the portal's failure", load.Failed, load.Exceptions)
	}
}

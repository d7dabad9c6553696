package browser_test

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"tiyan/internal/browser"
	"tiyan/internal/browser/browsertest"
)

var chromium browsertest.Shared

func TestMain(m *testing.M) {
	os.Exit(chromium.Run(m, browser.Config{}))
}

// serve serves testdata/ for one test.
func serve(t *testing.T) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(http.FileServer(http.Dir("testdata")))
	t.Cleanup(ts.Close)
	return ts
}

// metrics is what a page can see of the device it runs on.
type metrics struct {
	Width      int     `json:"width"`
	Height     int     `json:"height"`
	DPR        float64 `json:"dpr"`
	UA         string  `json:"ua"`
	Platform   string  `json:"platform"`
	Language   string  `json:"language"`
	TouchPts   int     `json:"touchPoints"`
	TouchEvent bool    `json:"touchEvent"`
	Coarse     bool    `json:"coarse"`
}

const readMetrics = `({
	width: window.innerWidth, height: window.innerHeight, dpr: window.devicePixelRatio,
	ua: navigator.userAgent, platform: navigator.platform, language: navigator.language,
	touchPoints: navigator.maxTouchPoints, touchEvent: 'ontouchstart' in window,
	coarse: matchMedia('(pointer: coarse)').matches,
})`

func openMetrics(t *testing.T, dev browser.Device) (context.Context, metrics) {
	t.Helper()
	ts := serve(t)
	tab := chromium.Session(t, dev)
	if err := browser.Navigate(tab, ts.URL+"/device.html"); err != nil {
		t.Fatal(err)
	}
	m, err := browser.EvalJSON[metrics](tab, readMetrics)
	if err != nil {
		t.Fatal(err)
	}
	return tab, m
}

func TestPCDevice(t *testing.T) {
	tab, m := openMetrics(t, browser.PC)
	if m.Width != 1366 || m.Height != 768 || m.DPR != 1 {
		t.Errorf("viewport %dx%d@%v, want 1366x768@1", m.Width, m.Height, m.DPR)
	}
	if !strings.Contains(m.UA, "Windows NT") || strings.Contains(m.UA, "wzt_mpaas") || strings.Contains(m.UA, "Headless") {
		t.Errorf("user agent %q, want desktop Windows Chrome", m.UA)
	}
	if m.Platform != "Win32" || m.TouchPts != 0 || m.TouchEvent || m.Coarse {
		t.Errorf("platform %q, touch points %d, ontouchstart %v, coarse %v: want a mouse-driven Win32",
			m.Platform, m.TouchPts, m.TouchEvent, m.Coarse)
	}
	if !strings.HasPrefix(m.Language, "zh") {
		t.Errorf("navigator.language %q, want zh-CN", m.Language)
	}
	checkScreenshot(t, tab, 1366, 768)
}

func TestH5Device(t *testing.T) {
	tab, m := openMetrics(t, browser.H5)
	if m.Width != 375 || m.Height != 667 || m.DPR != 2 {
		t.Errorf("viewport %dx%d@%v, want 375x667@2", m.Width, m.Height, m.DPR)
	}
	if !strings.Contains(m.UA, " wzt_mpaas/") || !strings.Contains(m.UA, "iPhone") {
		t.Errorf("user agent %q, want an iPhone WebView with the wzt_mpaas marker", m.UA)
	}
	if m.TouchPts < 1 || !m.TouchEvent || !m.Coarse {
		t.Errorf("touch points %d, ontouchstart %v, coarse pointer %v: want touch", m.TouchPts, m.TouchEvent, m.Coarse)
	}
	checkScreenshot(t, tab, 750, 1334)
}

func checkScreenshot(t *testing.T, tab context.Context, w, h int) {
	t.Helper()
	shot, err := browser.Screenshot(tab)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if got := img.Bounds().Size(); got.X != w || got.Y != h {
		t.Errorf("screenshot %dx%d, want %dx%d", got.X, got.Y, w, h)
	}
}

func TestDeviceByName(t *testing.T) {
	for _, name := range []string{"pc", "h5"} {
		if d, err := browser.DeviceByName(name); err != nil || d.Name != name {
			t.Errorf("DeviceByName(%q) = %q, %v", name, d.Name, err)
		}
	}
	_, err := browser.DeviceByName("ipad")
	if err == nil || !strings.Contains(err.Error(), "pc, h5") {
		t.Errorf("DeviceByName(ipad) error %v, want one listing pc, h5", err)
	}
}

func TestEvalJSON(t *testing.T) {
	tab := chromium.Session(t, browser.PC)
	n, err := browser.EvalJSON[int](tab, `new Promise(r => setTimeout(() => r(42), 10))`)
	if err != nil || n != 42 {
		t.Errorf("awaited promise = %d, %v; want 42", n, err)
	}
	if _, err := browser.EvalJSON[int](tab, `null`); err == nil {
		t.Error("null into an int: want an error")
	}
	if p, err := browser.EvalJSON[*int](tab, `null`); err != nil || p != nil {
		t.Errorf("null into *int = %v, %v; want nil, nil", p, err)
	}
	if _, err := browser.EvalJSON[int](tab, `Promise.reject(new Error("boom"))`); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("rejected promise error %v, want one mentioning boom", err)
	}
}

// TestSessionsIsolated checks that what one session stores is invisible to
// another: two officers' scenarios (or a signed-in and an anonymous run) must
// not leak sign-ins into each other.
func TestSessionsIsolated(t *testing.T) {
	ts := serve(t)
	a := chromium.Session(t, browser.PC)
	b := chromium.Session(t, browser.PC)
	for _, tab := range []context.Context{a, b} {
		if err := browser.Navigate(tab, ts.URL+"/storage.html"); err != nil {
			t.Fatal(err)
		}
	}
	const write = `document.cookie = "SESSION=officer-a; path=/"; localStorage.setItem("token", "a"); true`
	if _, err := browser.EvalJSON[bool](a, write); err != nil {
		t.Fatal(err)
	}
	const read = `document.cookie + "|" + (localStorage.getItem("token") || "")`
	if got, err := browser.EvalJSON[string](a, read); err != nil || got != "SESSION=officer-a|a" {
		t.Fatalf("session a reads %q, %v; want its own cookie and token", got, err)
	}
	if err := browser.Navigate(b, ts.URL+"/storage.html?again"); err != nil {
		t.Fatal(err)
	}
	if got, err := browser.EvalJSON[string](b, read); err != nil || got != "|" {
		t.Errorf("session b reads %q, %v; want nothing of session a", got, err)
	}
}

func TestMaxTabs(t *testing.T) {
	chromium.Browser(t) // skip without Chromium
	b, err := browser.Start(t.Context(), browser.Config{MaxTabs: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	runCtx, endRun := context.WithCancel(t.Context())
	defer endRun()
	_, cancel1, err := b.NewSession(runCtx, browser.PC)
	if err != nil {
		t.Fatal(err)
	}
	defer cancel1()
	browsertest.Session(t, b, browser.H5)

	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	if _, _, err := b.NewSession(ctx, browser.PC); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("third session with MaxTabs 2: %v, want to wait until the deadline", err)
	}

	third := openAsync(t, b)
	select {
	case err := <-third:
		t.Fatalf("third session opened (%v) while two were open", err)
	case <-time.After(200 * time.Millisecond):
	}
	endRun() // the end of its context frees the first session's tab
	waitOpen(t, third)
	fourth := openAsync(t, b)
	waitOpen(t, fourth) // the third's cancel freed its tab
}

// openAsync opens a session in the background, closes it at once and
// reports the error.
func openAsync(t *testing.T, b *browser.Browser) <-chan error {
	got := make(chan error, 1)
	go func() {
		_, cancel, err := b.NewSession(t.Context(), browser.PC)
		if err == nil {
			cancel()
		}
		got <- err
	}()
	return got
}

func waitOpen(t *testing.T, got <-chan error) {
	t.Helper()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("session still waiting for a tab 10s after one was freed")
	}
}

func TestMissingChromium(t *testing.T) {
	_, err := browser.Start(t.Context(), browser.Config{ExecPath: "/nonexistent/chromium"})
	if !errors.Is(err, browser.ErrChromiumNotFound) {
		t.Fatalf("Start with a missing executable: %v, want ErrChromiumNotFound", err)
	}
	for _, want := range []string{"/nonexistent/chromium", "apt-get install chromium", "TIYAN_CHROMIUM"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestBadFlag(t *testing.T) {
	_, err := browser.Start(t.Context(), browser.Config{ExtraFlags: []string{"--"}})
	if err == nil || !strings.Contains(err.Error(), "bad Chromium switch") {
		t.Errorf("Start with switch --: %v, want a bad switch error", err)
	}
}

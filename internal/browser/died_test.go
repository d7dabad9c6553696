package browser_test

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"tiyan/internal/browser"
	"tiyan/internal/browser/browsertest"
)

// TestBrowserDied kills Chromium under a running session, as the OOM killer
// would at night, and checks that the next action fails fast with
// ErrBrowserDied and that a fresh Browser works.
func TestBrowserDied(t *testing.T) {
	chromium.Browser(t) // skip without Chromium
	ts := serve(t)
	b, err := browser.Start(t.Context(), browser.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	profile := userDataDir(t, cmdline(t, b.PID()))
	tab := browsertest.Session(t, b, browser.PC)
	if err := browser.Navigate(tab, ts.URL+"/device.html"); err != nil {
		t.Fatal(err)
	}

	// An action in flight when Chromium dies: a promise that never settles.
	inFlight := make(chan error, 1)
	go func() {
		_, err := browser.EvalJSON[int](tab, `new Promise(() => {})`)
		inFlight <- err
	}()
	time.Sleep(100 * time.Millisecond)
	if err := syscall.Kill(b.PID(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	select {
	case err := <-inFlight:
		if !errors.Is(err, browser.ErrBrowserDied) {
			t.Errorf("action in flight at the kill: %v, want ErrBrowserDied", err)
		}
		t.Logf("in flight: %v (after %v)", err, time.Since(start).Round(time.Millisecond))
	case <-time.After(5 * time.Second):
		t.Fatal("action in flight still hangs 5s after the kill")
	}
	_, err = browser.EvalJSON[int](tab, `1`)
	if !errors.Is(err, browser.ErrBrowserDied) {
		t.Fatalf("action after kill: %v, want ErrBrowserDied", err)
	}
	if b.Alive() {
		t.Error("Alive() after kill = true")
	}
	if _, _, err := b.NewSession(t.Context(), browser.H5); !errors.Is(err, browser.ErrBrowserDied) {
		t.Errorf("NewSession after kill: %v, want ErrBrowserDied", err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("Close of a dead Browser: %v", err)
	}
	if _, err := os.Stat(profile); !os.IsNotExist(err) {
		t.Errorf("profile %s still there after Close (%v)", profile, err)
	}

	fresh, err := browser.Start(t.Context(), browser.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	tab = browsertest.Session(t, fresh, browser.PC)
	if err := browser.Navigate(tab, ts.URL+"/device.html"); err != nil {
		t.Fatalf("fresh Browser: %v", err)
	}
}

// TestProcess checks Chromium runs with the switches tiyan relies on, and
// that Close removes the temporary --user-data-dir, so a worker running for
// months does not fill /tmp.
func TestProcess(t *testing.T) {
	chromium.Browser(t)
	b, err := browser.Start(t.Context(), browser.Config{ExtraFlags: []string{"--lang=zh-CN", "--disable-quic"}})
	if err != nil {
		t.Fatal(err)
	}
	args := cmdline(t, b.PID())
	for _, want := range []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic", "--lang=zh-CN",
	} {
		if n := count(args, want); n != 1 {
			t.Errorf("switch %s given %d times in %q", want, n, args)
		}
	}
	profile := userDataDir(t, args)
	if _, err := os.Stat(profile); err != nil {
		t.Fatalf("profile while running: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(profile); !os.IsNotExist(err) {
		t.Errorf("profile %s still there after Close (%v)", profile, err)
	}
	if b.Alive() {
		t.Error("Alive() after Close = true")
	}
	if _, _, err := b.NewSession(t.Context(), browser.PC); !errors.Is(err, browser.ErrClosed) {
		t.Errorf("NewSession after Close: %v, want ErrClosed", err)
	}
}

// cmdline reads the command line of a running Chromium.
func cmdline(t *testing.T, pid int) []string {
	t.Helper()
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		t.Skipf("cannot read Chromium's command line: %v", err)
	}
	return strings.Split(strings.TrimRight(string(data), "\x00"), "\x00")
}

func count(args []string, want string) int {
	n := 0
	for _, a := range args {
		if a == want {
			n++
		}
	}
	return n
}

// userDataDir finds the --user-data-dir switch of a Chromium command line.
func userDataDir(t *testing.T, args []string) string {
	t.Helper()
	for _, arg := range args {
		if dir, ok := strings.CutPrefix(arg, "--user-data-dir="); ok {
			return dir
		}
	}
	t.Fatalf("Chromium runs without --user-data-dir: %q", args)
	return ""
}

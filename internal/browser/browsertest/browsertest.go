// Package browsertest shares one real Chromium among the tests of a package,
// the way chromedp's own tests do: TestMain starts it, each test opens its
// own isolated session on it.
//
//	var chromium browsertest.Shared
//
//	func TestMain(m *testing.M) { os.Exit(chromium.Run(m, browser.Config{})) }
//
//	func TestGuide(t *testing.T) {
//		tab := chromium.Session(t, browser.PC)
//		...
//	}
//
// With -short the tests that need Chromium skip. Without Chromium they skip
// with a message saying how to install it, except when the environment
// variable CI is set: there a missing Chromium fails the package, so a
// broken CI image cannot pass silently.
package browsertest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"tiyan/internal/browser"
)

// Shared is the Chromium of one test package.
type Shared struct {
	b    *browser.Browser
	skip string
}

// startTimeout bounds the start of Chromium on a slow CI machine.
const startTimeout = time.Minute

// Run starts Chromium with cfg, runs the tests and closes Chromium. It
// returns the exit code for os.Exit. With -short no Chromium starts and the
// tests that need it skip, for `make test-short`.
func (s *Shared) Run(m *testing.M, cfg browser.Config) int {
	flag.Parse() // for testing.Short, before m.Run parses them
	if testing.Short() {
		s.skip = "-short: no Chromium"
		return m.Run()
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	b, err := browser.Start(ctx, cfg)
	cancel()
	switch {
	case errors.Is(err, browser.ErrChromiumNotFound) && os.Getenv("CI") == "":
		s.skip = err.Error()
	case err != nil:
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		return 1
	}
	s.b = b
	code := m.Run()
	if b != nil {
		if err := b.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "browsertest: close:", err)
			return 1
		}
	}
	return code
}

// Browser returns the shared Browser, or skips t when Chromium is missing.
func (s *Shared) Browser(t testing.TB) *browser.Browser {
	t.Helper()
	if s.skip != "" {
		t.Skip(s.skip)
	}
	if s.b == nil {
		t.Fatal("browsertest: Shared.Run was not called from TestMain")
	}
	return s.b
}

// Session opens a session for dev on the shared Browser, closed when t ends. Like Session, it
// may send anything.
func (s *Shared) Session(t testing.TB, dev browser.Device) context.Context {
	t.Helper()
	return Session(t, s.Browser(t), dev)
}

// Session opens a session for dev on b, closed when t ends. It is a sandbox session (it may send
// anything): the tests that use it drive tiyan's own pages (sign-in, forms) and testdata pages.
// The sweep and the runner open their sessions themselves, read-only; a test of read-only
// browsing opens its session with b.NewSession.
func Session(t testing.TB, b *browser.Browser, dev browser.Device) context.Context {
	t.Helper()
	tab, cancel, err := b.NewSession(t.Context(), dev, browser.Sandbox())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	return tab
}

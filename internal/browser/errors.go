package browser

// Error is a sentinel error of this package, as chromedp does it: a constant
// that callers match with errors.Is.
type Error string

// Error satisfies the error interface.
func (e Error) Error() string { return string(e) }

const (
	// ErrBrowserDied means the Chromium process exited or lost its
	// connection without Close being called (a crash, the OOM killer, a
	// kill). The Browser cannot recover: close it and start a fresh one.
	ErrBrowserDied Error = "chromium died"

	// ErrClosed means the Browser was closed by its owner.
	ErrClosed Error = "browser closed"

	// ErrChromiumNotFound means no Chromium executable was found where the
	// Config said (or where the defaults look).
	ErrChromiumNotFound Error = "Chromium not found"

	// ErrNoSession means a context that did not come from NewSession or ReuseSession was used
	// where a session was needed.
	ErrNoSession Error = "not a browser session"
)

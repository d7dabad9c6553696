package browser

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/chromedp"
)

// closeTimeout bounds the graceful shutdown of Chromium in Close; after it
// the process is killed.
const closeTimeout = 10 * time.Second

// Browser is one Chromium process and the tabs open in it. It is safe for
// concurrent use. A Browser that died stays dead (see [ErrBrowserDied]);
// the caller starts a fresh one.
type Browser struct {
	path string
	log  *slog.Logger

	// root is the chromedp context that owns the process; sessions are its
	// children, so cancelling it closes every tab.
	root        context.Context
	rootCancel  context.CancelFunc
	allocCancel context.CancelFunc
	cdp         *chromedp.Browser

	guard *netGuard // the read-only guard over every request (readonly.go)

	tabs chan struct{} // the MaxTabs semaphore: one token per open session

	idleMu sync.Mutex
	idle   []*idleTab // tabs ReuseSession gave back, each holding a token of tabs

	closing   atomic.Bool   // set before Close stops Chromium, so its exit is not a death
	closed    chan struct{} // closed by Close
	closeOnce sync.Once
	closeErr  error
}

// Start launches Chromium and waits until it answers. ctx bounds only the
// start: the process lives until Close (or until it dies).
func Start(ctx context.Context, cfg Config) (*Browser, error) {
	cfg = cfg.withDefaults()
	extra, err := cfg.extraFlags()
	if err != nil {
		return nil, err
	}
	path, err := cfg.execPath()
	if err != nil {
		return nil, err
	}
	opts := cfg.allocatorOptions(path, extra)
	// WithoutCancel: the process must outlive the caller's start deadline,
	// but keep the caller's values (loggers, trace ids).
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.WithoutCancel(ctx), opts...)
	root, rootCancel := chromedp.NewContext(allocCtx, chromedp.WithBrowserOption(
		chromedp.WithBrowserLogf(logf(cfg.Logger, slog.LevelDebug)),
		chromedp.WithBrowserErrorf(logf(cfg.Logger, slog.LevelDebug)),
	))
	if err := launch(ctx, root, rootCancel); err != nil {
		rootCancel()
		allocCancel()
		return nil, fmt.Errorf("start Chromium %s: %w", path, err)
	}
	b := &Browser{
		path: path, log: cfg.Logger,
		root: root, rootCancel: rootCancel, allocCancel: allocCancel,
		cdp:    chromedp.FromContext(root).Browser,
		tabs:   make(chan struct{}, cfg.MaxTabs),
		closed: make(chan struct{}),
	}
	go b.watch()
	if err := b.startGuard(cfg.Now); err != nil {
		b.Close()
		return nil, fmt.Errorf("start Chromium %s: guard requests read-only: %w", path, err)
	}
	return b, nil
}

// launch starts the process through root. chromedp ties the process to the
// context of its first Run, so that Run gets root itself and the caller's
// ctx can only abort it from outside.
func launch(ctx context.Context, root context.Context, abort context.CancelFunc) error {
	stop := context.AfterFunc(ctx, abort)
	err := chromedp.Do(root)
	if !stop() && err == nil {
		// ctx ended just as the start finished; the process is being torn down.
		err = ctx.Err()
	}
	return err
}

// logf adapts slog to chromedp's printf-style hooks. chromedp's "errors" are
// mostly protocol events it does not know (Chromium is newer than cdproto),
// hence Debug.
func logf(l *slog.Logger, level slog.Level) func(string, ...any) {
	return func(format string, args ...any) {
		l.Log(context.Background(), level, fmt.Sprintf(format, args...), "component", "chromedp")
	}
}

// watch logs the death of Chromium once, so an operator sees it even when no
// action was running.
func (b *Browser) watch() {
	select {
	case <-b.cdp.LostConnection:
		if b.died() {
			b.log.Error("chromium died", "pid", b.PID(), "path", b.path)
		}
	case <-b.closed:
	}
}

// died reports whether Chromium went away without Close asking it to.
func (b *Browser) died() bool {
	select {
	case <-b.cdp.LostConnection:
		return !b.closing.Load()
	default:
		return false
	}
}

// Alive reports whether the Browser can still open sessions and run actions:
// it was not closed and Chromium has not died.
func (b *Browser) Alive() bool {
	select {
	case <-b.closed:
		return false
	case <-b.cdp.LostConnection:
		return false
	default:
		return true
	}
}

// PID is the process id of Chromium's browser process, for logs and
// monitoring.
func (b *Browser) PID() int {
	if p := b.cdp.Process(); p != nil {
		return p.Pid
	}
	return 0
}

// Close closes every session, shuts Chromium down (killing it after a
// timeout) and removes its temporary profile directory. It is safe to call
// more than once and on a Browser that died.
func (b *Browser) Close() error {
	b.closeOnce.Do(func() {
		dead := b.died()
		b.closing.Store(true)
		close(b.closed)
		if !dead {
			ctx, cancel := context.WithTimeout(b.root, closeTimeout)
			err := chromedp.Cancel(ctx)
			cancel()
			if err != nil && !errors.Is(err, context.Canceled) {
				b.closeErr = fmt.Errorf("close Chromium: %w", err)
			}
		}
		b.rootCancel()
		// Waits for the process to exit and its profile directory to go.
		b.allocCancel()
	})
	return b.closeErr
}

// gone says why the Browser can no longer work, or nil while it can.
func (b *Browser) gone() error {
	switch {
	case b.died():
		return fmt.Errorf("%w (pid %d; start a fresh Browser)", ErrBrowserDied, b.PID())
	case !b.Alive():
		return ErrClosed
	}
	return nil
}

// wrap classifies err: an action that failed because Chromium died or the
// Browser was closed says so, whatever chromedp's error looked like.
func (b *Browser) wrap(err error) error {
	if err == nil || errors.Is(err, ErrBrowserDied) || errors.Is(err, ErrClosed) {
		return err
	}
	if g := b.gone(); g != nil {
		return fmt.Errorf("%w: %w", g, err)
	}
	return err
}

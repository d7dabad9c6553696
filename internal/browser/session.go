package browser

import (
	"context"
	"fmt"
	"sync"

	"github.com/chromedp/chromedp"
)

// sessionKey carries the *Browser in a session context, so the package-level
// helpers can classify errors without a Session type (Go methods cannot be
// generic, and Run must be).
type sessionKey struct{}

// NewSession opens a tab in a new, empty browser context (its own cookies,
// storage and cache, shared with no other session) and applies the device
// emulation before anything loads. It waits for a free tab while MaxTabs are
// open; the wait ends with ctx.
//
// The session is read-only (see [Refusals]) unless opts say otherwise ([AllowWrites], [Sandbox]).
//
// The returned context is a chromedp context for that tab. It ends, the tab
// closes and its slot is freed when cancel is called or ctx ends; it also
// ends when the Browser closes or dies. Call cancel when done, as with
// context.WithCancel.
func (b *Browser) NewSession(ctx context.Context, dev Device, opts ...SessionOption) (context.Context, context.CancelFunc, error) {
	tab, release, err := b.openTab(ctx, dev, newAccess(opts))
	if err != nil {
		return nil, nil, err
	}
	stop := context.AfterFunc(ctx, release)
	return tab, func() {
		stop()
		release()
	}, nil
}

// openTab opens a tab in a new browser context with the device's emulation, under the read-only
// guard with access a; ctx bounds the wait for a slot and the opening only. release closes the
// tab and frees its slot.
func (b *Browser) openTab(ctx context.Context, dev Device, a *access) (context.Context, func(), error) {
	if err := b.acquire(ctx); err != nil {
		return nil, nil, err
	}
	tab, tabCancel := chromedp.NewContext(b.root, chromedp.WithNewBrowserContext())
	tab = context.WithValue(tab, sessionKey{}, b)
	var once sync.Once
	release := func() {
		once.Do(func() {
			tabCancel()
			<-b.tabs
		})
	}
	// The first Run creates the tab and binds it to tab's lifetime, so it
	// must get tab itself, not a child with a deadline; ctx aborts it from outside.
	stop := context.AfterFunc(ctx, release)
	err := chromedp.Do(tab, dev.emulate())
	if !stop() && err == nil { // ctx ended just as the tab opened: it is closed
		err = ctx.Err()
	}
	if err != nil {
		release()
		if ctx.Err() != nil {
			return nil, nil, fmt.Errorf("open %s session: %w", dev.Name, ctx.Err())
		}
		return nil, nil, fmt.Errorf("open %s session: %w", dev.Name, b.wrap(err))
	}
	// The tab shows about:blank until the caller navigates: nothing was sent before the guard knew it.
	if err := b.guard.open(tab, a); err != nil {
		release()
		return nil, nil, fmt.Errorf("open %s session: guard it: %w", dev.Name, b.wrap(err))
	}
	return tab, release, nil
}

// acquire takes a tab slot, closing an idle reusable tab when none is free, and otherwise
// waiting while all MaxTabs are in use.
func (b *Browser) acquire(ctx context.Context) error {
	if err := b.gone(); err != nil {
		return fmt.Errorf("open session: %w", err)
	}
	for {
		select {
		case b.tabs <- struct{}{}:
			return nil
		default:
		}
		if !b.closeIdle() {
			break
		}
	}
	select {
	case b.tabs <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for a free tab (%d in use): %w", cap(b.tabs), ctx.Err())
	case <-b.closed:
		return fmt.Errorf("wait for a free tab: %w", ErrClosed)
	case <-b.cdp.LostConnection:
		return fmt.Errorf("wait for a free tab: %w", b.gone())
	}
}

// browserOf returns the Browser a session context belongs to, or nil for a
// context that did not come from NewSession.
func browserOf(ctx context.Context) *Browser {
	b, _ := ctx.Value(sessionKey{}).(*Browser)
	return b
}

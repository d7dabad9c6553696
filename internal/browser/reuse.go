package browser

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

// A new tab costs Chromium a renderer process, a window and the protocol's set-up: about half a
// second of CPU on a small machine, more than probing the page it shows. A sweep that opens one
// tab per page spends most of its time there, so it keeps its tabs and wipes them between
// pages instead.

// maxReuses is how many pages a reused tab shows before it is closed, bounding what a long
// sweep could leak into one renderer.
const maxReuses = 50

// resetTimeout bounds the wiping of a tab between pages; a tab that takes longer is closed.
const resetTimeout = 5 * time.Second

// idleTab is a tab that a ReuseSession left, wiped and ready for the next one.
type idleTab struct {
	tab    context.Context
	cancel context.CancelFunc // closes the tab and frees its slot
	dev    Device             // the device it emulates
	uses   int
}

// ReuseSession is NewSession for a sweep's many short visits: it takes an idle tab that an
// earlier ReuseSession gave back, when there is one, instead of opening a new one. The tab
// arrives wiped as a fresh session would be, as far as a page can tell: no cookies, no storage
// of the sites it visited, and Chromium's HTTP cache off (every load fetches what a first visit
// fetches). What remains: the history holds one blank page before the next, and the
// sessionStorage of sites other than the last one shown survives.
//
// Call done when finished with the tab, with keep false when anything went wrong with it (a
// timeout, an error of the protocol): such a tab is closed rather than reused. Idle tabs hold
// tab slots (MaxTabs); a NewSession or ReuseSession that finds no free slot closes an idle tab
// to make one. Like NewSession's, the session is read-only unless opts say otherwise; a reused
// tab starts with what this call's opts allow and no refusals.
func (b *Browser) ReuseSession(ctx context.Context, dev Device, opts ...SessionOption) (tab context.Context, done func(keep bool), err error) {
	a := newAccess(opts)
	it := b.takeIdle()
	if it == nil {
		tab, cancel, err := b.openTab(ctx, dev, a)
		if err != nil {
			return nil, nil, err
		}
		if err := Do(tab, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
			return err
		})); err != nil {
			cancel()
			return nil, nil, fmt.Errorf("open %s session: %w", dev.Name, b.wrap(err))
		}
		it = &idleTab{tab: tab, cancel: cancel, dev: dev}
	} else if it.dev.Name != dev.Name || it.dev.UserAgent != dev.UserAgent {
		if err := chromedp.Do(it.tab, dev.emulate()); err != nil {
			it.cancel()
			return nil, nil, fmt.Errorf("open %s session: %w", dev.Name, b.wrap(err))
		}
		it.dev = dev
	}
	if it.uses > 0 {
		b.guard.reset(it.tab, a)
	}
	stop := context.AfterFunc(ctx, it.cancel)
	return it.tab, func(keep bool) {
		if !stop() {
			return // ctx ended: the tab is closed
		}
		it.uses++
		if !keep || it.uses >= maxReuses || b.died() || wipe(it.tab) != nil {
			it.cancel()
			return
		}
		b.putIdle(it)
	}, nil
}

// takeIdle takes an idle tab, most recently used first (its renderer is warm); a tab that
// closed meanwhile (Chromium died) is dropped.
func (b *Browser) takeIdle() *idleTab {
	b.idleMu.Lock()
	defer b.idleMu.Unlock()
	for n := len(b.idle); n > 0; n-- {
		it := b.idle[n-1]
		b.idle = b.idle[:n-1]
		if it.tab.Err() == nil {
			return it
		}
		it.cancel()
	}
	return nil
}

func (b *Browser) putIdle(it *idleTab) {
	b.idleMu.Lock()
	defer b.idleMu.Unlock()
	b.idle = append(b.idle, it)
}

// closeIdle closes the least recently used idle tab, freeing its slot; false when none is idle.
func (b *Browser) closeIdle() bool {
	b.idleMu.Lock()
	if len(b.idle) == 0 {
		b.idleMu.Unlock()
		return false
	}
	it := b.idle[0]
	b.idle = b.idle[1:]
	b.idleMu.Unlock()
	it.cancel()
	return true
}

// wipe leaves a tab as close to a new session as a page can tell: on a blank page that is its
// only history entry, with the cookies, storage and service workers of every site it visited
// cleared.
func wipe(tab context.Context) error {
	ctx, cancel := context.WithTimeout(tab, resetTimeout)
	defer cancel()
	// sessionStorage belongs to the tab, not to the site: clear the last page's while on it.
	if err := Exec(ctx, `try { sessionStorage.clear() } catch (e) {}`); err != nil {
		return err
	}
	hist, err := Run(ctx, func(ctx context.Context, t *chromedp.Target) (page.GetNavigationHistoryResult, error) {
		return cdp.Call(ctx, t, page.GetNavigationHistory, cdp.Empty{})
	})
	if err != nil {
		return err
	}
	if err := leave(ctx); err != nil {
		return err
	}
	return Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, o := range origins(hist.Entries) {
			if _, err := cdp.Call(ctx, t, storage.ClearDataForOrigin, storage.ClearDataForOriginParams{Origin: o, StorageTypes: "all"}); err != nil {
				return err
			}
		}
		if _, err := cdp.Call(ctx, t, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, page.ResetNavigationHistory, cdp.Empty{})
		return err
	}))
}

// leave unloads the page (its unload handlers run before anything is cleared) for about:blank,
// asking the page itself to go there: a navigation the browser started would swap renderer
// processes, and a new process is the cost reuse is there to save.
func leave(ctx context.Context) error {
	if err := Exec(ctx, `location.replace("about:blank")`); err != nil {
		return err
	}
	for {
		href, err := EvalJSON[string](ctx, `location.href`)
		if err == nil && href == "about:blank" {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("leave the page: %w", ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// origins are the web origins of a tab's history, each once.
func origins(entries []*page.NavigationEntry) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range entries {
		u, err := url.Parse(e.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		o := u.Scheme + "://" + u.Host
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out
}

package runner

import (
	"context"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
)

// loads follows the page loads of a session's main frame from Chromium's events, read in the
// order Chromium sends them (chromedp.Listen). With it a step knows at once whether its click
// started a page load, instead of waiting a fixed time to see, and the politeness slot of a page
// load is given back when the load ends.
type loads struct {
	main cdp.FrameID

	mu        sync.Mutex
	seq       int  // navigations of the main frame seen so far
	requested bool // the page asked for a navigation that has not started loading yet
	loading   bool // the main frame is loading
	changed   chan struct{}
	admits    int        // page loads of the main frame let through by the guard so far
	held      []heldSlot // politeness slots of the load in progress
}

// heldSlot is the politeness slot of the page load with that ticket (see admitted).
type heldSlot struct {
	ticket  int
	release func()
}

// cancelledAfter is how long a navigation the page asked for may take to start loading before we
// take it as cancelled (by the page, or because it became a download or a new tab). Chromium
// starts loading within milliseconds of the request, so this is only ever reached in those cases.
const cancelledAfter = 2 * time.Second

func newLoads(main cdp.FrameID) *loads {
	return &loads{main: main, changed: make(chan struct{})}
}

// event takes one page event. It runs in the loop that reads the tab's messages, so it only
// updates state: no command, no wait.
func (l *loads) event(ev any) {
	switch ev := ev.(type) {
	case *page.EventFrameRequestedNavigation:
		if ev.FrameID == l.main && ev.Disposition == page.ClientNavigationDispositionCurrentTab {
			l.update(func() { l.seq++; l.requested = true })
		}
	case *page.EventFrameStartedLoading:
		if ev.FrameID == l.main {
			l.update(func() { l.seq++; l.requested, l.loading = false, true })
		}
	case *page.EventFrameStoppedLoading:
		if ev.FrameID == l.main {
			l.update(func() { l.requested, l.loading = false, false })
			l.release()
		}
	case *page.EventNavigatedWithinDocument:
		if ev.FrameID == l.main { // an anchor or history.pushState: no page load follows
			l.update(func() { l.requested = false })
		}
	}
}

func (l *loads) update(f func()) {
	l.mu.Lock()
	f()
	close(l.changed)
	l.changed = make(chan struct{})
	l.mu.Unlock()
}

// count is the number of navigations seen so far, to compare before and after an action.
func (l *loads) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq
}

// wait returns when the main frame has stopped loading, or when a navigation the page asked for
// never started.
func (l *loads) wait(ctx context.Context) error {
	for {
		l.mu.Lock()
		busy, onlyAsked, changed := l.requested || l.loading, l.requested && !l.loading, l.changed
		l.mu.Unlock()
		if !busy {
			return nil
		}
		var giveUp <-chan time.Time
		if onlyAsked {
			giveUp = time.After(cancelledAfter) // collected once unreachable (Go ≥ 1.23)
		}
		select {
		case <-changed:
		case <-giveUp:
			l.update(func() { l.requested = false })
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// admitted numbers a page load of the main frame when the guard sees it, in Chromium's order:
// the newest ticket is the load in progress.
func (l *loads) admitted() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.admits++
	return l.admits
}

// replace gives back the slots of page loads older than ticket's, which replaces them (a
// redirect, or another navigation).
func (l *loads) replace(ticket int) {
	l.mu.Lock()
	var old []heldSlot
	keep := l.held[:0]
	for _, h := range l.held {
		if h.ticket < ticket {
			old = append(old, h)
		} else {
			keep = append(keep, h)
		}
	}
	l.held = keep
	l.mu.Unlock()
	for _, h := range old {
		h.release()
	}
}

// hold keeps the slot of ticket's page load until the main frame stops loading (or the session
// ends). It returns false, keeping nothing, when a newer page load has replaced ticket's.
func (l *loads) hold(ticket int, release func()) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ticket < l.admits {
		return false
	}
	l.held = append(l.held, heldSlot{ticket, release})
	return true
}

// release gives back every slot held for the main frame's page loads.
func (l *loads) release() {
	l.mu.Lock()
	held := l.held
	l.held = nil
	l.mu.Unlock()
	for _, h := range held {
		h.release()
	}
}

package runner

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
)

func TestLoadsFollowsTheMainFrame(t *testing.T) {
	l := newLoads("main")
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()

	l.event(&page.EventFrameStartedLoading{FrameID: "child"})
	l.event(&page.EventFrameRequestedNavigation{FrameID: "main", Disposition: page.ClientNavigationDispositionNewTab})
	if l.count() != 0 {
		t.Fatal("a frame's load or a new tab counted as a page load")
	}
	l.event(&page.EventFrameRequestedNavigation{FrameID: "main", Disposition: page.ClientNavigationDispositionCurrentTab})
	l.event(&page.EventFrameStartedLoading{FrameID: "main"})
	if l.count() != 2 {
		t.Fatalf("count %d after a navigation was asked for and started", l.count())
	}
	done := make(chan error)
	go func() { done <- l.wait(ctx) }()
	select {
	case err := <-done:
		t.Fatalf("wait returned while loading: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	l.event(&page.EventFrameStoppedLoading{FrameID: "main"})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestLoadsSameDocumentNavigationEndsTheWait(t *testing.T) {
	l := newLoads("main")
	l.event(&page.EventFrameRequestedNavigation{FrameID: "main", Disposition: page.ClientNavigationDispositionCurrentTab})
	l.event(&page.EventNavigatedWithinDocument{FrameID: "main"})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := l.wait(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestLoadsReleasesPolitenessSlots(t *testing.T) {
	l := newLoads("main")
	released := map[int]int{}
	slot := func(n int) func() { return func() { released[n]++ } }

	first := l.admitted()
	if !l.hold(first, slot(1)) {
		t.Fatal("the newest load could not hold its slot")
	}
	second := l.admitted() // a redirect or another navigation replaces the first
	l.replace(second)
	if released[1] != 1 {
		t.Fatal("the replaced load kept its slot")
	}
	if l.hold(first, slot(9)) {
		t.Fatal("a replaced load that got its turn late held a slot")
	}
	l.hold(second, slot(2))
	l.event(&page.EventFrameStoppedLoading{FrameID: "main"})
	if released[2] != 1 {
		t.Fatal("the slot was not given back when the page stopped loading")
	}
}

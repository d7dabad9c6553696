package runner

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"tiyan/internal/browser"
	"tiyan/scenarios"
)

// guard watches one session: it blocks requests to hosts the site does not allow (through the
// Fetch domain, so that a redirect to another host is caught too) and keeps the console errors
// and failed requests, which each step reads from where the previous one stopped.
type guard struct {
	site *scenarios.Site

	mu       sync.Mutex
	console  []string
	failed   []string
	blocked  []string // blocked page loads (documents), for the step that caused them
	urls     map[network.RequestID]string
	consoleN int // how far the current step has read
	failedN  int
	blockedN int
}

// startGuard turns on interception for the session tab. It returns once Chromium pauses every
// request for the guard to judge.
func startGuard(tab context.Context, site *scenarios.Site) (*guard, error) {
	g := &guard{site: site, urls: map[network.RequestID]string{}}
	paused := chromedp.Events(tab, fetch.RequestPaused)
	sent := chromedp.Events(tab, network.RequestWillBeSent)
	responses := chromedp.Events(tab, network.ResponseReceived)
	failures := chromedp.Events(tab, network.LoadingFailed)
	console := chromedp.Console(tab)
	go g.judge(tab, paused)
	go func() {
		for ev, err := range sent {
			if err != nil {
				return
			}
			g.mu.Lock()
			g.urls[ev.RequestID] = ev.Request.URL
			g.mu.Unlock()
		}
	}()
	go func() {
		for ev, err := range responses {
			if err != nil {
				return
			}
			if ev.Response.Status >= 400 && !noise(ev.Response.URL) {
				g.add(&g.failed, fmt.Sprintf("%d %s", ev.Response.Status, ev.Response.URL))
			}
		}
	}()
	go func() {
		for ev, err := range failures {
			if err != nil {
				return
			}
			g.mu.Lock()
			u := g.urls[ev.RequestID]
			g.mu.Unlock()
			if ev.Canceled || noise(u) || ev.ErrorText == "net::ERR_BLOCKED_BY_CLIENT" {
				continue // blocked ones are recorded by judge, with the reason
			}
			g.add(&g.failed, ev.ErrorText+" "+u)
		}
	}()
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				g.add(&g.console, m.String())
			}
		}
	}()
	_, err := browser.Run(tab, func(ctx context.Context, t *chromedp.Target) (struct{}, error) {
		_, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}})
		return struct{}{}, err
	})
	if err != nil {
		return nil, fmt.Errorf("enable request interception: %w", err)
	}
	return g, nil
}

// judge lets through what the site allows and fails the rest as blocked by the client.
func (g *guard) judge(tab context.Context, paused iter.Seq2[fetch.EventRequestPaused, error]) {
	for ev, err := range paused {
		if err != nil {
			return
		}
		if g.allowed(ev.Request.URL) {
			chromedp.Call(tab, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
			continue
		}
		g.add(&g.failed, "blocked "+ev.Request.URL)
		if ev.ResourceType == network.ResourceTypeDocument {
			g.add(&g.blocked, ev.Request.URL)
		}
		chromedp.Call(tab, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
	}
}

func (g *guard) allowed(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "data", "blob", "about":
		return true
	case "http", "https":
		return g.site.AllowHost(u.Host)
	}
	return false
}

// noise are requests a browser makes on its own, whose failure says nothing about the portal.
func noise(u string) bool { return strings.HasSuffix(u, "/favicon.ico") }

func (g *guard) add(list *[]string, s string) {
	g.mu.Lock()
	*list = append(*list, s)
	g.mu.Unlock()
}

// since returns what came in since the last call: console errors, failed requests and blocked
// page loads.
func (g *guard) since() (console, failed, blocked []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	console = append([]string(nil), g.console[g.consoleN:]...)
	failed = append([]string(nil), g.failed[g.failedN:]...)
	blocked = append([]string(nil), g.blocked[g.blockedN:]...)
	g.consoleN, g.failedN, g.blockedN = len(g.console), len(g.failed), len(g.blocked)
	return console, failed, blocked
}

// pendingBlocked reports whether a page load was blocked since the last call of since.
func (g *guard) pendingBlocked() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.blocked) > g.blockedN
}

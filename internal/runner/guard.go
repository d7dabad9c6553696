package runner

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tiyan/internal/browser"
	"tiyan/internal/polite"
	"tiyan/scenarios"
)

// guard watches one session and keeps it on the hosts the site allows.
//
// Page loads (documents, in any frame, after every redirect) are paused by Chromium and judged
// here: one outside the allowlist is failed and reported, and one of the main frame waits for its
// host's politeness turn. Subresources (scripts, images, XHR…) are refused by Chromium itself
// from URL patterns, so that the many requests of a page do not each wait for a round trip to
// Go; the guard still sees every response, so a pattern that let through what AllowHost refuses
// would not go unnoticed.
//
// It also keeps the console errors and failed requests, which each step reads from where the
// previous one stopped.
type guard struct {
	site   *scenarios.Site
	polite *polite.Limiter
	loads  *loads
	log    *slog.Logger
	tab    context.Context

	mu       sync.Mutex
	console  []string
	failed   []string
	blocked  []string // blocked page loads of the main frame, for the step that caused them
	urls     map[network.RequestID]string
	consoleN int // how far the current step has read
	failedN  int
	blockedN int
}

// startGuard starts watching the session tab. It returns once Chromium refuses what it must and
// pauses every page load for the guard to judge.
func startGuard(tab context.Context, site *scenarios.Site, polite *polite.Limiter, log *slog.Logger) (*guard, error) {
	main, err := mainFrame(tab)
	if err != nil {
		return nil, fmt.Errorf("read the tab's main frame: %w", err)
	}
	g := &guard{site: site, polite: polite, loads: newLoads(main), log: log, tab: tab, urls: map[network.RequestID]string{}}
	if err := chromedp.Listen(tab, g.event); err != nil {
		return nil, fmt.Errorf("follow page loads: %w", err)
	}
	context.AfterFunc(tab, g.loads.release) // a session that ends mid-load frees its host's slot
	g.watchConsole(tab)
	go g.judge(chromedp.Events(tab, fetch.RequestPaused))
	_, err = browser.Run(tab, func(ctx context.Context, t *chromedp.Target) (struct{}, error) {
		if _, err := cdp.Call(ctx, t, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: blockPatterns(site)}); err != nil {
			return struct{}{}, err
		}
		pages := []*fetch.RequestPattern{{URLPattern: "*", ResourceType: network.ResourceTypeDocument}}
		_, err := cdp.Call(ctx, t, fetch.Enable, fetch.EnableParams{Patterns: pages})
		return struct{}{}, err
	})
	if err != nil {
		return nil, fmt.Errorf("enable request blocking: %w", err)
	}
	return g, nil
}

func mainFrame(tab context.Context) (cdp.FrameID, error) {
	return browser.Run(tab, func(ctx context.Context, t *chromedp.Target) (cdp.FrameID, error) {
		r, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return "", err
		}
		return r.FrameTree.Frame.ID, nil
	})
}

// judge decides on each paused page load, in the order Chromium asks.
func (g *guard) judge(paused iter.Seq2[fetch.EventRequestPaused, error]) {
	for ev, err := range paused {
		if err != nil {
			return
		}
		switch {
		case !g.allowed(ev.Request.URL):
			g.refuse(ev)
		case ev.FrameID == g.loads.main:
			go g.admit(ev, g.loads.admitted())
		default: // a frame within the page: part of the page load that holds it
			chromedp.Call(g.tab, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
		}
	}
}

// admit lets a page load of the main frame go once its host's politeness turn has come, and
// keeps the host's slot until the load ends. A newer page load (a redirect, another navigation)
// replaces this one: it frees the slot this one held, and this one, if it gets its turn after
// being replaced, gives its slot straight back.
func (g *guard) admit(ev fetch.EventRequestPaused, ticket int) {
	g.loads.replace(ticket)
	host := hostOf(ev.Request.URL)
	release, waited, err := g.polite.Wait(g.tab, host)
	if err != nil {
		return // the session ended
	}
	if !g.loads.hold(ticket, release) {
		release()
	}
	if waited >= time.Millisecond {
		g.log.Debug("waited for the host's politeness turn", "host", host, "wait", waited.Round(time.Millisecond))
	}
	chromedp.Call(g.tab, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
}

// refuse fails a page load outside the allowlist as blocked by the client.
func (g *guard) refuse(ev fetch.EventRequestPaused) {
	g.add(&g.failed, "blocked "+ev.Request.URL)
	if ev.FrameID == g.loads.main {
		g.add(&g.blocked, ev.Request.URL)
	}
	g.log.Warn("blocked a page outside the allowed hosts", "url", ev.Request.URL)
	chromedp.Call(g.tab, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
}

// event takes the session's events in the order Chromium sends them (a request before its
// failure). It runs in the loop that reads the tab's messages: it only records.
func (g *guard) event(ev any) {
	g.loads.event(ev)
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		g.mu.Lock()
		g.urls[ev.RequestID] = ev.Request.URL
		g.mu.Unlock()
	case *network.EventResponseReceived:
		g.response(ev.Response)
	case *network.EventLoadingFailed:
		g.failure(ev)
	}
}

// watchConsole keeps the console errors and uncaught exceptions of the session.
func (g *guard) watchConsole(tab context.Context) {
	console := chromedp.Console(tab)
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
}

func (g *guard) response(r *network.Response) {
	if web(r.URL) && !g.allowed(r.URL) {
		g.add(&g.failed, "not allowlisted, yet loaded "+r.URL)
		g.log.Error("a request outside the allowed hosts got through", "url", r.URL)
	}
	if r.Status >= 400 && !noise(r.URL) {
		g.add(&g.failed, fmt.Sprintf("%d %s", r.Status, r.URL))
	}
}

func (g *guard) failure(ev *network.EventLoadingFailed) {
	g.mu.Lock()
	u := g.urls[ev.RequestID]
	g.mu.Unlock()
	switch {
	case ev.BlockedReason == network.BlockedReasonInspector && !g.allowed(u): // refused by blockPatterns
		g.add(&g.failed, "blocked "+u)
	case ev.Canceled || noise(u) || strings.HasPrefix(ev.ErrorText, "net::ERR_BLOCKED_BY_CLIENT"):
		// nothing the portal did: page loads blocked by refuse are recorded there, with the reason,
		// and writes the read-only browser refused are the step's Refused
	default:
		g.add(&g.failed, ev.ErrorText+" "+u)
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

// blockPatterns make Chromium refuse, by itself, subresources from hosts the site does not
// allow: the allowed hosts and the base URL's (which may be a simulator's) go through, then every
// other http, https, ws and wss URL is blocked. The hosts were checked when the site was loaded
// (no private address unless allowed), as AllowHost requires.
func blockPatterns(site *scenarios.Site) []*network.BlockPattern {
	hosts := append([]string(nil), site.AllowedHosts...)
	if u, err := url.Parse(site.BaseURL); err == nil && u.Hostname() != "" {
		hosts = append(hosts, u.Hostname())
	}
	var ps []*network.BlockPattern
	for _, h := range hosts {
		ps = append(ps, &network.BlockPattern{URLPattern: "*://" + hostPattern(h) + ":*/*"})
	}
	for _, scheme := range []string{"http", "https", "ws", "wss"} {
		ps = append(ps, &network.BlockPattern{URLPattern: scheme + "://*:*/*", Block: true})
	}
	return ps
}

// hostPattern writes an allowed host in URLPattern syntax: *.suffix is already a URLPattern
// wildcard; the colons of an IPv6 address would start named groups, so they are escaped.
func hostPattern(h string) string {
	h = strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(h), "["), "]"))
	if strings.Contains(h, ":") {
		return "[" + strings.ReplaceAll(h, ":", `\:`) + "]"
	}
	return h
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Hostname()
}

// web reports whether a URL goes over the network to a host, as blockPatterns covers.
func web(raw string) bool {
	for _, s := range []string{"http:", "https:", "ws:", "wss:"} {
		if len(raw) > len(s) && strings.EqualFold(raw[:len(s)], s) {
			return true
		}
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

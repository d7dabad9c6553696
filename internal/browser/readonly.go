package browser

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Read-only browsing, enforced by Chromium's network layer.
//
// A sweep, a verification or a scenario that is not a sandbox must never change anything on
// the portal: no application filed, no draft saved, no form sent. Clicking carefully is not
// enough (a 下一步 may post the form, a page script may post on load), so every Browser pauses
// every request of every target in Chromium (Fetch.enable on the browser target, which covers
// the tabs' frames, out-of-process iframes, popups, dedicated and service workers alike) and
// lets through only those that cannot change state: GET, HEAD and OPTIONS. Whatever else a
// read-only session sends is failed before it leaves Chromium and recorded as a [Refusal]:
// POST and the other methods (form submissions, fetch, XHR, sendBeacon, <a ping>), every
// request of a new window the page opens, and every request of a service worker (so none gets
// registered). A session opened with [AllowWrites] lets through the writes its predicate admits
// (the site profile's item list API, its sign-in); one opened with [Sandbox] lets everything
// through.
//
// Sessions are read-only unless opened otherwise, and so is anything the guard cannot tie to a
// session: safe by construction.

// guardWait bounds how long a write from a frame the guard does not know yet (an iframe whose
// attachment is still on its way from Chromium) waits to be tied to its session. Past it the
// write is refused as from no session.
const guardWait = 2 * time.Second

// Refusal is one request the read-only guard refused.
type Refusal struct {
	Method string    `json:"method"`
	URL    string    `json:"url"`
	Type   string    `json:"type"`   // Chromium's resource type: Document, XHR, Fetch, Ping, Other…
	Frame  string    `json:"frame"`  // the id of the frame or worker that sent it
	Target string    `json:"target"` // what sent it: page, iframe, popup, worker, service_worker…
	At     time.Time `json:"at"`
}

// String is the refusal as officers and logs read it.
func (r Refusal) String() string {
	switch r.Target {
	case "popup":
		return "已拦截新窗口请求：" + r.Method + " " + r.URL
	case "service_worker", "shared_worker":
		return "已拦截后台脚本请求：" + r.Method + " " + r.URL
	}
	return "已拦截提交请求：" + r.Method + " " + r.URL
}

// SessionOption changes how NewSession and ReuseSession open a session.
type SessionOption func(*access)

// AllowWrites lets the session send the state-changing requests allow admits (method as sent,
// e.g. POST; the request's URL), and only those: the writes a site profile lists as harmless,
// such as its item list API and its sign-in. Popups and service workers stay refused.
func AllowWrites(allow func(method string, u *url.URL) bool) SessionOption {
	return func(a *access) { a.allow = allow }
}

// Sandbox lets the session send anything: only for scenarios on a portal where submitting
// creates nothing real.
func Sandbox() SessionOption {
	return func(a *access) { a.sandbox = true }
}

// access is what one session may send, and what it was refused.
type access struct {
	sandbox bool
	allow   func(method string, u *url.URL) bool
	tab     target.ID // the session's own page; any other page in its browser context is a popup

	mu       sync.Mutex
	refusals []Refusal
}

func newAccess(opts []SessionOption) *access {
	a := &access{}
	for _, o := range opts {
		o(a)
	}
	return a
}

// admits says whether the session may send a request that can change state.
func (a *access) admits(method, raw string, popupOrWorker bool) bool {
	if a.sandbox {
		return true
	}
	if popupOrWorker || a.allow == nil {
		return false
	}
	u, err := url.Parse(raw)
	return err == nil && a.allow(method, u)
}

func (a *access) refused(r Refusal) {
	a.mu.Lock()
	a.refusals = append(a.refusals, r)
	a.mu.Unlock()
}

// Refusals returns the requests the read-only guard refused in the session tab: since it was
// opened, or for a ReuseSession tab since it was handed out. Nil for a context that is not a
// session.
func Refusals(tab context.Context) []Refusal {
	b := browserOf(tab)
	c := chromedp.FromContext(tab)
	if b == nil || c == nil {
		return nil
	}
	a := b.guard.session(c.BrowserContextID)
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Refusal(nil), a.refusals...)
}

// netGuard is the Browser's read-only guard: it knows every target, which session each belongs
// to, and decides on every paused request.
type netGuard struct {
	b   *Browser
	now func() time.Time

	mu       sync.Mutex
	targets  map[target.ID]*target.Info
	sessions map[cdp.BrowserContextID]*access
	frames   map[cdp.FrameID]cdp.BrowserContextID // frames within the sessions' pages
	changed  chan struct{}                        // closed and replaced when frames grows
}

// startGuard makes Chromium pause every request for the guard. It is called once, by Start.
func (b *Browser) startGuard(now func() time.Time) error {
	g := &netGuard{b: b, now: now,
		targets:  map[target.ID]*target.Info{},
		sessions: map[cdp.BrowserContextID]*access{},
		frames:   map[cdp.FrameID]cdp.BrowserContextID{},
		changed:  make(chan struct{}),
	}
	b.guard = g
	if err := chromedp.ListenBrowser(b.root, g.event); err != nil {
		return err
	}
	if _, err := cdp.Call(b.root, b.cdp, target.SetDiscoverTargets, target.SetDiscoverTargetsParams{Discover: true}); err != nil {
		return err
	}
	_, err := cdp.Call(b.root, b.cdp, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}})
	return err
}

// event takes the browser's events in the order Chromium sends them, so a target is known
// before the requests it sends. It runs in the loop that reads the browser's messages: it only
// records, and hands each paused request to a goroutine.
func (g *netGuard) event(ev any) {
	switch ev := ev.(type) {
	case *target.EventTargetCreated:
		g.setTarget(ev.TargetInfo)
	case *target.EventTargetInfoChanged:
		g.setTarget(ev.TargetInfo)
	case *target.EventTargetDestroyed:
		g.mu.Lock()
		delete(g.targets, ev.TargetID)
		g.mu.Unlock()
	case *fetch.EventRequestPaused:
		go g.decide(ev)
	}
}

func (g *netGuard) setTarget(info *target.Info) {
	g.mu.Lock()
	g.targets[info.TargetID] = info
	g.mu.Unlock()
}

// decide lets a paused request go on, or refuses it.
func (g *netGuard) decide(ev *fetch.EventRequestPaused) {
	kind, info := g.kind(ev.FrameID)
	popupOrWorker := kind == "popup" || kind == "service_worker"
	if safeMethod(ev.Request.Method) && !popupOrWorker {
		g.resume(ev)
		return
	}
	a := g.owner(ev.FrameID, info)
	if a != nil && a.admits(ev.Request.Method, ev.Request.URL, popupOrWorker) {
		g.resume(ev)
		return
	}
	r := Refusal{Method: ev.Request.Method, URL: ev.Request.URL, Type: string(ev.ResourceType),
		Frame: string(ev.FrameID), Target: kind, At: g.now()}
	if a != nil {
		a.refused(r)
	}
	g.b.log.Info(r.String(), "type", r.Type, "target", r.Target, "frame", r.Frame, "session", a != nil)
	_, err := cdp.Call(g.b.root, g.b.cdp, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
	g.logCallError("refuse", ev, err)
}

func (g *netGuard) resume(ev *fetch.EventRequestPaused) {
	_, err := cdp.Call(g.b.root, g.b.cdp, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
	g.logCallError("continue", ev, err)
}

// logCallError logs a failed decision; a request that went away meanwhile (its page closed) is
// no news.
func (g *netGuard) logCallError(what string, ev *fetch.EventRequestPaused, err error) {
	if err != nil && g.b.Alive() && !strings.Contains(err.Error(), "Invalid InterceptionId") {
		g.b.log.Debug("read-only guard: "+what+" request", "url", ev.Request.URL, "error", err)
	}
}

// kind says what sent a request from frame: a session's page (or a frame within it), an
// out-of-process iframe, a worker, or a popup (a page that is not a session's own).
func (g *netGuard) kind(frame cdp.FrameID) (string, *target.Info) {
	g.mu.Lock()
	defer g.mu.Unlock()
	info := g.targets[target.ID(frame)]
	if info == nil {
		return "page", nil // a frame within a page
	}
	if info.Type != "page" {
		return info.Type, info
	}
	if a := g.sessions[info.BrowserContextID]; info.OpenerID != "" || (a != nil && a.tab != info.TargetID) {
		return "popup", info
	}
	return "page", info
}

// owner finds the session a request belongs to: by its target's browser context, or, for a
// frame within a page, by the frames the sessions' pages attached, waiting a little for a frame
// whose attachment is still on its way. Nil: no session (the request is read-only).
func (g *netGuard) owner(frame cdp.FrameID, info *target.Info) *access {
	if info != nil {
		return g.session(info.BrowserContextID)
	}
	deadline := time.NewTimer(guardWait)
	defer deadline.Stop()
	for {
		g.mu.Lock()
		id, ok := g.frames[frame]
		changed := g.changed
		g.mu.Unlock()
		if ok {
			return g.session(id)
		}
		select {
		case <-changed:
		case <-deadline.C:
			return nil
		}
	}
}

func (g *netGuard) session(id cdp.BrowserContextID) *access {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.sessions[id]
}

// open puts a new session's tab under the guard with what it may send: its browser context,
// its own page and every frame its page attaches.
func (g *netGuard) open(tab context.Context, a *access) error {
	c := chromedp.FromContext(tab)
	if c == nil || c.Target == nil || c.BrowserContextID == "" {
		return ErrNoSession
	}
	id := c.BrowserContextID
	a.tab = c.Target.TargetID
	g.mu.Lock()
	g.sessions[id] = a
	g.frames[cdp.FrameID(a.tab)] = id
	g.mu.Unlock()
	context.AfterFunc(tab, func() { g.close(id) })
	return chromedp.Listen(tab, func(ev any) {
		if ev, ok := ev.(*page.EventFrameAttached); ok {
			g.mu.Lock()
			g.frames[ev.FrameID] = id
			close(g.changed)
			g.changed = make(chan struct{})
			g.mu.Unlock()
		}
	})
}

// reset gives a reused tab what its next session may send, with no refusals yet.
func (g *netGuard) reset(tab context.Context, a *access) {
	c := chromedp.FromContext(tab)
	g.mu.Lock()
	defer g.mu.Unlock()
	if old := g.sessions[c.BrowserContextID]; old != nil {
		a.tab = old.tab
		g.sessions[c.BrowserContextID] = a
	}
}

// close forgets a session whose tab closed.
func (g *netGuard) close(id cdp.BrowserContextID) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.sessions, id)
	for f, s := range g.frames {
		if s == id {
			delete(g.frames, f)
		}
	}
}

// safeMethod reports whether a request method cannot change state.
func safeMethod(m string) bool {
	switch strings.ToUpper(m) {
	case "GET", "HEAD", "OPTIONS":
		return true
	}
	return false
}

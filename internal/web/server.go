package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/loop"
)

// Config configures a Server. Its zero values are the defaults, except that Store or Loop is
// required.
type Config struct {
	// Store is where findings, evidence, runs, users and sessions are kept; nil takes Loop's
	// store. It must also be a finding.UserStore and a finding.QueryStore, as both of tiyan's
	// stores are.
	Store finding.Store
	// Loop moves findings through the rectification loop; nil makes one on Store with the
	// default calendar and deadlines.
	Loop *loop.Loop
	// Now is the clock that decides 超期 and session expiry; nil is Loop's clock.
	Now func() time.Time
	// BaseURL is where people reach the UI, e.g. https://tiyan.example.gov.cn/tiyan. Its path
	// prefixes every link the pages make (for a reverse proxy that strips it); the whole URL
	// goes into the run reports' links, and an https scheme marks the session cookie Secure.
	// Empty serves from the root with root-relative links.
	BaseURL string
	// Reprober, when set, offers staff “立即复核” on a handled automated finding: it returns a
	// Reprober for one verification and a function that releases what it holds (a browser, a
	// tab). Nil hides the button; staff then evaluate such findings by hand.
	Reprober func(ctx context.Context) (loop.Reprober, func(), error)
	// Scenarios, when set, offers officers, staff and admins the scenarios page: the scripted
	// scenarios with their last result per channel, and “立即回放”, which queues a run and
	// follows it to its step report. Nil leaves the page without scenarios to replay.
	Scenarios Scenarios
	// Items, when set, lists the service items (事项) the report form searches as one types
	// part of an item's name or the start of its code (GET /api/items). The list is kept for an
	// hour; a listing that fails is logged and tried again after five minutes, the search
	// answering from the last good list (or nothing) meanwhile. Nil offers no search: the item
	// fields are typed in full, as they are without JavaScript.
	Items func(ctx context.Context) ([]Item, error)
	// SessionTTL is how long a sign-in lasts; 0 is 12 hours.
	SessionTTL time.Duration
	// TrustedProxies are the reverse proxies in front of tiyan. From a request whose peer is
	// one of them, the client's address for sign-in limits is the rightmost address of
	// X-Forwarded-For that is not a trusted proxy. Empty: X-Forwarded-For is ignored, as it
	// must be when clients reach tiyan directly, or they could pick their own address.
	TrustedProxies []netip.Prefix
	// Logger receives server errors and sign-in failures; nil discards them.
	Logger *slog.Logger
}

// Server serves the web UI and the JSON API. It is an http.Handler.
type Server struct {
	store          finding.Store
	users          finding.UserStore
	query          finding.QueryStore
	loop           *loop.Loop
	now            func() time.Time
	reprober       func(ctx context.Context) (loop.Reprober, func(), error)
	scenarios      Scenarios
	items          *itemIndex // nil: no item search
	sessionTTL     time.Duration
	trustedProxies []netip.Prefix
	limiter        *limiter
	baseURL        string // BaseURL without a trailing slash
	base           string // its path, without a trailing slash: "" at the root
	https          bool   // BaseURL is https: cookies are Secure even behind a TLS-terminating proxy
	log            *slog.Logger
	pages          pages
	handler        http.Handler
}

// defaultSessionTTL is a working day with room to spare.
const defaultSessionTTL = 12 * time.Hour

// New returns a Server for cfg, with defaults applied.
func New(cfg Config) (*Server, error) {
	s := &Server{store: cfg.Store, loop: cfg.Loop, now: cfg.Now, log: cfg.Logger, reprober: cfg.Reprober,
		sessionTTL: cfg.SessionTTL, trustedProxies: cfg.TrustedProxies, scenarios: cfg.Scenarios}
	if err := s.defaults(); err != nil {
		return nil, err
	}
	if cfg.Items != nil {
		s.items = &itemIndex{load: cfg.Items, now: s.now, log: s.log}
	}
	if err := s.setBase(cfg.BaseURL); err != nil {
		return nil, err
	}
	pg, err := parsePages()
	if err != nil {
		return nil, err
	}
	s.pages = pg
	csrf, err := s.crossOrigin()
	if err != nil {
		return nil, err
	}
	s.handler = secure(csrf.Handler(s.routes()))
	return s, nil
}

func (s *Server) defaults() error {
	switch {
	case s.store == nil && s.loop == nil:
		return errors.New("web: Config.Store or Config.Loop is required")
	case s.store == nil:
		s.store = s.loop.Store()
	case s.loop == nil:
		l, err := loop.New(loop.Config{Store: s.store, Now: s.now})
		if err != nil {
			return fmt.Errorf("web: %w", err)
		}
		s.loop = l
	}
	s.users, s.query = s.store, s.store
	if s.now == nil {
		s.now = s.loop.Now
	}
	if s.sessionTTL <= 0 {
		s.sessionTTL = defaultSessionTTL
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.limiter = newLimiter(s.now)
	return nil
}

func (s *Server) setBase(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("web: BaseURL %q should be an http(s) address such as https://tiyan.example.gov.cn", raw)
	}
	s.baseURL = strings.TrimSuffix(raw, "/")
	s.base = strings.TrimSuffix(u.Path, "/")
	s.https = u.Scheme == "https"
	return nil
}

// crossOrigin refuses form posts and API writes that a browser sends from another site
// (CSRF), by Sec-Fetch-Site or Origin. Machines sending a bearer token send neither header and
// pass; the token is what authenticates them.
func (s *Server) crossOrigin() (*http.CrossOriginProtection, error) {
	c := http.NewCrossOriginProtection()
	if s.baseURL != "" {
		u, _ := url.Parse(s.baseURL)
		if err := c.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
			return nil, fmt.Errorf("web: BaseURL origin: %w", err)
		}
	}
	c.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := finding.Errorf(finding.EFORBIDDEN, "拒绝来自其他网站的提交：请在本系统的页面中操作。")
		if isAPI(r) {
			s.apiFail(w, r, err)
			return
		}
		s.fail(w, r, err)
	}))
	return c, nil
}

// ServeHTTP serves the UI.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// routes maps the URL space: one line per page, the handlers in the file of their page group.
// Every page but sign-in, the stylesheet and the health check goes through s.page, which
// requires a session; what each user may see and do is checked in the handlers (auth.Check,
// auth.Narrow).
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /signin", s.signInPage)
	mux.HandleFunc("POST /signin", s.signIn)
	mux.HandleFunc("POST /signout", s.signOut)
	mux.Handle("GET /findings", s.page(s.findingsPage))
	mux.Handle("GET /findings/{id}", s.page(s.findingPage))
	mux.Handle("GET /findings/{id}/{action}", s.page(s.actionPage))
	mux.Handle("POST /findings/{id}/{action}", s.page(s.actionPost))
	mux.Handle("GET /evidence/{id}", s.page(s.evidence))
	mux.Handle("GET /report", s.page(s.reportPage))
	mux.Handle("POST /report", s.page(s.reportPost))
	mux.Handle("GET /overview", s.page(s.overviewPage))
	s.scenarioRoutes(mux)
	mux.Handle("GET /runs", s.page(s.runsPage))
	mux.Handle("GET /runs/{id}", s.page(s.runReport))
	s.apiRoutes(mux)
	s.userRoutes(mux)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /static/", s.staticHandler())
	mux.HandleFunc("/", s.notFound)
	return mux
}

// path is p (which starts with "/") under the UI's base path, for links in pages.
func (s *Server) path(p string) string { return s.base + p }

// home sends people to their start page: officers to the report form, everyone else to the
// findings; without a session, to sign-in.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	u, err := s.session(r)
	switch {
	case err != nil:
		http.Redirect(w, r, s.path("/signin"), http.StatusSeeOther)
	case u.Role == finding.RoleOfficer:
		http.Redirect(w, r, s.path("/report"), http.StatusSeeOther)
	default:
		http.Redirect(w, r, s.path("/findings"), http.StatusSeeOther)
	}
}

// healthz answers 200 when the store answers, for load balancers and `make run`.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if _, err := s.store.Runs(ctx, finding.RunFilter{Limit: 1}); err != nil {
		s.log.ErrorContext(ctx, "health check: store", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "数据库不可用")
		return
	}
	fmt.Fprintln(w, "ok")
}

// pageCSP is the policy of every page: nothing but this origin, images also inline (data:), no
// inline scripts or styles (scripts added later come as files from this origin), forms only
// to this origin, never framed.
const pageCSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secure sets the headers every response carries; handlers that serve something other than a
// page (evidence, the run report, the API) tighten or adapt the policy.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", pageCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// Findings are internal: links out to the portal must not carry our URLs along.
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

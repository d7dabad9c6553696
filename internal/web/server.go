package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/loop"
)

// Config configures a Server. Its zero values are the defaults, except that Store or Loop is
// required.
type Config struct {
	// Store is where findings, evidence and runs are read; nil takes Loop's store.
	Store finding.Store
	// Loop lists and shows findings (and will carry the loop's actions); nil makes one on Store
	// with the default calendar and deadlines.
	Loop *loop.Loop
	// Now is the clock that decides 超期; nil is Loop's clock.
	Now func() time.Time
	// BaseURL is where people reach the UI, e.g. https://tiyan.example.gov.cn/tiyan. Its path
	// prefixes every link the pages make (for a reverse proxy that strips it); the whole URL
	// goes into the run reports' links. Empty serves from the root with root-relative links.
	BaseURL string
	// Logger receives server errors; nil discards them.
	Logger *slog.Logger
}

// Server serves the web UI. It is an http.Handler.
type Server struct {
	store   finding.Store
	loop    *loop.Loop
	now     func() time.Time
	baseURL string // BaseURL without a trailing slash
	base    string // its path, without a trailing slash: "" at the root
	log     *slog.Logger
	pages   pages
	handler http.Handler
}

// New returns a Server for cfg, with defaults applied.
func New(cfg Config) (*Server, error) {
	s := &Server{store: cfg.Store, loop: cfg.Loop, now: cfg.Now, log: cfg.Logger}
	if err := s.defaults(); err != nil {
		return nil, err
	}
	if err := s.setBase(cfg.BaseURL); err != nil {
		return nil, err
	}
	pg, err := parsePages()
	if err != nil {
		return nil, err
	}
	s.pages = pg
	s.handler = secure(s.routes())
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
	if s.now == nil {
		s.now = s.loop.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
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
	return nil
}

// ServeHTTP serves the UI.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// routes maps the URL space: one line per page, the handlers in the file of their page group.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /findings", s.findingsPage)
	mux.HandleFunc("GET /findings/{id}", s.findingPage)
	mux.HandleFunc("GET /evidence/{id}", s.evidence)
	mux.HandleFunc("GET /runs", s.runsPage)
	mux.HandleFunc("GET /runs/{id}", s.runReport)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /static/", s.staticHandler())
	mux.HandleFunc("/", s.notFound)
	return mux
}

// path is p (which starts with "/") under the UI's base path, for links in pages.
func (s *Server) path(p string) string { return s.base + p }

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, s.path("/findings"), http.StatusSeeOther)
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
// inline scripts or styles (scripts added later come as files from this origin), never framed.
const pageCSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secure sets the headers every response carries; handlers that serve something other than a
// page (evidence, the run report) tighten or adapt the policy.
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

package portalsim

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"tiyan/internal/portalsim/catalog"
)

//go:embed web
var webFS embed.FS

// Config configures a simulator. The zero value serves the built-in items with no defects.
type Config struct {
	// Defects is "none" (the default), "seeded" (the built-in mix) or the path of a YAML fixture.
	Defects string
	// Items adds this many deterministic synthetic items to the built-in ones.
	Items int
	// Seed varies the synthetic items; the same seed gives the same items.
	Seed int64
	// Account is the SSO test account; empty fields take DefaultAccount's.
	Account Account
	// HangLimit bounds how long an "unreachable" page holds a request (default 60 s).
	HangLimit time.Duration
	// SlowDelay is how long a "slow" page waits before answering (default 6 s).
	SlowDelay time.Duration
	// Templates are the guide templates items are dealt to, by item code (see Templates); empty
	// is the classic template alone.
	Templates []string
	// Logger receives request errors; nil discards them.
	Logger *slog.Logger
	// Now stamps the recorded submits (/_sim/submits.json); nil means time.Now.
	Now func() time.Time
}

// Server is the simulated 皖事通办 portal. It is safe for concurrent use.
type Server struct {
	cfg      Config
	cat      *catalog.Catalog
	board    *Switchboard
	pages    map[string]*template.Template
	sessions *sessions
	apps     *applications
	submits  submits // every state-changing request that reached the server
	mux      *http.ServeMux

	flakyMu sync.Mutex
	flaky   map[string]int // request counter per item-channel for the flaky defect
}

// New builds a simulator from the configuration.
func New(cfg Config) (*Server, error) {
	cfg = cfg.withDefaults()
	cat, err := catalog.Load()
	if err != nil {
		return nil, fmt.Errorf("load catalogue: %w", err)
	}
	if cfg.Items > 0 {
		cat.AddSynthetic(cfg.Items, cfg.Seed)
	}
	board := NewSwitchboard(cat)
	if err := board.LoadNamed(cfg.Defects); err != nil {
		return nil, err
	}
	for _, t := range cfg.Templates {
		if !slices.Contains(Templates, t) {
			return nil, fmt.Errorf("unknown guide template %q (known: %s)", t, strings.Join(Templates, ", "))
		}
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, cat: cat, board: board, pages: pages,
		sessions: newSessions(), apps: newApplications(),
		flaky: map[string]int{},
	}
	s.routes()
	return s, nil
}

func (c Config) withDefaults() Config {
	if c.Defects == "" {
		c.Defects = "none"
	}
	if c.HangLimit <= 0 {
		c.HangLimit = 60 * time.Second
	}
	if c.SlowDelay <= 0 {
		c.SlowDelay = 6 * time.Second
	}
	c.Account = c.Account.withDefaults()
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Catalog is the simulator's implementation list.
func (s *Server) Catalog() *catalog.Catalog { return s.cat }

// Switchboard is the simulator's defect state.
func (s *Server) Switchboard() *Switchboard { return s.board }

// ServeHTTP serves the portal, recording every state-changing request (Submits).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.submits.record(r, s.cfg.Now())
	s.mux.ServeHTTP(w, r)
}

func (s *Server) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(webFS, "web/static")
	files := http.FileServerFS(static)
	m.Handle("GET /bog-bsdt/static/css/", http.StripPrefix("/bog-bsdt/static/css/", files))
	m.Handle("GET /bog-bsdt/static/js/", http.StripPrefix("/bog-bsdt/static/js/", files))
	m.Handle("GET /bog-bsdt/static/img/", http.StripPrefix("/bog-bsdt/static/img/", files))
	// Browsers ask for /favicon.ico on their own; a 404 there would be a broken resource on
	// every clean page.
	m.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/bog-bsdt/static/img/logo.svg", http.StatusMovedPermanently)
	})
	m.HandleFunc("/bog-bsdt/implement/queryImplements.do", s.handleQuery)
	m.HandleFunc("GET /bog-bsdt/download/material", s.handleDownload)
	m.HandleFunc("GET /catalogue/ssqd.json", s.handleCatalogueJSON)
	m.HandleFunc("GET /catalogue/ssqd.csv", s.handleCatalogueCSV)
	m.HandleFunc("/uccp-server/login", s.handleLogin)
	m.HandleFunc("GET /_sim/defects.json", s.handleDefectsJSON)
	m.HandleFunc("GET /_sim/defects", s.handleDefectList)
	m.HandleFunc("POST /_sim/defects/{code}/{channel}/{defect}/{state}", s.handleDefectSwitch)
	m.HandleFunc("GET /_sim/submits.json", s.handleSubmits)
	m.HandleFunc("GET /_sim/health", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	for _, ch := range channels {
		prefix := channelPrefix(ch)
		m.HandleFunc("GET "+prefix+"/bog-bsdt/static/workProcess.html", s.withChannel(ch, s.handleEntry))
		m.HandleFunc("GET "+prefix+"/bog-bsdt/static/workProcess/components/applicationMaterial.html", s.withChannel(ch, s.handleGuide))
		m.HandleFunc("GET "+prefix+"/bog-bsdt/guide/detail.do", s.withChannel(ch, s.handleGuideData))
		m.HandleFunc(prefix+"/bog-bsdt/static/workProcess/onlineApply.html", s.withChannel(ch, s.handleApply))
		m.HandleFunc(prefix+"/bog-bsdt/apply/{step}", s.withChannel(ch, s.handleApplyStep))
	}
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, channelPrefix(channelOf(r))+"/bog-bsdt/static/workProcess.html?subjecttype=P", http.StatusFound)
	})
	s.mux = m
}

// channelPrefix is the path prefix of a channel's pages: the H5 pages of the 皖事通 app live
// under /h5/ with the same paths as the PC web pages.
func channelPrefix(ch string) string {
	if ch == H5 {
		return "/h5"
	}
	return ""
}

// channelOf guesses the channel of a request without a prefix from the app container's user agent.
func channelOf(r *http.Request) string {
	if strings.Contains(r.UserAgent(), "wzt_mpaas") {
		return H5
	}
	return PC
}

// withChannel redeems SSO tickets and then serves the page for one channel.
func (s *Server) withChannel(ch string, h func(http.ResponseWriter, *http.Request, string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.redeemTicket(w, r) {
			return
		}
		h(w, r, ch)
	}
}

// page is what the layout template renders.
type page struct {
	Channel string
	Base    string // the channel's path prefix
	Title   string
	Back    string          // H5 back link
	D       map[string]bool // switched-on defects, names with _ for -
	Body    any
}

func parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{"inc": func(i int) int { return i + 1 }, "h5": func(ch string) bool { return ch == H5 }}
	names := []string{"entry", "guide_pc", "guide_h5", "guide_table", "guide_dl", "guide_grid", "guide_tabs", "guide_xhr", "notice", "login", "apply_fill", "apply_upload", "apply_confirm", "apply_receipt"}
	pages := map[string]*template.Template{}
	for _, n := range names {
		files := []string{"web/layout.html", "web/" + n + ".html"}
		if strings.HasPrefix(n, "guide_") && n != "guide_pc" && n != "guide_h5" {
			files = append(files, "web/guide_parts.html")
		}
		t, err := template.New(n).Funcs(funcs).ParseFS(webFS, files...)
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", n, err)
		}
		pages[n] = t
	}
	blank, err := template.New("blank").ParseFS(webFS, "web/blank.html")
	if err != nil {
		return nil, err
	}
	pages["blank"] = blank
	return pages, nil
}

func (s *Server) render(w http.ResponseWriter, status int, name string, p page) {
	if p.D == nil {
		p.D = map[string]bool{}
	}
	p.Base = channelPrefix(p.Channel)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := s.pages[name].ExecuteTemplate(w, "layout", p); err != nil {
		s.cfg.Logger.Error("render page", "page", name, "err", err)
	}
}

type notice struct {
	Heading, Message, Link, LinkText string
}

func (s *Server) notice(w http.ResponseWriter, status int, ch, heading, msg string) {
	s.render(w, status, "notice", page{Channel: ch, Title: heading, Body: notice{Heading: heading, Message: msg,
		Link: channelPrefix(ch) + "/bog-bsdt/static/workProcess.html?subjecttype=P", LinkText: "返回事项列表"}})
}

func (s *Server) notFound(w http.ResponseWriter, ch string) {
	s.notice(w, http.StatusNotFound, ch, "页面不存在", "您访问的页面不存在或已被删除（404）。")
}

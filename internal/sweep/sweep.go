package sweep

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"tiyan/internal/browser"
	"tiyan/internal/finding"
	"tiyan/internal/polite"
	"tiyan/probes"
	"tiyan/scenarios"
)

// Families are the probe families a sweep runs on each page, in order. No finding is
// photographed before layout has measured (a screenshot beyond the viewport resizes the page,
// which would count as layout shift): a11y runs first, during layout's wait for late shifts, and
// its findings are photographed after layout. The entrance probe navigates away from the guide,
// so it comes last.
var Families = []string{"channel", "a11y", "layout", "guide", "entrance"}

// probeTimeout bounds one probe family on one page (the entrance signs in and fills a form).
const probeTimeout = 60 * time.Second

// Config is what a sweep needs. Site is required; the zero values of the rest are the defaults.
type Config struct {
	// Site is the portal's profile (its base URL may be a simulator's).
	Site *scenarios.Site
	// Catalogue is the authoritative 实施清单 guides are compared with; nil skips the comparison.
	Catalogue *probes.Catalogue
	// Thresholds are the rule limits; zero fields take the defaults of RULES.md.
	Thresholds probes.Thresholds
	// Channels to sweep; empty means every channel of the site.
	Channels []scenarios.Channel
	// Concurrency is how many item-channels are probed at once, each in its own tab; 0 means 2.
	// The site's politeness (pages in flight) still applies on top.
	Concurrency int
	// Browser starts Chromium; a Chromium that dies is replaced by a fresh one.
	Browser browser.Config
	// HTTP fetches the catalogue API and downloads; nil means a client with a 30 s timeout.
	HTTP *http.Client
	// TLS holds the roots certificates are checked against (CHANNEL-TLS); nil means the system's.
	TLS *tls.Config
	// Env reads sign-in credentials for reading online forms; nil means no sign-in.
	Env func(string) (string, bool)
	// Logger receives progress and prober errors; nil means slog.Default().
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// OnProgress is called after each item-channel; nil: not called.
	OnProgress func(Progress)
	// History keeps every probe's outcome and answers the weekly availability
	// (CHANNEL-AVAILABILITY-WEEK); nil skips the rule.
	History finding.AvailabilityStore
	// RunID names the run in History's records; it may be empty.
	RunID string
	// TemplateShare is the share of a channel's usable guide pages on which the same rule at
	// the same place makes one template finding instead of one finding per item; 0 means 0.8.
	TemplateShare float64
	// TemplateMinItems is the fewest items such a template finding needs; 0 means 5.
	TemplateMinItems int
	// OnFindings receives findings as they are made (after each item-channel, and after each
	// item's comparison across channels), so they can be filed while the sweep goes on. Calls
	// come from one goroutine. Nil: not called.
	OnFindings func([]Finding)
}

// Progress is reported after each item-channel.
type Progress struct {
	Done, Total int
	Item        probes.Item
	Channel     scenarios.Channel
	Findings    int
}

// Sweeper probes items on one site with one Chromium.
type Sweeper struct {
	cfg    Config
	polite *polite.Limiter
	host   string // the site's host, whose politeness the sweep keeps

	mu       sync.Mutex
	browser  *browser.Browser
	restarts int
}

// New checks cfg and applies its defaults. Chromium starts with the first page.
func New(cfg Config) (*Sweeper, error) {
	if cfg.Site == nil {
		return nil, errors.New("sweep: Config.Site is required")
	}
	if len(cfg.Channels) == 0 {
		cfg.Channels = cfg.Site.Channels()
	}
	for _, ch := range cfg.Channels {
		if cfg.Site.ChannelGuide(ch) == nil {
			return nil, fmt.Errorf("站点 %s 不支持渠道 %q（可用：%v）", cfg.Site.Name, ch, cfg.Site.Channels())
		}
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 2
	}
	if cfg.Browser.MaxTabs < cfg.Concurrency+1 {
		cfg.Browser.MaxTabs = cfg.Concurrency + 1 // one spare for the fresh-tab retries
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Thresholds = cfg.Thresholds.WithDefaults()
	pol := cfg.Site.Politeness
	base, err := cfg.Site.URL(scenarios.PC, "/")
	if err != nil {
		return nil, err
	}
	return &Sweeper{cfg: cfg, polite: polite.New(pol.MaxInFlight, pol.Pause), host: base.Host}, nil
}

// Close stops Chromium.
func (s *Sweeper) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.browser == nil {
		return nil
	}
	err := s.browser.Close()
	s.browser = nil
	return err
}

// Restarts is how many times a dead Chromium was replaced.
func (s *Sweeper) Restarts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.restarts
}

// chromium returns a live Chromium, starting one when there is none or the last one died.
func (s *Sweeper) chromium(ctx context.Context) (*browser.Browser, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.browser != nil && s.browser.Alive() {
		return s.browser, nil
	}
	if s.browser != nil {
		_ = s.browser.Close()
		s.restarts++
	}
	b, err := browser.Start(ctx, s.cfg.Browser)
	if err != nil {
		return nil, err
	}
	s.browser = b
	return b, nil
}

// device is the browser device of a channel, with the site's H5 user agent.
func (s *Sweeper) device(ch scenarios.Channel) browser.Device {
	if ch != scenarios.H5 {
		return browser.PC
	}
	d := browser.H5
	if h := s.cfg.Site.H5; h != nil && h.UserAgent != "" {
		d.UserAgent = h.UserAgent
	}
	return d
}

// applicant is the synthetic person who fills an item's forms, the same on every sweep.
func applicant(code string) scenarios.Person {
	h := fnv.New64a()
	h.Write([]byte(code))
	return scenarios.NewFake(h.Sum64()).Person()
}

// ProbeError is a failure of the prober (not of the portal): it is logged and counted, never
// filed as a finding.
type ProbeError struct {
	ItemCode string            `json:"item_code"`
	Channel  scenarios.Channel `json:"channel"`
	Probe    string            `json:"probe"`
	Error    string            `json:"error"`
}

// Channels are the channels this sweeper probes.
func (s *Sweeper) Channels() []scenarios.Channel { return slices.Clone(s.cfg.Channels) }

// OnFindings sets Config.OnFindings before a sweep starts.
func (s *Sweeper) OnFindings(f func([]Finding)) { s.cfg.OnFindings = f }

// Record sets Config.History and Config.RunID before a sweep starts.
func (s *Sweeper) Record(h finding.AvailabilityStore, runID string) {
	s.cfg.History, s.cfg.RunID = h, runID
}

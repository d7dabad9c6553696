package probes

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"tiyan/scenarios"
)

// Probe checks one page and returns what is wrong with it. An error means the probe could not
// look (the browser died, our own time budget ran out); it is never a finding about the portal.
type Probe func(ctx context.Context, p *Page) ([]Observation, error)

// Page is what a probe looks at: one item's page, loaded in a browser tab on one channel.
type Page struct {
	// Tab is the browser tab (a chromedp context from internal/browser) with the page loaded.
	Tab context.Context
	// Channel is the channel the page was opened on.
	Channel scenarios.Channel
	// Item is the service item the page belongs to.
	Item Item
	// URL is the address that was opened.
	URL string
	// Load is what happened while the page loaded.
	Load *Load
	// Site is the profile of the portal (where guide elements are, the entrance, …).
	Site *scenarios.Site
	// Thresholds are the rule limits in force.
	Thresholds Thresholds
	// Attempts counts the loads of this page so far, this one included: a page that failed to
	// load is tried again from fresh tabs before it is reported unreachable.
	Attempts int
	// Reference is the item in the authoritative catalogue (实施清单); nil when none is configured
	// or the catalogue does not list the item.
	Reference *Reference
	// Guide is the guide as read from the page (ReadGuide); nil until read, or when the page is
	// not a guide.
	Guide *Guide
	// HTTP fetches downloads (空表/样表) and checks certificates. Nil means http.DefaultClient.
	HTTP *http.Client
	// Env reads sign-in credentials (the site profile names the variables). Nil: no sign-in,
	// so the online form is not read.
	Env func(string) (string, bool)
	// Applicant is the synthetic person whose details fill a form up to its upload slots.
	Applicant scenarios.Person
}

// Item names a service item as the catalogue lists it.
type Item struct {
	ID   string `json:"id"`   // the portal's internal id (ssqdId)
	Code string `json:"code"` // 事项编码
	Name string `json:"name"`
	Unit string `json:"unit"` // 实施主体
	Zone string `json:"zone"` // jurisdiction code
}

// Load records what happened while the page loaded.
type Load struct {
	// Status is the main document's HTTP status; 0 when no response came.
	Status int `json:"status"`
	// Duration is from the start of navigation to the load event (or to giving up).
	Duration time.Duration `json:"-"`
	// Failed lists subresources that answered ≥ 400 or failed to load.
	Failed []Request `json:"failed,omitempty"`
	// Exceptions lists uncaught JavaScript exceptions.
	Exceptions []string `json:"exceptions,omitempty"`
	// Err is why the page did not load (connection refused, timed out), nil when it did.
	Err error `json:"-"`
}

// Request is one entry of a request log.
type Request struct {
	URL    string `json:"url"`
	Type   string `json:"type,omitempty"` // Document, Image, Script, Stylesheet, …
	Status int    `json:"status,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Observation is one thing wrong with a page, with its evidence.
type Observation struct {
	// Rule is the rule ID of rules.go (or A11Y-<axe rule id>).
	Rule string `json:"rule"`
	// Severity overrides the rule's default where the rule says so (LAYOUT-OVERFLOW on H5).
	Severity Severity `json:"severity,omitempty"`
	// Title is one line in Chinese; Detail says what is wrong, where, what it should be and the
	// standard behind it, in words a window unit understands.
	Title  string `json:"title"`
	Detail string `json:"detail"`
	// Locator names the element or value concerned, stably across days (an element key, a
	// selector without positions that change): it is part of the fingerprint.
	Locator string `json:"locator,omitempty"`
	// Box is the element's box in document CSS pixels, outlined on the annotated screenshot.
	Box *Box `json:"box,omitempty"`
	// Measured holds the measured values (widths, sizes, the catalogue's and the page's values).
	Measured map[string]any `json:"measured,omitempty"`
	// DOM is an excerpt of the offending element's HTML.
	DOM string `json:"dom,omitempty"`
	// Requests is the request log where it matters (broken resources, HTTP errors).
	Requests []Request `json:"requests,omitempty"`
	// Uncertain marks an observation the rule is not sure of (it says so in Detail).
	Uncertain bool `json:"uncertain,omitempty"`
	// URL is the page the observation is about when it is not the probed page (an entrance, a
	// download link).
	URL string `json:"url,omitempty"`
}

// Box is a rectangle in document CSS pixels.
type Box struct {
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// registry holds the probes by name. It is filled by init functions of this package and only
// read afterwards.
var registry = map[string]Probe{}

func register(name string, p Probe) {
	if _, dup := registry[name]; dup {
		panic("probes: " + name + " registered twice")
	}
	registry[name] = p
}

// Lookup returns the probe registered under name.
func Lookup(name string) (Probe, error) {
	p, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("unknown probe %q (known: %v)", name, Names())
	}
	return p, nil
}

// Names lists the registered probes in order.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

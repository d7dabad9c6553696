package axe

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"tiyan/internal/browser"
)

// DefaultTags select the WCAG 2.0 and 2.1 rules of levels A and AA.
var DefaultTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Options narrow a run. The zero value checks the whole page against
// DefaultTags.
type Options struct {
	// Tags select the rules to run by their axe tags. Nil means DefaultTags.
	Tags []string
	// Include is a CSS selector of the part of the page to check, such as
	// the guide's main column. Empty means the whole document.
	Include string
}

// Impact is how much a problem hinders a user, as axe rates it.
type Impact string

// The impacts, from least to most severe.
const (
	Minor    Impact = "minor"
	Moderate Impact = "moderate"
	Serious  Impact = "serious"
	Critical Impact = "critical"
)

// Result is what one run found.
type Result struct {
	// Engine is the axe-core version that ran.
	Engine string `json:"engine"`
	// URL is the page that was checked.
	URL string `json:"url"`
	// Violations are rules that failed.
	Violations []Rule `json:"violations"`
	// Incomplete are rules axe could not decide (for example contrast over
	// a background image); a person has to look, so they are never findings
	// on their own.
	Incomplete []Rule `json:"incomplete"`
}

// Rule is one axe rule and the elements it flagged.
type Rule struct {
	ID          string   `json:"id"` // such as "image-alt"
	Impact      Impact   `json:"impact"`
	Help        string   `json:"help"` // one line, English
	Description string   `json:"description"`
	HelpURL     string   `json:"helpUrl"`
	Tags        []string `json:"tags"`
	Nodes       []Node   `json:"nodes"`
}

// Node is one flagged element.
type Node struct {
	// Target is the element's selector; more than one entry means a path
	// through iframes, and " >>> " inside one crosses a shadow root.
	Target []string `json:"target"`
	// HTML is the element's opening markup, truncated by axe.
	HTML           string `json:"html"`
	Impact         Impact `json:"impact"`
	FailureSummary string `json:"failureSummary"`
	// Box is where the element is on the page, for annotated screenshots;
	// nil when axe's selector cannot be resolved from the top document.
	Box *Box `json:"box"`
}

// Box is a rectangle in CSS pixels relative to the top-left of the document
// (not the viewport), so it stays valid after scrolling.
type Box struct {
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// Run checks the page loaded in a browser session, injecting axe-core first
// if the page does not have this version yet. ctx bounds the run; axe on a
// large page takes seconds, so give it a deadline. Frames are not entered:
// a page's iframes are reported by axe as incomplete, not checked.
func Run(ctx context.Context, opts Options) (Result, error) {
	if err := inject(ctx); err != nil {
		return Result{}, err
	}
	js, err := runScript(opts)
	if err != nil {
		return Result{}, err
	}
	res, err := browser.EvalJSON[Result](ctx, js)
	if err != nil {
		return Result{}, fmt.Errorf("axe run: %w", err)
	}
	return res, nil
}

// inject loads axe into the page unless this version is already there, so a
// second Run on the same page does not pay for 650 KB of JavaScript again.
func inject(ctx context.Context) error {
	have, err := browser.EvalJSON[string](ctx, `(typeof axe === "object" && axe && axe.version) || ""`)
	if err != nil {
		return fmt.Errorf("axe: look for axe in the page: %w", err)
	}
	if have == Version() {
		return nil
	}
	if err := browser.Exec(ctx, Source()); err != nil {
		return fmt.Errorf("axe: inject axe-core %s: %w", Version(), err)
	}
	return nil
}

// runScript builds the expression that runs axe and reduces its answer to
// Result's shape in the page, so only what tiyan keeps crosses the protocol.
func runScript(opts Options) (string, error) {
	tags := opts.Tags
	if tags == nil {
		tags = DefaultTags
	}
	axeOpts := map[string]any{
		"runOnly": map[string]any{"type": "tag", "values": tags},
		// Incomplete needs its nodes too; passes and inapplicable keep
		// one node each, which keeps big pages fast.
		"resultTypes": []string{"violations", "incomplete"},
		"iframes":     false,
	}
	o, err := json.Marshal(axeOpts)
	if err != nil {
		return "", err
	}
	include, err := json.Marshal(opts.Include)
	if err != nil {
		return "", err
	}
	r := strings.NewReplacer("OPTIONS", string(o), "INCLUDE", string(include))
	return r.Replace(runJS), nil
}

// runJS runs axe and maps its results; OPTIONS and INCLUDE are replaced with
// JSON.
const runJS = `(async () => {
	const include = INCLUDE;
	const r = await axe.run(include || document, OPTIONS);
	const box = (n) => {
		if (n.target.length !== 1 || typeof n.target[0] !== "string") return null;
		const el = document.querySelector(n.target[0]);
		if (!el) return null;
		const b = el.getBoundingClientRect();
		return {x: b.x + window.scrollX, y: b.y + window.scrollY, width: b.width, height: b.height};
	};
	const node = (n) => ({
		target: n.target.map((t) => Array.isArray(t) ? t.join(" >>> ") : t),
		html: n.html, impact: n.impact || "", failureSummary: n.failureSummary || "", box: box(n),
	});
	const rule = (x) => ({
		id: x.id, impact: x.impact || "", help: x.help, description: x.description,
		helpUrl: x.helpUrl, tags: x.tags, nodes: x.nodes.map(node),
	});
	return {
		engine: r.testEngine.version, url: r.url,
		violations: r.violations.map(rule), incomplete: r.incomplete.map(rule),
	};
})()`

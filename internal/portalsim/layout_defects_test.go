package portalsim

import (
	"context"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"tiyan/internal/axe"
	"tiyan/internal/browser"
	"tiyan/internal/portalsim/catalog"
)

// layoutCheck measures, in the browser, the effect a layout defect must have.
type layoutCheck struct {
	defect string
	js     string // evaluates to true when the defect shows (and false on the clean page)
	axeID  string // or: axe reports this rule as serious or critical
	fits   func(catalog.Item) bool
}

var layoutChecks = []layoutCheck{
	{defect: "overflow", js: `document.documentElement.scrollWidth > document.documentElement.clientWidth + 2`},
	{defect: "offscreen", js: `[...document.querySelectorAll('button, a[href]')].some(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > document.documentElement.clientWidth || r.left < 0); })`},
	{defect: "obscured", fits: online, js: `(() => { const b = document.getElementById('online-apply'); const r = b.getBoundingClientRect();
		const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); return !b.contains(top); })()`},
	{defect: "overlap", js: `(() => { const a = document.getElementById('item-name').getBoundingClientRect(), b = document.querySelector('.item-code').getBoundingClientRect();
		const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
		return w > 0 && h > 0 && w * h > 0.2 * Math.min(a.width * a.height, b.width * b.height); })()`},
	{defect: "truncated", js: `[...document.querySelectorAll('[data-element=bldz] *')].some(c => c.scrollWidth > c.clientWidth && getComputedStyle(c).textOverflow === 'ellipsis')`},
	{defect: "small-text", js: `parseFloat(getComputedStyle(document.querySelector('[data-element=sltj] td, [data-element=sltj] dd')).fontSize) < (document.documentElement.clientWidth < 500 ? 14 : 12)`},
	{defect: "no-elder-mode", js: `document.querySelectorAll('.elder-toggle').length === 0`},
	{defect: "tap-target", fits: hasAttachment, js: `[...document.querySelectorAll('#materials a[href]')].some(e => { const r = e.getBoundingClientRect(); return r.height < 44 || r.width < 44; })`},
	{defect: "popup", js: `(() => { const e = document.querySelector('[role=dialog]'); return !!e && e.getBoundingClientRect().height > 0; })()`},
	{defect: "layout-shift", js: `new Promise(done => setTimeout(() => { let cls = 0;
		new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput) cls += e.value; done(cls > 0.1); })
			.observe({type: 'layout-shift', buffered: true}); setTimeout(() => done(cls > 0.1), 200); }, 1200))`},
	{defect: "broken-image", js: `new Promise(done => setTimeout(() => done([...document.images].some(i => i.complete && i.naturalWidth === 0)), 300))`},
	{defect: "low-contrast", axeID: "color-contrast"},
	{defect: "image-alt", axeID: "image-alt"},
	{defect: "input-label", axeID: "label"},
	{defect: "button-name", axeID: "button-name"},
}

// TestLayoutDefectsShowInChromium switches each layout defect on and measures, in a real browser,
// that it has the effect its rule looks for, on each channel it applies to, and not without it.
func TestLayoutDefectsShowInChromium(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	for _, lc := range layoutChecks {
		d, err := DefectByName(lc.defect)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range channels {
			if d.Only != "" && d.Only != ch {
				continue
			}
			t.Run(lc.defect+"/"+ch, func(t *testing.T) {
				it := pick(t, s, func(it catalog.Item) bool { return d.fits(it, ch) == "" && (lc.fits == nil || lc.fits(it)) })
				ctx := tab(t, ch)
				if shows(t, ctx, lc, guideURL(ts.URL, it, ch)) {
					t.Fatal("the clean page already shows it")
				}
				if err := s.Switchboard().Set(it.Code, ch, lc.defect, true); err != nil {
					t.Fatal(err)
				}
				defer s.Switchboard().Set(it.Code, ch, lc.defect, false)
				if !shows(t, ctx, lc, guideURL(ts.URL, it, ch)) {
					t.Error("switched on, but the page does not show it")
				}
			})
		}
	}
}

func shows(t *testing.T, ctx context.Context, lc layoutCheck, url string) bool {
	t.Helper()
	open(t, ctx, url)
	if lc.js != "" {
		return eval[bool](t, ctx, lc.js)
	}
	res, err := axe.Run(ctx, axe.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(res.Violations, func(r axe.Rule) bool {
		return r.ID == lc.axeID && (r.Impact == axe.Serious || r.Impact == axe.Critical)
	})
}

// TestScriptErrorDefect: the script-error defect throws an uncaught exception in the page.
func TestScriptErrorDefect(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	it := s.Catalog().Items()[0]
	for _, on := range []bool{false, true} {
		if err := s.Switchboard().Set(it.Code, PC, "script-error", on); err != nil {
			t.Fatal(err)
		}
		ctx := tab(t, PC)
		messages := chromedp.Console(ctx)
		open(t, ctx, guideURL(ts.URL, it, PC))
		if err := browser.Do(ctx, chromedp.Evaluate[chromedp.Void](`console.info('probe-end')`)); err != nil {
			t.Fatal(err)
		}
		threw := false
		for m, err := range messages {
			if err != nil {
				t.Fatal(err)
			}
			if m.IsException() {
				threw = true
			}
			if m.Text == "probe-end" {
				break
			}
		}
		if threw != on {
			t.Errorf("script-error %v: exception thrown %v", on, threw)
		}
	}
}

package probes

import (
	"bytes"
	"context"
	"image/color"
	"image/png"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tiyan/internal/browser"
	"tiyan/internal/portalsim"
	"tiyan/internal/portalsim/catalog"
	"tiyan/scenarios"
)

// The simulator tests switch each layout and accessibility defect of internal/portalsim on for
// one item and channel and check that the layout and a11y probes together file exactly the rules
// the defect expects; on the clean simulator they must file nothing at all. The testdata pages
// cover what the simulator does not show.

var channelDevices = map[string]browser.Device{portalsim.PC: browser.PC, portalsim.H5: browser.H5}

// startPortal starts a simulator with no defects for one test.
func startPortal(t testing.TB) (*portalsim.Server, *httptest.Server) {
	t.Helper()
	s, err := portalsim.New(portalsim.Config{Defects: "none"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

// portalGuideURL is an item's guide page on a channel, as the portal links it.
func portalGuideURL(base string, it catalog.Item, ch string) string {
	return base + portalPrefix(ch) + "/bog-bsdt/static/workProcess/components/applicationMaterial.html?ssqdId=" + it.ID + "&ssqdCode=" + it.Code
}

func portalPrefix(ch string) string {
	if ch == portalsim.H5 {
		return "/h5"
	}
	return ""
}

// openPage loads url in tab and returns the Page probes look at.
func openPage(t testing.TB, tab context.Context, ch, url string, th Thresholds) *Page {
	t.Helper()
	load, err := Open(tab, url, th)
	if err != nil {
		t.Fatal(err)
	}
	if load.Err != nil || load.Status != 200 {
		t.Fatalf("%s: status %d, %v", url, load.Status, load.Err)
	}
	return &Page{Tab: tab, Channel: scenarios.Channel(ch), URL: url, Load: load, Thresholds: th}
}

// observe runs the named probes on the page.
func observe(t testing.TB, p *Page, probes ...string) []Observation {
	t.Helper()
	var all []Observation
	for _, name := range probes {
		probe, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		obs, err := probe(t.Context(), p)
		if err != nil {
			t.Fatalf("%s on %s: %v", name, p.URL, err)
		}
		all = append(all, obs...)
	}
	return all
}

// ruleSet is the sorted set of rules observed.
func ruleSet(obs []Observation) []string {
	var rules []string
	for _, o := range obs {
		if !slices.Contains(rules, o.Rule) {
			rules = append(rules, o.Rule)
		}
	}
	slices.Sort(rules)
	return rules
}

func dump(obs []Observation) string {
	var b strings.Builder
	for _, o := range obs {
		b.WriteString("\n  " + o.Rule + " [" + o.Locator + "] " + o.Title + " — " + o.Detail)
	}
	return b.String()
}

// isPageDefect reports whether a defect belongs to the layout and accessibility family.
func isPageDefect(d portalsim.Defect) bool {
	return slices.ContainsFunc(d.Rules, func(r string) bool {
		return strings.HasPrefix(r, "LAYOUT-") || strings.HasPrefix(r, A11yPrefix)
	})
}

// switchOn switches a defect on for the first item it fits on the channel.
func switchOn(t testing.TB, s *portalsim.Server, defect, ch string) catalog.Item {
	t.Helper()
	for _, it := range s.Catalog().Items() {
		if s.Switchboard().Set(it.Code, ch, defect, true) == nil {
			return it
		}
	}
	t.Fatalf("defect %s fits no item on %s", defect, ch)
	return catalog.Item{}
}

// patient are the default thresholds with a long axe budget: four tabs share two cores here,
// often with other builds running, and a budget overrun is an error, not a finding
// (TestA11yBudget covers it).
var patient = Thresholds{AxeBudget: 30 * time.Second}

// pageCase is a subtest that needs a tab on its channel.
type pageCase struct {
	name, ch string
	run      func(t *testing.T, tab context.Context)
}

// runPages runs the cases as subtests on four tabs of the shared browser (its MaxTabs), two per
// channel, each tab going from page to page as a sweep does. t.Parallel would allow only
// GOMAXPROCS cases at once, and most of a case's time is waiting for late layout shifts.
func runPages(t *testing.T, cases []pageCase) {
	var wg sync.WaitGroup
	for _, ch := range []string{portalsim.PC, portalsim.H5} {
		next := make(chan pageCase)
		for range 2 {
			tab := chromium.Session(t, channelDevices[ch])
			wg.Go(func() {
				for c := range next {
					t.Run(c.name, func(t *testing.T) {
						ctx, cancel := context.WithTimeout(tab, 60*time.Second)
						defer cancel()
						c.run(t, ctx)
					})
				}
			})
		}
		wg.Go(func() {
			defer close(next)
			for _, c := range cases {
				if c.ch == ch {
					next <- c
				}
			}
		})
	}
	wg.Wait()
}

func TestPageDefectsOnSimulator(t *testing.T) {
	var cases []pageCase
	for _, d := range portalsim.Defects() {
		if !isPageDefect(d) {
			continue
		}
		for _, ch := range []string{portalsim.PC, portalsim.H5} {
			if d.Only != "" && d.Only != ch {
				continue
			}
			cases = append(cases, pageCase{name: d.Name + "/" + ch, ch: ch, run: func(t *testing.T, tab context.Context) {
				s, ts := startPortal(t)
				it := switchOn(t, s, d.Name, ch)
				obs := observe(t, openPage(t, tab, ch, portalGuideURL(ts.URL, it, ch), patient), "layout", "a11y")
				if got := ruleSet(obs); !slices.Equal(got, d.Rules) {
					t.Errorf("%s on %s %s: rules %v, want exactly %v:%s", d.Name, it.Code, ch, got, d.Rules, dump(obs))
				}
				checkEvidence(t, obs)
			}})
		}
	}
	runPages(t, cases)
}

// checkEvidence: every observation can be filed: a title, a detail with its basis, a locator,
// and a box wherever the rule concerns an element.
func checkEvidence(t *testing.T, obs []Observation) {
	t.Helper()
	for _, o := range obs {
		if o.Title == "" || !strings.Contains(o.Detail, "依据") || o.Locator == "" {
			t.Errorf("%s: incomplete observation %+v", o.Rule, o)
		}
		if _, ok := RuleByID(o.Rule); !ok {
			t.Errorf("unknown rule %s", o.Rule)
		}
		pageWide := o.Rule == "LAYOUT-SCRIPT-ERROR" || o.Rule == "LAYOUT-NO-ELDER-MODE"
		if o.Box == nil && !pageWide {
			t.Errorf("%s [%s]: no box to outline", o.Rule, o.Locator)
		}
		if o.Box != nil && o.DOM == "" {
			t.Errorf("%s [%s]: a box but no DOM excerpt", o.Rule, o.Locator)
		}
		if strings.Contains(o.Locator, "nth-") {
			t.Errorf("%s: locator %q has positions that shift from day to day", o.Rule, o.Locator)
		}
	}
}

// TestCleanSimulatorHasNoFindings: on the clean simulator, layout and a11y file nothing on any
// item's guide page, on either channel, nor on the list and sign-in pages. The guide pages are
// watched for layout shifts for 300 ms instead of 1.5 s to keep the test short: they are static
// pages, nothing on them moves later (the list and sign-in pages, and every defect case, keep
// the full watch).
func TestCleanSimulatorHasNoFindings(t *testing.T) {
	s, ts := startPortal(t)
	quick := patient
	quick.ShiftWatch = 300 * time.Millisecond
	var cases []pageCase
	add := func(ch, url string, th Thresholds) {
		cases = append(cases, pageCase{name: ch + url[len(ts.URL):], ch: ch, run: func(t *testing.T, tab context.Context) {
			if obs := observe(t, openPage(t, tab, ch, url, th), "layout", "a11y"); len(obs) > 0 {
				t.Errorf("clean page, findings:%s", dump(obs))
			}
		}})
	}
	for _, ch := range []string{portalsim.PC, portalsim.H5} {
		add(ch, ts.URL+portalPrefix(ch)+"/bog-bsdt/static/workProcess.html?subjecttype=P", patient)
		add(ch, ts.URL+portalPrefix(ch)+"/bog-bsdt/static/workProcess.html?subjecttype=C&currentPageNo=2", patient)
		add(ch, ts.URL+"/uccp-server/login?service="+portalPrefix(ch)+"/bog-bsdt/static/workProcess.html", patient)
		for _, it := range s.Catalog().Items() {
			add(ch, portalGuideURL(ts.URL, it, ch), quick)
		}
	}
	runPages(t, cases)
}

// TestCleanApplyFormHasNoFindings: the online form behind 在线办理 (after signing in with the
// test account), with its 下一步 button and consent box, is clean too.
func TestCleanApplyFormHasNoFindings(t *testing.T) {
	s, ts := startPortal(t)
	var it catalog.Item
	for _, c := range s.Catalog().Items() {
		if c.Online && len(c.Fields) > 0 {
			it = c
			break
		}
	}
	var cases []pageCase
	for _, ch := range []string{portalsim.PC, portalsim.H5} {
		cases = append(cases, pageCase{name: ch, ch: ch, run: func(t *testing.T, tab context.Context) {
			form := openApplyForm(t, tab, ts.URL+portalPrefix(ch)+"/bog-bsdt/static/workProcess/onlineApply.html?ssqdCode="+it.Code)
			if obs := observe(t, openPage(t, tab, ch, form, patient), "layout", "a11y"); len(obs) > 0 {
				t.Errorf("clean form, findings:%s", dump(obs))
			}
		}})
	}
	runPages(t, cases)
}

// openApplyForm follows an entrance to the simulator's SSO, signs in as a person would and returns the
// address of the form it leads back to.
func openApplyForm(t *testing.T, tab context.Context, entrance string) string {
	t.Helper()
	acct := portalsim.DefaultAccount
	err := browser.Do(tab,
		chromedp.Navigate(entrance),
		chromedp.SendKeys(chromedp.ID("phone"), acct.Phone),
		chromedp.SendKeys(chromedp.ID("password"), acct.Password),
		chromedp.SendKeys(chromedp.ID("sms"), acct.SMSCode),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("input[name=consent]")))
	if err != nil {
		t.Fatalf("sign in through %s: %v", entrance, err)
	}
	form, err := browser.Run(tab, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return form
}

// TestLayoutOnTestdata covers what the simulator does not show: layers without role=dialog,
// a line clamp, a key control below the fold, a quirks-mode page, broken resources, and a page
// full of things that only look like defects.
func TestLayoutOnTestdata(t *testing.T) {
	ts := testdataServer(t)
	type want map[string][]string // rule → locators, in any order
	cases := []struct {
		page, ch string
		want     want
	}{
		{"layout-clean.html", portalsim.PC, want{}},
		{"layout-clean.html", portalsim.H5, want{}},
		{"layout-popups.html", portalsim.PC, want{"LAYOUT-POPUP": {"#promo", "#notice"}}},
		{"layout-popups.html", portalsim.H5, want{"LAYOUT-POPUP": {"#promo", "#notice"}}},
		{"layout-cut.html", portalsim.PC, want{"LAYOUT-TRUNCATED": {`[data-material="营业执照"]`}, "LAYOUT-OBSCURED": {"#submit"}}},
		{"layout-cut.html", portalsim.H5, want{"LAYOUT-TRUNCATED": {`[data-material="营业执照"]`}, "LAYOUT-OBSCURED": {"#submit"}}},
		{"layout-quirks.html", portalsim.PC, want{"LAYOUT-OVERFLOW": {pageLocator}, "LAYOUT-SMALL-TEXT": {pageLocator}, "LAYOUT-NO-ELDER-MODE": {"elder-mode"}}},
		{"broken.html", portalsim.PC, want{"LAYOUT-BROKEN-RESOURCE": {"resources"}, "LAYOUT-SCRIPT-ERROR": {pageLocator}, "LAYOUT-NO-ELDER-MODE": {"elder-mode"}}},
	}
	var pc []pageCase
	for _, c := range cases {
		pc = append(pc, pageCase{name: c.page + "/" + c.ch, ch: c.ch, run: func(t *testing.T, tab context.Context) {
			p := openPage(t, tab, c.ch, ts.URL+"/"+c.page, Thresholds{})
			obs := observe(t, p, "layout")
			got := want{}
			for _, o := range obs {
				got[o.Rule] = append(got[o.Rule], o.Locator)
			}
			for _, locs := range got {
				slices.Sort(locs)
			}
			for _, locs := range c.want {
				slices.Sort(locs)
			}
			if !mapsEqual(got, c.want) {
				t.Errorf("findings %v, want %v:%s", got, c.want, dump(obs))
			}
			checkEvidence(t, obs)
			if y, err := browser.EvalJSON[float64](tab, `scrollY`); err != nil || y != 0 {
				t.Errorf("the probe left the page scrolled to %v (%v)", y, err)
			}
		}})
	}
	runPages(t, pc)
}

func mapsEqual(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// TestBrokenResourceEvidence: the broken image is the finding's box, its request is logged, and
// the browser's own favicon request is not a resource of the page.
func TestBrokenResourceEvidence(t *testing.T) {
	ts := testdataServer(t)
	p := openPage(t, chromium.Session(t, browser.PC), portalsim.PC, ts.URL+"/broken.html", Thresholds{})
	for _, o := range observe(t, p, "layout") {
		if o.Rule != "LAYOUT-BROKEN-RESOURCE" {
			continue
		}
		if len(o.Requests) != 1 || !strings.HasSuffix(o.Requests[0].URL, "/missing.png") || o.Requests[0].Status != 404 {
			t.Errorf("requests %+v, want only the missing image", o.Requests)
		}
		// A broken image shows its alt text, in a box of the text's size.
		if o.Box == nil || o.Box.Width == 0 || !strings.Contains(o.DOM, "missing.png") {
			t.Errorf("box %+v, DOM %q: want the broken image", o.Box, o.DOM)
		}
		return
	}
	t.Error("no LAYOUT-BROKEN-RESOURCE")
}

// TestShiftAfterInputIsNotAJump: content that moves because the user tapped is the page
// answering, not a layout shift; the same move without input is one (the simulator's
// layout-shift defect).
func TestShiftAfterInputIsNotAJump(t *testing.T) {
	ts := testdataServer(t)
	for _, ch := range []string{portalsim.PC, portalsim.H5} {
		t.Run(ch, func(t *testing.T) {
			tab := chromium.Session(t, channelDevices[ch])
			p := openPage(t, tab, ch, ts.URL+"/layout-shift-input.html", Thresholds{})
			press := chromedp.Click(chromedp.ID("elder"))
			if ch == portalsim.H5 {
				press = chromedp.Tap(chromedp.ID("elder"))
			}
			if err := browser.Do(tab, press); err != nil {
				t.Fatal(err)
			}
			for _, o := range observe(t, p, "layout") {
				t.Errorf("after a tap: %s %s", o.Rule, o.Detail)
			}
			m, err := measureLayout(t.Context(), p, Thresholds{}.WithDefaults())
			if err != nil {
				t.Fatal(err)
			}
			if m.Shift == nil || m.Shift.Ignored <= 0.1 || !m.Shift.SawInput {
				t.Errorf("shift %+v: want the tap's shift (> 0.1) seen and set aside as answering input", m.Shift)
			}
		})
	}
}

// TestObscuredEvidence: the annotated screenshot of a LAYOUT-OBSCURED finding shows what
// covers the button: at the centre of the box is the chat widget's blue, not the button's red.
func TestObscuredEvidence(t *testing.T) {
	s, ts := startPortal(t)
	it := switchOn(t, s, "obscured", portalsim.PC)
	tab := chromium.Session(t, browser.PC)
	p := openPage(t, tab, portalsim.PC, portalGuideURL(ts.URL, it, portalsim.PC), Thresholds{})
	obs := observe(t, p, "layout")
	if len(obs) != 1 || obs[0].Rule != "LAYOUT-OBSCURED" || obs[0].Locator != "#online-apply" {
		t.Fatalf("want one LAYOUT-OBSCURED on #online-apply:%s", dump(obs))
	}
	b := obs[0].Box
	shot, err := browser.Annotated(tab, []browser.Box{{X: b.X, Y: b.Y, Width: b.Width, Height: b.Height}})
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	// The region is one viewport from the top of the page here (the button is near the top).
	r, g, bl, _ := img.At(int(b.X+b.Width/2), int(b.Y+b.Height/2)).RGBA()
	if got := (color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 0xff}); got != (color.RGBA{0x0b, 0x4e, 0xa2, 0xff}) {
		t.Errorf("centre of the button in the screenshot is %v, want the chat widget's #0b4ea2", got)
	}
}

// BenchmarkLayoutProbe times the layout probe on a simulator guide page once the page has
// settled (the wait for late layout shifts, up to Thresholds.ShiftWatch after navigation, is
// not the probe's work and has passed).
func BenchmarkLayoutProbe(b *testing.B) {
	s, ts := startPortal(b)
	it := s.Catalog().Items()[0]
	for _, ch := range []string{portalsim.PC, portalsim.H5} {
		b.Run(ch, func(b *testing.B) {
			tab := chromium.Session(b, channelDevices[ch])
			p := openPage(b, tab, ch, portalGuideURL(ts.URL, it, ch), Thresholds{})
			observe(b, p, "layout") // waits out the shift watch
			for b.Loop() {
				if obs := observe(b, p, "layout"); len(obs) != 0 {
					b.Fatalf("clean page:%s", dump(obs))
				}
			}
		})
	}
}

// TestLayoutRuleFailureCostsThatRuleOnly: a page that breaks one rule's measurement still gets
// the other rules' observations, with an error that names the rule.
func TestLayoutRuleFailureCostsThatRuleOnly(t *testing.T) {
	ts := testdataServer(t)
	p := openPage(t, chromium.Session(t, browser.PC), portalsim.PC, ts.URL+"/layout-hostile.html", Thresholds{})
	obs, err := Layout(t.Context(), p)
	if err == nil || !strings.Contains(err.Error(), "overlap") {
		t.Errorf("error %v, want one naming the overlap rule", err)
	}
	if got := ruleSet(obs); !slices.Equal(got, []string{"LAYOUT-SMALL-TEXT"}) {
		t.Errorf("rules %v, want the small text still reported:%s", got, dump(obs))
	}
}

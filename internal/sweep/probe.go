package sweep

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"tiyan/internal/browser"
	"tiyan/internal/finding"
	"tiyan/probes"
	"tiyan/scenarios"
)

// ChannelResult is what probing one item on one channel gave.
type ChannelResult struct {
	Item      probes.Item
	Channel   scenarios.Channel
	URL       string
	Findings  []Finding
	Errors    []ProbeError
	Guide     *probes.Guide // nil when the page was not a usable guide
	Reachable bool          // the guide page loaded (whatever it showed)
	Duration  time.Duration
	// Timings is how long each step took: "open" (session, load and reading the guide) and
	// each probe family, evidence included.
	Timings map[string]time.Duration
	// Refused are the requests the read-only browser refused while probing (a form's 下一步
	// that would have sent it, a page's beacon): what was kept from the portal, never a finding.
	Refused []browser.Refusal
}

// ProbeChannel opens one item's guide on one channel and runs every probe family on it. A dead
// browser is replaced and the item-channel tried once more.
func (s *Sweeper) ProbeChannel(ctx context.Context, it probes.Item, ch scenarios.Channel) ChannelResult {
	start := time.Now()
	res := s.probeChannel(ctx, it, ch)
	if died(res.Errors) && ctx.Err() == nil {
		s.cfg.Logger.Warn("chromium died; probing again in a fresh one", "item", it.Code, "channel", ch)
		res = s.probeChannel(ctx, it, ch)
	}
	res.Findings = keepMostSpecific(res.Findings, res.URL)
	s.availability(ctx, &res)
	res.Duration = time.Since(start)
	return res
}

// unavailable are the rules that mean a probe could not open a usable guide.
var unavailable = []string{"CHANNEL-UNREACHABLE", "CHANNEL-HTTP-ERROR", "CHANNEL-ERROR-PAGE"}

// availability records this probe's outcome and adds CHANNEL-AVAILABILITY-WEEK when the week's
// share of failed probes is too high. A probe the prober could not make is not recorded.
func (s *Sweeper) availability(ctx context.Context, res *ChannelResult) {
	if s.cfg.History == nil || slices.ContainsFunc(res.Errors, func(e ProbeError) bool { return e.Probe == "open" || e.Probe == "browser" }) {
		return
	}
	now := s.cfg.Now()
	ok := !slices.ContainsFunc(res.Findings, func(f Finding) bool { return slices.Contains(unavailable, f.Rule) })
	out := finding.ProbeOutcome{RunID: s.cfg.RunID, ItemCode: res.Item.Code, Channel: finding.Channel(res.Channel), At: now, OK: ok}
	if err := s.cfg.History.RecordProbes(ctx, []finding.ProbeOutcome{out}); err != nil {
		s.cfg.Logger.Warn("record probe outcome", "item", res.Item.Code, "error", err)
		return
	}
	st, err := s.cfg.History.ProbeStats(ctx, res.Item.Code, out.Channel, now.Add(-s.cfg.Thresholds.AvailabilityWindow))
	if err != nil {
		s.cfg.Logger.Warn("probe stats", "item", res.Item.Code, "error", err)
		return
	}
	for _, o := range probes.AvailabilityWeek(st.Total, st.Failed, s.cfg.Thresholds) {
		res.Findings = append(res.Findings, newFinding(o, res.Item, res.Channel, res.URL, now))
	}
}

func died(errs []ProbeError) bool {
	for _, e := range errs {
		if e.Probe == "browser" {
			return true
		}
	}
	return false
}

func (s *Sweeper) probeChannel(ctx context.Context, it probes.Item, ch scenarios.Channel) (res ChannelResult) {
	res = ChannelResult{Item: it, Channel: ch, Timings: map[string]time.Duration{}}
	fail := func(probe string, err error) ChannelResult {
		if errors.Is(err, browser.ErrBrowserDied) {
			probe = "browser"
		}
		res.Errors = append(res.Errors, ProbeError{ItemCode: it.Code, Channel: ch, Probe: probe, Error: err.Error()})
		s.cfg.Logger.Warn("prober error", "item", it.Code, "channel", ch, "probe", probe, "error", err)
		return res
	}
	u, err := s.cfg.Site.GuideURL(ch, it.ID, it.Code)
	if err != nil {
		return fail("open", err)
	}
	res.URL = u.String()
	// The site's politeness counts item-channels: at most max_in_flight of them browse the host
	// at once (each loads a few pages, one after another), their starts pause apart.
	release, _, err := s.polite.Wait(ctx, s.host)
	if err != nil {
		return fail("open", err)
	}
	defer release()
	opened := time.Now()
	page, closeTab, err := s.open(ctx, it, ch, res.URL)
	res.Timings["open"] = time.Since(opened)
	if closeTab != nil {
		// A tab that served a probe without a hitch serves the next item-channel, wiped.
		defer func() { closeTab(len(res.Errors) == 0 && ctx.Err() == nil) }()
	}
	if page != nil {
		defer func() { res.Refused = s.refusals(page.Tab, it, ch) }() // before the tab is given back
	}
	if err != nil {
		return fail("open", err)
	}
	res.Reachable = page.Load.Err == nil
	var held []probes.Observation // photographed once layout has measured the untouched page
	for _, name := range Families {
		probe, err := probes.Lookup(name)
		if err != nil {
			fail(name, err)
			continue
		}
		started := time.Now()
		pctx, cancel := context.WithTimeout(page.Tab, probeTimeout)
		obs, err := probe(pctx, page)
		cancel()
		if slices.Index(Families, name) < slices.Index(Families, "layout") && name != "channel" {
			held = append(held, obs...)
		} else {
			res.Findings = append(res.Findings, s.findings(page, append(held, obs...))...)
			held = nil
		}
		res.Timings[name] = time.Since(started)
		if err != nil {
			if errors.Is(err, browser.ErrBrowserDied) || ctx.Err() != nil {
				return fail(name, err)
			}
			fail(name, err)
		}
		if name == "channel" && (page.Guide == nil || len(probes.Unusable(page)) > 0) {
			break // nothing more to check on a page that is not a guide
		}
	}
	if len(probes.Unusable(page)) == 0 {
		res.Guide = page.Guide
	}
	return res
}

// open loads the guide in a reused tab, trying again from fresh tabs while it fails to load,
// and reads the guide off it. The returned close gives back the tab in use: for reuse when keep
// is true, else to be closed.
func (s *Sweeper) open(ctx context.Context, it probes.Item, ch scenarios.Channel, url string) (*probes.Page, func(keep bool), error) {
	page := &probes.Page{Channel: ch, Item: it, URL: url, Site: s.cfg.Site, Thresholds: s.cfg.Thresholds,
		Reference: s.cfg.Catalogue.Lookup(it.Code), HTTP: s.cfg.HTTP, Env: s.cfg.Env, Applicant: applicant(it.Code)}
	for page.Attempts < probes.Attempts {
		b, err := s.chromium(ctx)
		if err != nil {
			return nil, nil, err
		}
		tab, closeTab, err := s.session(ctx, b, ch, page.Attempts == 0)
		if err != nil {
			return nil, nil, err
		}
		page.Attempts++
		page.Tab = tab
		if page.Load, err = probes.Open(tab, url, s.cfg.Thresholds); err != nil {
			return page, closeTab, err
		}
		if page.Load.Err == nil || page.Load.Status != 0 {
			if page.Guide, err = probes.ReadGuide(tab, s.cfg.Site, ch); err != nil {
				return page, closeTab, fmt.Errorf("read guide: %w", err)
			}
			return page, closeTab, nil
		}
		if page.Attempts == probes.Attempts {
			return page, closeTab, nil
		}
		closeTab(false)
	}
	return page, nil, nil
}

// access is what the sweep's sessions may send: nothing that changes state, but for the
// harmless writes the site profile lists (its item list API, its sign-in).
func (s *Sweeper) access() browser.SessionOption {
	return browser.AllowWrites(s.cfg.Site.AllowsWrite)
}

// refusals are what the read-only browser refused in tab, each logged.
func (s *Sweeper) refusals(tab context.Context, it probes.Item, ch scenarios.Channel) []browser.Refusal {
	if tab == nil {
		return nil
	}
	rs := browser.Refusals(tab)
	for _, r := range rs {
		s.cfg.Logger.Info(r.String(), "item", it.Code, "channel", ch, "target", r.Target)
	}
	return rs
}

// session opens a tab for a channel: a reused one for the first attempt at a page, a fresh one
// (a new browser context) for the tries that confirm it unreachable. Either is read-only but
// for the writes the site profile lists.
func (s *Sweeper) session(ctx context.Context, b *browser.Browser, ch scenarios.Channel, reuse bool) (context.Context, func(keep bool), error) {
	if reuse {
		return b.ReuseSession(ctx, s.device(ch), s.access())
	}
	tab, closeTab, err := b.NewSession(ctx, s.device(ch), s.access())
	if err != nil {
		return nil, nil, err
	}
	return tab, func(bool) { closeTab() }, nil
}

package sweep

import (
	"context"
	"sync"
	"time"

	"tiyan/internal/browser"
	"tiyan/internal/finding"
	"tiyan/probes"
	"tiyan/scenarios"
)

// Result is a whole sweep.
type Result struct {
	Started, Finished time.Time
	Items             int
	Channels          []scenarios.Channel
	ItemChannels      int // probed
	Findings          []Finding
	Errors            []ProbeError
	Durations         []time.Duration            // per item-channel
	Timings           []map[string]time.Duration // per item-channel: ChannelResult.Timings
	// Reachable counts, per channel, the item-channels whose guide page loaded.
	Reachable map[scenarios.Channel]int
	// Probed counts, per channel, the item-channels probed.
	Probed map[scenarios.Channel]int
	// Refused are the requests the read-only browser refused, per item-channel: evidence of
	// what the sweep kept from the portal, never findings.
	Refused []Refused
}

// Refused is a request the read-only browser refused while probing an item on a channel.
type Refused struct {
	ItemCode string            `json:"item_code"`
	Channel  scenarios.Channel `json:"channel"`
	browser.Refusal
}

type task struct {
	item int
	ch   scenarios.Channel
}

// Sweep probes every item on every channel of the sweeper, Concurrency at a time, then compares
// each item's guides across channels. It stops early, with what it has, when ctx ends.
//
// A condition many items share is filed once, when the sweep has seen the pages: a site rule
// (no elder mode) as one site finding per channel, and a rule at the same place of the page on
// at least Config.TemplateShare of a channel's guide pages (and TemplateMinItems items) as one
// template finding, both with the items they affect. Findings that may be part of such a
// condition are delivered once that is decided, the others as they are made.
func (s *Sweeper) Sweep(ctx context.Context, items []probes.Item) *Result {
	return s.sweep(ctx, items, s.cfg.Channels, true)
}

// sweep probes items on chs; with group, conditions many items share become site and template
// findings, else every finding stays an item's (what verification compares with).
func (s *Sweeper) sweep(ctx context.Context, items []probes.Item, chs []scenarios.Channel, group bool) *Result {
	res := &Result{Started: s.cfg.Now(), Items: len(items), Channels: chs,
		Reachable: map[scenarios.Channel]int{}, Probed: map[scenarios.Channel]int{}}
	tls := s.checkTLS(ctx)
	s.deliver(tls)
	res.Findings = append(res.Findings, tls...)
	tasks := make(chan task)
	results := make(chan ChannelResult)
	var wg sync.WaitGroup
	for range s.cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range tasks {
				results <- s.ProbeChannel(ctx, items[t.item], t.ch)
			}
		}()
	}
	go func() {
		defer close(tasks)
		for i := range items {
			for _, ch := range chs {
				select {
				case tasks <- task{i, ch}:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	guides := map[string]map[scenarios.Channel]ChannelResult{}
	total := len(items) * len(chs)
	grp := NewGrouping(len(items), chs, s.cfg.TemplateShare, s.cfg.TemplateMinItems)
	for r := range results {
		if group {
			r.Findings = grp.Add(r.Channel, r.Guide != nil, r.Findings)
		}
		s.deliver(r.Findings)
		res.add(r)
		if s.cfg.OnProgress != nil {
			s.cfg.OnProgress(Progress{Done: res.ItemChannels, Total: total, Item: r.Item, Channel: r.Channel, Findings: len(res.Findings)})
		}
		byCh := guides[r.Item.Code]
		if byCh == nil {
			byCh = map[scenarios.Channel]ChannelResult{}
			guides[r.Item.Code] = byCh
		}
		byCh[r.Channel] = r
		if len(byCh) == len(chs) {
			diff := s.compare(ctx, byCh)
			s.deliver(diff)
			res.Findings = append(res.Findings, diff...)
			delete(guides, r.Item.Code)
		}
	}
	rest := grp.Finish()
	s.deliver(rest)
	res.Findings = append(res.Findings, rest...)
	res.Finished = s.cfg.Now()
	return res
}

// deliver hands findings to OnFindings, which may fill in Evidence.Screenshot; the picture
// itself is then dropped, so a long sweep does not hold every screenshot in memory.
func (s *Sweeper) deliver(fs []Finding) {
	if len(fs) == 0 || s.cfg.OnFindings == nil {
		return
	}
	s.cfg.OnFindings(fs)
	for i := range fs {
		fs[i].Evidence.PNG = nil
	}
}

func (r *Result) add(c ChannelResult) {
	r.ItemChannels++
	r.Probed[c.Channel]++
	if c.Reachable {
		r.Reachable[c.Channel]++
	}
	r.Findings = append(r.Findings, c.Findings...)
	r.Errors = append(r.Errors, c.Errors...)
	r.Durations = append(r.Durations, c.Duration)
	r.Timings = append(r.Timings, c.Timings)
	for _, x := range c.Refused {
		r.Refused = append(r.Refused, Refused{ItemCode: c.Item.Code, Channel: c.Channel, Refusal: x})
	}
}

// compare finds what differs between an item's PC and H5 guides. The pages are closed by now,
// so a difference found is shown by opening the page again with the element outlined.
func (s *Sweeper) compare(ctx context.Context, byCh map[scenarios.Channel]ChannelResult) []Finding {
	pc, h5 := byCh[scenarios.PC], byCh[scenarios.H5]
	if pc.Guide == nil || h5.Guide == nil {
		return nil
	}
	ref := s.cfg.Catalogue.Lookup(pc.Item.Code)
	var out []Finding
	for ch, obs := range probes.CompareChannels(pc.Guide, h5.Guide, ref) {
		for _, o := range obs {
			f := newFinding(o, byCh[ch].Item, ch, byCh[ch].URL, s.cfg.Now())
			f.Evidence.PNG = s.reshoot(ctx, byCh[ch], o.Locator)
			out = append(out, f)
		}
	}
	return out
}

// checkTLS checks the certificate of an https site once per sweep (CHANNEL-TLS). Its findings
// belong to the site, not to an item.
func (s *Sweeper) checkTLS(ctx context.Context) []Finding {
	base, err := s.cfg.Site.URL(scenarios.PC, "/")
	if err != nil || base.Scheme != "https" {
		return nil
	}
	obs, err := probes.CheckTLS(ctx, base.Host, s.cfg.Thresholds, s.cfg.TLS, s.cfg.Now())
	if err != nil {
		s.cfg.Logger.Warn("TLS check", "host", base.Host, "error", err)
		return nil
	}
	var out []Finding
	for _, o := range obs {
		f := newFinding(o, probes.Item{Name: s.cfg.Site.Name}, "", base.String(), s.cfg.Now())
		f.Scope = finding.ScopeSite
		out = append(out, f)
	}
	return out
}

// Compare compares one item's guides across channels, given its channel results (a queued
// sweep probes the channels in separate jobs), reopening a page to outline each difference.
func (s *Sweeper) Compare(ctx context.Context, results []ChannelResult) []Finding {
	byCh := map[scenarios.Channel]ChannelResult{}
	for _, r := range results {
		byCh[r.Channel] = r
	}
	return s.compare(ctx, byCh)
}

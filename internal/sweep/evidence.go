package sweep

import (
	"context"
	"strings"
	"time"

	"tiyan/internal/browser"
	"tiyan/probes"
)

// evidenceTimeout bounds the screenshots of one probe's findings.
const evidenceTimeout = 20 * time.Second

// findings turns one probe's observations into findings, each with a screenshot of the page as
// it is now: the element outlined where the observation names one.
func (s *Sweeper) findings(p *probes.Page, obs []probes.Observation) []Finding {
	if len(obs) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(p.Tab, evidenceTimeout)
	defer cancel()
	now := s.cfg.Now()
	var plain []byte
	out := make([]Finding, 0, len(obs))
	for _, o := range obs {
		f := newFinding(o, p.Item, p.Channel, p.URL, now)
		if o.Box != nil && o.Box.Width > 0 && o.Box.Height > 0 {
			f.Evidence.PNG, _ = annotated(ctx, *o.Box)
		}
		if f.Evidence.PNG == nil {
			if plain == nil {
				plain, _ = browser.Screenshot(ctx)
			}
			f.Evidence.PNG = plain
		}
		out = append(out, f)
	}
	return out
}

// reshoot opens a guide page again and screenshots it with a guide element ("element:NAME")
// outlined. It returns nil when it cannot: the finding then goes without a picture.
func (s *Sweeper) reshoot(ctx context.Context, r ChannelResult, locator string) []byte {
	release, _, err := s.polite.Wait(ctx, s.host)
	if err != nil {
		return nil
	}
	defer release()
	b, err := s.chromium(ctx)
	if err != nil {
		return nil
	}
	tab, closeTab, err := b.NewSession(ctx, s.device(r.Channel), s.access())
	if err != nil {
		return nil
	}
	defer closeTab()
	ctx, cancel := context.WithTimeout(tab, evidenceTimeout+s.cfg.Thresholds.Unreachable)
	defer cancel()
	if load, err := probes.Open(ctx, r.URL, s.cfg.Thresholds); err != nil || load.Err != nil {
		return nil
	}
	g, err := probes.ReadGuide(ctx, s.cfg.Site, r.Channel)
	if err != nil {
		return nil
	}
	box := probes.ElementBox(g, strings.TrimPrefix(locator, "element:"))
	if box == nil {
		png, _ := browser.Screenshot(ctx)
		return png
	}
	png, _ := annotated(ctx, *box)
	return png
}

// annotated is a screenshot around box with it outlined.
func annotated(ctx context.Context, b probes.Box) ([]byte, error) {
	return browser.Annotated(ctx, []browser.Box{{X: b.X, Y: b.Y, Width: b.Width, Height: b.Height}})
}

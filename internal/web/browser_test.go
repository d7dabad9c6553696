package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tiyan/internal/axe"
	"tiyan/internal/browser"
)

// TestPagesInChromium opens the pages at phone (375 px) and desktop (1366 px) width in a real
// Chromium, under the server's own Content-Security-Policy: axe finds nothing serious or
// critical (lesser findings are logged), the page never scrolls sideways, and the stylesheet
// did load (a blocked one would leave a page that passes for the wrong reason).
func TestPagesInChromium(t *testing.T) {
	fx := newFixture(t)
	long := stretch(t, fx)
	ts := httptest.NewServer(fx.srv)
	t.Cleanup(ts.Close)
	pages := []string{
		"/findings",
		"/findings?category=channel&overdue=1",
		fmt.Sprintf("/findings/%d", fx.unreachable),
		fmt.Sprintf("/findings/%d", fx.httpErr),
		fmt.Sprintf("/findings/%d", long),
		"/runs",
		"/runs/" + fx.runID,
		"/findings/999",
	}
	for _, dev := range []browser.Device{browser.H5, browser.PC} {
		t.Run(dev.Name, func(t *testing.T) {
			tab := chromium.Session(t, dev)
			for _, p := range pages {
				t.Run(strings.TrimPrefix(p, "/"), func(t *testing.T) { checkPage(t, tab, ts.URL+p, dev) })
			}
		})
	}
}

func checkPage(t *testing.T, tab context.Context, url string, dev browser.Device) {
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	if err := browser.Navigate(ctx, url); err != nil {
		t.Fatal(err)
	}
	res, err := axe.Run(ctx, axe.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range res.Violations {
		msg := fmt.Sprintf("axe %s (%s): %s, e.g. %s", v.ID, v.Impact, v.Help, v.Nodes[0].HTML)
		if v.Impact == axe.Serious || v.Impact == axe.Critical {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
	wide, err := browser.EvalJSON[bool](ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth`)
	if err != nil {
		t.Fatal(err)
	}
	if wide {
		t.Errorf("page scrolls horizontally at %d px", dev.Width)
	}
	styled, err := browser.EvalJSON[bool](ctx, `getComputedStyle(document.body).marginTop === "0px" || getComputedStyle(document.body).maxWidth === "960px"`)
	if err != nil {
		t.Fatal(err)
	}
	if !styled {
		t.Error("the stylesheet did not apply (blocked by the Content-Security-Policy?)")
	}
}

// stretch adds a finding with the long unbreakable text real pages have: a long URL, a DOM dump
// and measured values without spaces. It returns the finding's ID.
func stretch(t *testing.T, fx *fixture) int64 {
	t.Helper()
	long := strings.Repeat("x", 300)
	s := fx.sightings()[0]
	s.URL += "&q=" + long
	s.Detail += long
	s.Evidence[1].Data = append(s.Evidence[1].Data, []byte("<div>"+long+"</div>")...)
	s.Measured["url"] = "https://www.ahzwfw.gov.cn/" + long
	return fx.ingest(t, s)[0]
}

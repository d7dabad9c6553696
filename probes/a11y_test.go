package probes

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"tiyan/internal/browser"
	"tiyan/internal/portalsim"
)

// TestA11yOnTestdata: serious and critical violations become A11Y-<axe id> observations with a
// Chinese title, the severity of their impact, stable locators and a box; axe's incomplete
// results (contrast over a picture) do not.
func TestA11yOnTestdata(t *testing.T) {
	ts := testdataServer(t)
	p := openPage(t, chromium.Session(t, browser.PC), portalsim.PC, ts.URL+"/a11y-bad.html", patient)
	obs := observe(t, p, "a11y")
	want := map[string]struct {
		title   string
		sev     Severity
		locator string
	}{
		"A11Y-html-has-lang":  {"页面未声明语言", Major, "html"},
		"A11Y-document-title": {"页面缺少标题", Major, "html"},
		"A11Y-link-name":      {"链接没有可读名称", Major, "#share"},
		"A11Y-image-alt":      {"图片缺少替代文本", Blocker, "p > img.flow-chart"},
		"A11Y-color-contrast": {"文字与背景对比度不足", Major, "main > p「温馨提示」"},
	}
	if got := ruleSet(obs); len(got) != len(want) {
		t.Errorf("rules %v, want %d:%s", got, len(want), dump(obs))
	}
	for _, o := range obs {
		w, ok := want[o.Rule]
		if !ok {
			t.Errorf("unexpected %s: %s", o.Rule, o.Detail)
			continue
		}
		elements, _ := o.Measured["elements"].([]string)
		if o.Title != w.title || o.Severity != w.sev || len(elements) == 0 || elements[0] != w.locator {
			t.Errorf("%s: title %q, severity %s, elements %v; want %q, %s, %s first", o.Rule, o.Title, o.Severity, elements, w.title, w.sev, w.locator)
		}
		if o.Box == nil || o.DOM == "" || !strings.Contains(o.Detail, "GB/T 37668-2019") {
			t.Errorf("%s: evidence missing: box %v, DOM %q, detail %q", o.Rule, o.Box, o.DOM, o.Detail)
		}
		if o.Rule == "A11Y-color-contrast" && !strings.Contains(o.Detail, "实测对比度 1.") {
			t.Errorf("contrast detail %q does not give the measured ratio", o.Detail)
		}
	}
}

// TestA11yBudget: axe cut short by its budget files nothing and says it was the prober's
// limit; cut short by the caller it is the caller's error, not the budget's.
func TestA11yBudget(t *testing.T) {
	s, ts := startPortal(t)
	it := s.Catalog().Items()[0]
	tab := chromium.Session(t, browser.PC)
	p := openPage(t, tab, portalsim.PC, portalGuideURL(ts.URL, it, portalsim.PC), Thresholds{AxeBudget: time.Millisecond})
	obs, err := A11y(t.Context(), p)
	if !errors.Is(err, ErrBudget) || obs != nil {
		t.Errorf("1 ms budget: %d observations, error %v; want none and ErrBudget", len(obs), err)
	}
	p.Thresholds = patient
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := A11y(ctx, p); err == nil || errors.Is(err, ErrBudget) {
		t.Errorf("cancelled by the caller: error %v, want the caller's, not ErrBudget", err)
	}
	if obs, err := A11y(t.Context(), p); err != nil || len(obs) != 0 {
		t.Errorf("afterwards, with the default budget: %v, %v; want a clean run", err, dump(obs))
	}
}

// BenchmarkA11yProbe times the a11y probe on a freshly loaded simulator guide page, injection of
// axe-core included (each new page needs it); the page load is not timed.
func BenchmarkA11yProbe(b *testing.B) {
	s, ts := startPortal(b)
	it := s.Catalog().Items()[0]
	for _, ch := range []string{portalsim.PC, portalsim.H5} {
		b.Run(ch, func(b *testing.B) {
			tab := chromium.Session(b, channelDevices[ch])
			url := portalGuideURL(ts.URL, it, ch)
			for b.Loop() {
				b.StopTimer()
				p := openPage(b, tab, ch, url, Thresholds{})
				b.StartTimer()
				if obs := observe(b, p, "a11y"); len(obs) != 0 {
					b.Fatalf("clean page:%s", dump(obs))
				}
			}
		})
	}
}

package probes

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"

	"tiyan/internal/browser"
	"tiyan/scenarios"
)

// Guide is a service guide (办事指南) as one channel's page shows it.
type Guide struct {
	Elements  map[string]GuideElement `json:"elements"`
	Materials []GuideMaterial         `json:"materials"`
	Process   []string                `json:"process"`
	Entrance  GuideEntrance           `json:"entrance"`
	Text      string                  `json:"text"`       // the page's text, first 3,000 characters
	TextLen   int                     `json:"textLength"` // the length of the whole text
	Title     string                  `json:"title"`
}

// GuideElement is one element as found on the page.
type GuideElement struct {
	Found bool   `json:"found"`
	Value string `json:"value"`
	Box   *Box   `json:"box"`
	HTML  string `json:"html"`
}

// GuideMaterial is one entry of 申请材料.
type GuideMaterial struct {
	Name        string      `json:"name"`
	Requirement string      `json:"requirement"` // 必要 / 容缺 / 可选, read from what the page shows
	Shown       string      `json:"shown"`       // the requirement as the page words it (必须, 非必要, 容缺后补…)
	Links       []GuideLink `json:"links"`
	Box         *Box        `json:"box"`
	HTML        string      `json:"html"`
}

// GuideLink is a 空表 or 样表 download link.
type GuideLink struct {
	Kind string `json:"kind"` // blank | sample
	Href string `json:"href"`
	Text string `json:"text"`
	Box  *Box   `json:"box"`
}

// GuideEntrance is the 在线办理 entrance.
type GuideEntrance struct {
	Found bool   `json:"found"`
	Href  string `json:"href"`
	Text  string `json:"text"`
	Box   *Box   `json:"box"`
	HTML  string `json:"html"`
}

//go:embed guide.js
var guideJS string

// guideSettle bounds how long ReadGuide waits for a guide's labels to appear: some portals fill
// the guide by XHR after the page has loaded.
const guideSettle = 6 * time.Second

// guideReadyJS tells whether the page shows a guide yet: a few element labels, or the materials.
const guideReadyJS = `(() => {
  let t = '';
  if (document.body) {
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      if (!n.parentElement.closest('script,style,template,noscript')) t += n.nodeValue.replace(/\s+/g, '');
    }
  }
  const labels = %s;
  return labels.filter(l => t.includes(l)).length >= 4;
})()`

// ReadGuide reads the guide on the page loaded in tab by its visible labels and headers, trying
// the site profile's locators first.
func ReadGuide(tab context.Context, site *scenarios.Site, ch scenarios.Channel) (*Guide, error) {
	cg := site.ChannelGuide(ch)
	if cg == nil {
		return nil, fmt.Errorf("site %s has no guide locators for channel %s", site.Name, ch)
	}
	cfg, err := json.Marshal(guideConfig(cg))
	if err != nil {
		return nil, err
	}
	if err := waitForLabels(tab); err != nil {
		return nil, err
	}
	g, err := browser.Run(tab, chromedp.Evaluate[*Guide]("("+guideJS+")("+string(cfg)+")"))
	if err != nil {
		return nil, fmt.Errorf("read the guide: %w", err)
	}
	g.settle()
	return g, nil
}

// waitForLabels waits until the page shows guide labels or guideSettle passes; a page that never
// shows them is read as it is (and reported by the rules).
func waitForLabels(tab context.Context) error {
	var labels []string
	for _, name := range ReadElements {
		labels = append(labels, ElementLabels[name][0])
	}
	labels = append(labels, "材料名称", "申请材料", "办理流程")
	list, _ := json.Marshal(labels)
	ready := chromedp.Evaluate[bool](fmt.Sprintf(guideReadyJS, list))
	deadline := time.Now().Add(guideSettle)
	for {
		ok, err := browser.Run(tab, ready)
		if err != nil {
			return fmt.Errorf("wait for the guide: %w", err)
		}
		if ok || time.Now().After(deadline) {
			return nil
		}
		select {
		case <-tab.Done():
			return fmt.Errorf("wait for the guide: %w", tab.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// settle completes what the page states in one element for both (是否收费 and 收费标准) and
// reads the materials' requirement words as 必要, 可选 or 容缺.
func (g *Guide) settle() {
	fee, std := g.Elements["是否收费"], g.Elements["收费标准"]
	switch {
	case !fee.Found && std.Found && std.Value != "":
		fee = std
		fee.Value = map[bool]string{true: "否", false: "是"}[normalizeFee(std.Value) == "不收费"]
		g.Elements["是否收费"] = fee
	case !std.Found && fee.Found && normalizeYesNo(fee.Value) == "否":
		std = fee
		std.Value = "不收费"
		g.Elements["收费标准"] = std
	}
	for i, m := range g.Materials {
		g.Materials[i].Shown = m.Requirement
		g.Materials[i].Requirement = NormalizeRequirement(m.Requirement)
	}
}

type jsLocator struct {
	By    string `json:"by"`
	Value string `json:"value"`
	Name  string `json:"name,omitempty"`
}

func locator(l scenarios.Locator) jsLocator { return jsLocator{By: string(l.By), Value: l.Value} }

// guideConfig is the page script's configuration: the table of labels, and the channel's guide
// locators from the site profile as overrides.
func guideConfig(cg *scenarios.ChannelGuide) map[string]any {
	els := map[string]jsLocator{}
	for name, l := range cg.Elements {
		els[name] = locator(l)
	}
	m := cg.Materials
	overrides := map[string]any{
		"elements": els,
		"materials": map[string]any{
			"table": locator(m.Table),
			"cells": map[string]string{"name": m.Cells.Name, "requirement": m.Cells.Requirement},
		},
	}
	if cg.Process != nil {
		overrides["process"] = locator(*cg.Process)
	}
	return map[string]any{
		"words":     guideWords(),
		"overrides": overrides,
		"entrance":  jsLocator{By: string(cg.Entrance.By), Value: cg.Entrance.Value, Name: cg.Entrance.Name},
	}
}

package probes

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

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
	Requirement string      `json:"requirement"` // as shown: 必要 / 容缺 / 可选
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

// ReadGuide reads the guide on the page loaded in tab, where the site profile says its parts are.
func ReadGuide(tab context.Context, site *scenarios.Site, ch scenarios.Channel) (*Guide, error) {
	cg := site.ChannelGuide(ch)
	if cg == nil {
		return nil, fmt.Errorf("site %s has no guide locators for channel %s", site.Name, ch)
	}
	cfg, err := json.Marshal(guideConfig(cg))
	if err != nil {
		return nil, err
	}
	g, err := browser.Run(tab, chromedp.Evaluate[*Guide]("("+guideJS+")("+string(cfg)+")"))
	if err != nil {
		return nil, fmt.Errorf("read the guide: %w", err)
	}
	return g, nil
}

type jsLocator struct {
	By    string `json:"by"`
	Value string `json:"value"`
	Name  string `json:"name,omitempty"`
}

func locator(l scenarios.Locator) jsLocator { return jsLocator{By: string(l.By), Value: l.Value} }

// guideConfig is the channel's guide locators as the page script takes them.
func guideConfig(cg *scenarios.ChannelGuide) map[string]any {
	els := map[string]jsLocator{}
	for name, l := range cg.Elements {
		els[name] = locator(l)
	}
	m := cg.Materials
	cfg := map[string]any{
		"elements": els,
		"materials": map[string]any{
			"table":   locator(m.Table),
			"row":     m.Row,
			"columns": map[string]string{"name": m.Columns.Name, "requirement": m.Columns.Requirement},
			"cells":   map[string]string{"name": m.Cells.Name, "requirement": m.Cells.Requirement},
		},
		"entrance": jsLocator{By: string(cg.Entrance.By), Value: cg.Entrance.Value, Name: cg.Entrance.Name},
	}
	if cg.Process != nil {
		cfg["process"] = locator(*cg.Process)
	}
	return cfg
}

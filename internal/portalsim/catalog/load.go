package catalog

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed items.yaml
var itemsYAML []byte

// document is the shape of items.yaml. Units carry what their items share, so a unit's code,
// place and phones are written once and cannot drift apart between its items.
type document struct {
	Units []unitDoc `yaml:"units"`
	Items []itemDoc `yaml:"items"`
}

type unitDoc struct {
	Name      string `yaml:"name"`
	Code      string `yaml:"code"` // 统一社会信用代码
	Zone      string `yaml:"zone"`
	Place     string `yaml:"place"`
	Hours     string `yaml:"hours"`
	Consult   string `yaml:"consult"`
	Supervise string `yaml:"supervise"`
}

type itemDoc struct {
	ID          string        `yaml:"id"`
	ItemCode    string        `yaml:"item_code"` // 10 digits after the unit's credit code
	Name        string        `yaml:"name"`
	Type        string        `yaml:"type"`
	Unit        string        `yaml:"unit"` // a name declared under units
	Object      string        `yaml:"object"`
	Online      bool          `yaml:"online"`
	FullyOnline bool          `yaml:"fully_online"`
	Visits      *int          `yaml:"visits"`
	Basis       string        `yaml:"basis"`
	Conditions  string        `yaml:"conditions"`
	Materials   []materialDoc `yaml:"materials"`
	Process     []stepDoc     `yaml:"process"`
	Legal       string        `yaml:"legal"`    // "20 工作日", "60 自然日" or "即办"
	Promised    string        `yaml:"promised"` // same forms as legal
	Fee         bool          `yaml:"fee"`
	FeeStandard string        `yaml:"fee_standard"`
	Form        string        `yaml:"form"`
	Place       string        `yaml:"place"` // overrides the unit's
	Hours       string        `yaml:"hours"`
	Consult     string        `yaml:"consult"`
	Supervise   string        `yaml:"supervise"`
	Fields      []fieldDoc    `yaml:"fields"`
}

type materialDoc struct {
	Name      string   `yaml:"name"`
	Req       string   `yaml:"req"` // 必要 | 容缺 | 可选
	Originals int      `yaml:"originals"`
	Copies    int      `yaml:"copies"`
	Source    string   `yaml:"source"`
	Blank     bool     `yaml:"blank"`
	Sample    bool     `yaml:"sample"`
	Note      string   `yaml:"note"`
	Types     []string `yaml:"types"`
	MaxMB     int      `yaml:"max_mb"`
}

type stepDoc struct {
	Name   string `yaml:"name"`
	Detail string `yaml:"detail"`
	Limit  string `yaml:"limit"`
}

type fieldDoc struct {
	Name     string   `yaml:"name"`
	Label    string   `yaml:"label"`
	Kind     string   `yaml:"kind"`
	Options  []string `yaml:"options"`
	Optional bool     `yaml:"optional"` // fields are required unless marked
}

// Load parses the embedded items.yaml strictly, validates it and returns the catalogue.
// An error names the file and line of each offending item.
func Load() (*Catalog, error) {
	return parse(itemsYAML, "items.yaml")
}

// parse is Load for any document, so tests can feed it broken ones.
func parse(data []byte, name string) (*Catalog, error) {
	var doc document
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	lines := itemLines(data)
	items, err := doc.toItems(name, lines)
	if err != nil {
		return nil, err
	}
	c := newCatalog(items)
	if probs := c.problems(); len(probs) > 0 {
		errs := make([]error, len(probs))
		for i, p := range probs {
			errs[i] = fmt.Errorf("%s:%d: %w", name, lineAt(lines, p.Index), p)
		}
		return nil, fmt.Errorf("invalid catalogue %s:\n%w", name, errors.Join(errs...))
	}
	return c, nil
}

// itemLines finds the line each entry of items starts on. The strict decode above cannot report
// lines for rules it does not know, so the document is read a second time as a node tree.
func itemLines(data []byte) []int {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return nil
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "items" {
			var lines []int
			for _, n := range m.Content[i+1].Content {
				lines = append(lines, n.Line)
			}
			return lines
		}
	}
	return nil
}

func lineAt(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}

// toItems resolves each item's unit and applies defaults.
func (d document) toItems(name string, lines []int) ([]Item, error) {
	units := make(map[string]unitDoc, len(d.Units))
	for _, u := range d.Units {
		if _, dup := units[u.Name]; dup {
			return nil, fmt.Errorf("%s: unit %s is declared twice; declare each unit once", name, u.Name)
		}
		units[u.Name] = u
	}
	items := make([]Item, 0, len(d.Items))
	for i, doc := range d.Items {
		u, ok := units[doc.Unit]
		if !ok {
			return nil, fmt.Errorf("%s:%d: item %s: unit %q is not declared under units",
				name, lineAt(lines, i), doc.Name, doc.Unit)
		}
		it, err := doc.toItem(u)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: item %s: %w", name, lineAt(lines, i), doc.Name, err)
		}
		items = append(items, it)
	}
	return items, nil
}

// toItem builds an Item from its YAML form, taking shared values from the unit.
func (d itemDoc) toItem(u unitDoc) (Item, error) {
	legal, err := parseLimit(d.Legal)
	if err != nil {
		return Item{}, fmt.Errorf("法定办结时限: %w", err)
	}
	promised, err := parseLimit(d.Promised)
	if err != nil {
		return Item{}, fmt.Errorf("承诺办结时限: %w", err)
	}
	materials, err := toMaterials(d.Materials)
	if err != nil {
		return Item{}, err
	}
	it := Item{
		ID: d.ID, Code: u.Code + d.ItemCode, Name: d.Name, Type: d.Type,
		Unit: u.Name, UnitCode: u.Code, ZoneCode: u.Zone, ServiceObject: d.Object,
		Online: d.Online, FullyOnline: d.FullyOnline,
		Basis: d.Basis, Conditions: d.Conditions, Materials: materials, Process: toSteps(d.Process),
		LegalLimit: legal, PromisedLimit: promised, Fee: d.Fee, FeeStandard: d.FeeStandard,
		Form:  d.Form,
		Place: or(d.Place, u.Place), Hours: or(d.Hours, u.Hours),
		ConsultPhone: or(d.Consult, u.Consult), SupervisePhone: or(d.Supervise, u.Supervise),
		Fields: toFields(d.Fields),
	}
	defaults(&it, d.Visits)
	return it, nil
}

// defaults fills what items.yaml may leave out. It is the one place defaults live, so an omitted
// value means the same thing to the loader, the validator and whoever reads the YAML.
func defaults(it *Item, visits *int) {
	if !it.Fee && it.FeeStandard == "" {
		it.FeeStandard = "不收费"
	}
	if it.Form == "" {
		it.Form = "窗口办理"
		if it.Online {
			it.Form = "网上办理、窗口办理"
		}
	}
	switch {
	case visits != nil:
		it.Visits = *visits
	case it.FullyOnline:
		it.Visits = 0
	default:
		it.Visits = 1
	}
	for i := range it.Materials {
		m := &it.Materials[i]
		if m.Source == "" {
			m.Source = "申请人自备"
		}
		if len(m.Types) == 0 {
			m.Types = []string{"pdf", "jpg", "png"}
		}
		if m.MaxMB == 0 {
			m.MaxMB = 5
		}
	}
}

func toMaterials(docs []materialDoc) ([]Material, error) {
	out := make([]Material, 0, len(docs))
	for _, d := range docs {
		req, err := parseRequirement(d.Req)
		if err != nil {
			return nil, fmt.Errorf("申请材料 %s: %w", d.Name, err)
		}
		out = append(out, Material{
			Name: d.Name, Requirement: req, Originals: d.Originals, Copies: d.Copies,
			Source: d.Source, BlankForm: d.Blank, Sample: d.Sample, Note: d.Note,
			Types: d.Types, MaxMB: d.MaxMB,
		})
	}
	return out, nil
}

func toSteps(docs []stepDoc) []Step {
	out := make([]Step, 0, len(docs))
	for _, d := range docs {
		out = append(out, Step(d))
	}
	return out
}

// toFields keeps nil for items without a form, so an export shows "fields": null for them and
// reads back unchanged.
func toFields(docs []fieldDoc) []Field {
	var out []Field
	for _, d := range docs {
		out = append(out, Field{Name: d.Name, Label: d.Label, Kind: d.Kind, Options: d.Options, Required: !d.Optional})
	}
	return out
}

// parseLimit reads "20 工作日", "60 自然日" or "即办".
func parseLimit(s string) (Limit, error) {
	s = strings.TrimSpace(s)
	if s == "即办" {
		return Limit{Unit: "即办"}, nil
	}
	num, unit, ok := strings.Cut(s, " ")
	n, err := strconv.Atoi(num)
	if !ok || err != nil {
		return Limit{}, fmt.Errorf("%q is not a limit; write e.g. \"20 工作日\", \"60 自然日\" or \"即办\"", s)
	}
	return Limit{Value: n, Unit: strings.TrimSpace(unit)}, nil
}

func parseRequirement(s string) (Requirement, error) {
	switch s {
	case "", "必要":
		return Required, nil
	case "容缺":
		return Tolerated, nil
	case "可选":
		return Optional, nil
	}
	return 0, fmt.Errorf("req %q is not one of 必要, 容缺, 可选", s)
}

func or(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}

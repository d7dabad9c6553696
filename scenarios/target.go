package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// By says how a Target or a Locator is found on a page.
type By string

const (
	ByLabel       By = "label"       // the form control whose label reads this text
	ByText        By = "text"        // the element whose visible text is this text
	ByPlaceholder By = "placeholder" // the input whose placeholder is this text
	ByRole        By = "role"        // the element with this ARIA role (and Target.Name, if set)
	ByCSS         By = "css"         // a CSS selector: the last resort, as it breaks when markup changes
	ByHeading     By = "heading"     // Locator only: the section under the heading with this text
)

// targetKeys are the ways to find a target, in the order a writer should prefer them.
var targetKeys = []string{string(ByLabel), string(ByText), string(ByPlaceholder), string(ByRole), string(ByCSS)}

const targetExpected = "exactly one of label, text, placeholder, role (with optional name), css"

// Target is what a step acts on, found the way a person finds it. In YAML it is either a bare
// string, meaning visible text, or a mapping with exactly one of label, text, placeholder, role
// (with an optional name: the accessible name) or css:
//
//	click: 在线办理
//	click: {text: 在线办理}
//	fill: {label: 经营者姓名, value: …}
//	fill: {placeholder: 请输入手机号码, value: …}
//	click: {role: button, name: 提交}
//	click: {css: "#btn-submit"}
//
// In scenarios Value and Name may hold {{variables}}.
type Target struct {
	By    By
	Value string // the label, visible text, placeholder, role or CSS selector
	Name  string // with ByRole: the accessible name; empty matches any
	Pos   Pos    // where the target is written
}

// String renders the target for logs and messages, e.g. `label "经营者姓名"`.
func (t Target) String() string {
	if t.By == ByRole && t.Name != "" {
		return fmt.Sprintf("role %s %q", t.Value, t.Name)
	}
	return fmt.Sprintf("%s %q", t.By, t.Value)
}

func (t *Target) decodeNode(d *decoder, n *yaml.Node, key string) {
	if got := d.target(n, key); got != nil {
		*t = *got
	}
}

// target reads a target on its own: a bare string or a mapping with no other keys.
func (d *decoder) target(n *yaml.Node, key string) *Target {
	n = resolve(n)
	if n != nil && n.Kind == yaml.ScalarNode {
		s, ok := d.text(n, key)
		if !ok {
			return nil
		}
		d.template(n, s, key)
		return &Target{By: ByText, Value: s, Pos: posOf(n)}
	}
	if n == nil || n.Kind != yaml.MappingNode {
		d.wrong(n, key, "visible text or a mapping with "+targetExpected)
		return nil
	}
	t, _ := d.targetWith(n, key, nil, true)
	return t
}

// targetWith reads mapping n holding a target next to the given option keys, and returns the
// target and the option values found. A missing target is an error only when need is set.
func (d *decoder) targetWith(n *yaml.Node, key string, options []string, need bool) (*Target, map[string]*yaml.Node) {
	opts := map[string]*yaml.Node{}
	var ways []pair
	var name *pair
	for _, p := range d.pairs(n) {
		switch {
		case slices.Contains(targetKeys, p.key):
			ways = append(ways, p)
		case p.key == "name":
			name = &p
		case slices.Contains(options, p.key):
			opts[p.key] = resolve(p.v)
		default:
			expected := "a target: " + targetExpected
			switch len(options) {
			case 0:
			case 1:
				expected += "; or " + options[0]
			default:
				expected += "; or one of " + strings.Join(options, ", ")
			}
			all := append(append([]string{"name"}, targetKeys...), options...)
			d.at(p.k, "unknown key %q in %s, expected %s%s", p.key, key, expected, suggest(p.key, all))
		}
	}
	switch {
	case len(ways) == 0:
		if need {
			d.at(n, "%s: found no target, expected %s", key, targetExpected)
		}
		if name != nil {
			d.at(name.k, "name: found name without role, expected name only with role, e.g. {role: button, name: 提交}")
		}
		return nil, opts
	case len(ways) > 1:
		d.at(ways[1].k, "%s: found %d ways to find one target (%s), expected %s",
			key, len(ways), strings.Join(pairKeys(ways), " and "), targetExpected)
		return nil, opts
	}
	w := ways[0]
	t := &Target{By: By(w.key), Pos: posOf(n)}
	s, ok := d.text(w.v, w.key)
	if !ok {
		return nil, opts
	}
	t.Value = s
	if t.By == ByRole && !slices.Contains(ariaRoles, s) {
		d.wrong(resolve(w.v), "role", "an ARIA role such as button, link, checkbox, textbox, combobox, heading"+suggest(s, ariaRoles))
		return nil, opts
	}
	if t.By != ByCSS {
		d.template(resolve(w.v), s, w.key)
	}
	if name != nil {
		if t.By != ByRole {
			d.at(name.k, "name: found name with %s, expected name only with role, e.g. {role: button, name: 提交}", t.By)
			return nil, opts
		}
		if t.Name, ok = d.text(name.v, "name"); !ok {
			return nil, opts
		}
		d.template(resolve(name.v), t.Name, "name")
	}
	return t, opts
}

func pairKeys(ps []pair) []string {
	keys := make([]string, len(ps))
	for i, p := range ps {
		keys[i] = p.key
	}
	return keys
}

// ariaRoles are the WAI-ARIA 1.2 roles a target may name.
var ariaRoles = strings.Fields(`alert alertdialog application article banner blockquote button caption
	cell checkbox code columnheader combobox complementary contentinfo definition deletion dialog
	document emphasis feed figure form generic grid gridcell group heading img insertion link list
	listbox listitem log main marquee math menu menubar menuitem menuitemcheckbox menuitemradio meter
	navigation none note option paragraph presentation progressbar radio radiogroup region row
	rowgroup rowheader scrollbar search searchbox separator slider spinbutton status strong
	subscript superscript switch tab table tablist tabpanel term textbox time timer toolbar tooltip
	tree treegrid treeitem`)

// Locator says where a part of a page is, for reading rather than acting on: a guide element or a
// materials table. In YAML it is a bare string, meaning heading text, or a mapping with exactly one
// of heading, label or css:
//
//	受理条件: 受理条件                  # the section under the heading 受理条件
//	承诺时限: {label: 承诺时限}          # the value next to the term 承诺时限 (th/td, dt/dd, "承诺时限：…")
//	咨询电话: {css: "#zxdh"}
type Locator struct {
	By    By     // ByHeading, ByLabel or ByCSS
	Value string // the heading text, term or CSS selector
	Pos   Pos
}

// locatorKeys are the ways to find a part of a page.
var locatorKeys = []string{string(ByHeading), string(ByLabel), string(ByCSS)}

func (l *Locator) decodeNode(d *decoder, n *yaml.Node, key string) {
	const expected = "heading text or a mapping with exactly one of heading, label, css"
	switch {
	case n != nil && n.Kind == yaml.ScalarNode:
		if s, ok := d.text(n, key); ok {
			*l = Locator{By: ByHeading, Value: s, Pos: posOf(n)}
		}
		return
	case n == nil || n.Kind != yaml.MappingNode:
		d.wrong(n, key, expected)
		return
	}
	ps := d.pairs(n)
	for _, p := range ps {
		if !slices.Contains(locatorKeys, p.key) {
			d.at(p.k, "unknown key %q in %s, expected one of heading, label, css%s", p.key, key, suggest(p.key, locatorKeys))
			return
		}
	}
	switch {
	case len(ps) == 0:
		d.at(n, "%s: found an empty mapping, expected %s", key, expected)
	case len(ps) > 1:
		d.at(ps[1].k, "%s: found %d ways to find one element (%s), expected exactly one of heading, label, css",
			key, len(ps), strings.Join(pairKeys(ps), " and "))
	default:
		if s, ok := d.text(ps[0].v, ps[0].key); ok {
			*l = Locator{By: By(ps[0].key), Value: s, Pos: posOf(n)}
		}
	}
}

// String renders the locator for logs and messages, e.g. `heading "受理条件"`.
func (l Locator) String() string { return fmt.Sprintf("%s %q", l.By, l.Value) }

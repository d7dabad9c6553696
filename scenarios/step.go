package scenarios

import (
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Kind is what a step does. A runner switches on it; the doc of each kind says which Step fields
// it uses.
type Kind string

const (
	KindOpen       Kind = "open"       // go to Page
	KindClick      Kind = "click"      // click Target
	KindFill       Kind = "fill"       // type Value into Target
	KindSelect     Kind = "select"     // choose the option Value in Target
	KindTick       Kind = "tick"       // tick the checkbox Target; written check: {label: …} or tick: …
	KindUpload     Kind = "upload"     // put File into the upload slot Target
	KindWait       Kind = "wait"       // pause for Pause, or until Target appears (disappears if Gone)
	KindExpect     Kind = "expect"     // fail unless Target appears (disappears if Gone) within Timeout
	KindCheck      Kind = "check"      // run the named Probes on the page as it is now
	KindScreenshot Kind = "screenshot" // keep a screenshot called Name as evidence
	KindSubmit     Kind = "submit"     // click Target to submit the application; sandbox scenarios only
	KindNote       Kind = "note"       // record Text in the run log
)

// Pages that open may name besides a path.
const (
	PageItem  = "item"  // the item's guide page, through the site profile
	PageEntry = "entry" // the site's entry page (Site.Entry)
)

// Step is one line of a scenario. Kind says which fields are used; the others are zero.
type Step struct {
	Kind Kind
	Pos  Pos // where the step's key is written

	Page    string        // open: PageItem, PageEntry or a path beginning with one /
	Target  *Target       // click, fill, select, tick, upload, submit; wait and expect unless pausing
	Gone    bool          // wait, expect: the target must disappear rather than appear
	Value   string        // fill, select: the text to type or the option to choose
	File    string        // upload: a path relative to the scenario file, inside its folder
	Probes  []string      // check: probe names, e.g. guide, layout
	Pause   time.Duration // wait: a fixed pause
	Name    string        // screenshot: the name of the picture
	Text    string        // note: the text
	Timeout time.Duration // how long the step may take; always set after parsing
}

// Expand returns the step with the {{variables}} in Page, Value, Text and the target expanded.
func (s Step) Expand(vars Vars) (Step, error) {
	var err error
	for _, f := range []*string{&s.Page, &s.Value, &s.Text} {
		if *f, err = Expand(*f, vars); err != nil {
			return s, err
		}
	}
	if s.Target != nil {
		t := *s.Target
		if t.By != ByCSS {
			if t.Value, err = Expand(t.Value, vars); err != nil {
				return s, err
			}
		}
		if t.Name, err = Expand(t.Name, vars); err != nil {
			return s, err
		}
		s.Target = &t
	}
	return s, nil
}

// stepKeys are the step names a scenario may use, as written in YAML.
var stepKeys = []string{"open", "click", "fill", "select", "check", "upload", "wait", "expect",
	"screenshot", "submit", "note", "tick"}

// stepReaders read the value of each step key into a Step.
var stepReaders = map[string]func(d *decoder, s *Step, n *yaml.Node){
	"open":       readOpen,
	"click":      targetStep(KindClick, true, "visible text or a target such as {text: 在线办理}"),
	"fill":       valueStep(KindFill, `a mapping such as {label: 经营者姓名, value: "{{fake.name}}"}`),
	"select":     valueStep(KindSelect, "a mapping such as {label: 提取原因, value: 退休}"),
	"check":      readCheck,
	"tick":       targetStep(KindTick, true, "visible text or a target such as {label: 本人承诺所填信息真实有效}"),
	"upload":     readUpload,
	"wait":       readWait,
	"expect":     readExpect,
	"screenshot": readScreenshot,
	"submit":     targetStep(KindSubmit, true, "visible text or a target such as {text: 提交}"),
	"note":       readNote,
}

// decodeNode reads one list item of steps: a mapping with exactly one step key and, beside it, an
// optional timeout (`- open: item` / `  timeout: 30s`).
func (s *Step) decodeNode(d *decoder, n *yaml.Node, _ string) {
	kinds := strings.Join(stepKeys, ", ")
	if n == nil || n.Kind != yaml.MappingNode {
		d.wrong(n, "step", "a step such as `- click: {text: 在线办理}`, one of "+kinds)
		return
	}
	ps := d.pairs(n)
	var kind, timeout *pair
	for _, p := range ps {
		if stepReaders[p.key] == nil {
			continue
		}
		if kind != nil {
			d.at(p.k, "found a second step %q in the list item of %q, expected one step per item: start it with its own -", p.key, kind.key)
			continue
		}
		kind = &p
	}
	for _, p := range ps {
		switch {
		case stepReaders[p.key] != nil:
		case p.key == "timeout":
			timeout = &p
		case kind == nil:
			d.at(p.k, "unknown step %q, expected one of %s%s", p.key, kinds, suggest(p.key, stepKeys))
		default:
			d.at(p.k, "unknown key %q beside step %s, expected only timeout%s", p.key, kind.key, suggest(p.key, append([]string{"timeout"}, stepKeys...)))
		}
	}
	if kind == nil {
		if timeout != nil && len(ps) == 1 {
			d.at(n, "step: found only a timeout, expected one of %s beside it", kinds)
		}
		return
	}
	s.Pos = posOf(kind.k)
	stepReaders[kind.key](d, s, resolve(kind.v))
	if timeout == nil {
		return
	}
	if s.Timeout != 0 {
		d.at(timeout.k, "timeout: found a timeout beside the step and one inside it, expected one")
	} else if dur, ok := d.duration(timeout.v, "timeout"); ok {
		s.Timeout = dur
	}
}

func readOpen(d *decoder, s *Step, n *yaml.Node) {
	s.Kind = KindOpen
	page, ok := d.text(n, "open")
	if !ok {
		return
	}
	switch {
	case page == PageItem, page == PageEntry:
	case isSitePath(page):
		d.template(n, page, "open")
	default:
		d.wrong(n, "open", "item, entry or a path on the site starting with / (scenarios open no other hosts)")
		return
	}
	s.Page = page
}

// targetStep reads a step whose value is a target, bare or as a mapping with a timeout.
func targetStep(kind Kind, bare bool, example string) func(d *decoder, s *Step, n *yaml.Node) {
	return func(d *decoder, s *Step, n *yaml.Node) {
		s.Kind = kind
		d.targetOptions(s, n, string(kind), bare, example)
	}
}

// targetOptions reads a target with the step's options; timeout is always one of them.
func (d *decoder) targetOptions(s *Step, n *yaml.Node, key string, bare bool, example string, options ...string) map[string]*yaml.Node {
	if bare && n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() != "!!null" {
		s.Target = d.target(n, key)
		return nil
	}
	if n == nil || n.Kind != yaml.MappingNode {
		d.wrong(n, key, example)
		return nil
	}
	t, opts := d.targetWith(n, key, append(options, "timeout"), true)
	s.Target = t
	if tn := opts["timeout"]; tn != nil {
		s.Timeout, _ = d.duration(tn, "timeout")
	}
	return opts
}

// valueStep reads fill and select: a target and the value, which must be given (it may be "").
func valueStep(kind Kind, example string) func(d *decoder, s *Step, n *yaml.Node) {
	return func(d *decoder, s *Step, n *yaml.Node) {
		s.Kind = kind
		key := string(kind)
		opts := d.targetOptions(s, n, key, false, example, "value")
		if n == nil || n.Kind != yaml.MappingNode {
			return
		}
		vn := opts["value"]
		if vn == nil {
			d.at(n, "%s: missing key \"value\", expected %s", key, example)
			return
		}
		if v, ok := d.str(vn, "value"); ok {
			s.Value = v
			d.template(vn, v, "value")
		}
	}
}

// readCheck tells the two steps written check apart by the kind of node: probe names (a string or
// a list of strings) run probes; a target mapping ticks a checkbox.
func readCheck(d *decoder, s *Step, n *yaml.Node) {
	const expected = "probe names (check: guide, check: [guide, layout]) or a checkbox to tick (check: {label: 本人承诺…})"
	switch {
	case n != nil && n.Kind == yaml.MappingNode:
		s.Kind = KindTick
		d.targetOptions(s, n, "check", false, expected)
	case n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() != "!!null":
		s.Kind = KindCheck
		if p, ok := d.probe(n); ok {
			s.Probes = []string{p}
		}
	case n != nil && n.Kind == yaml.SequenceNode:
		s.Kind = KindCheck
		if len(n.Content) == 0 {
			d.wrong(n, "check", "at least one probe name")
		}
		for _, c := range n.Content {
			if p, ok := d.probe(resolve(c)); ok {
				s.Probes = append(s.Probes, p)
			}
		}
	default:
		s.Kind = KindCheck
		d.wrong(n, "check", expected)
	}
}

func (d *decoder) probe(n *yaml.Node) (string, bool) {
	p, ok := d.text(n, "check")
	if ok && !probePattern.MatchString(p) {
		d.wrong(n, "check", "a probe name such as guide or layout")
		return "", false
	}
	return p, ok
}

func readUpload(d *decoder, s *Step, n *yaml.Node) {
	const example = "a mapping such as {label: 身份证明, file: testdata/id-card.pdf}"
	s.Kind = KindUpload
	opts := d.targetOptions(s, n, "upload", false, example, "file")
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	fn := opts["file"]
	if fn == nil {
		d.at(n, "upload: missing key \"file\", expected %s", example)
		return
	}
	f, ok := d.text(fn, "file")
	if !ok {
		return
	}
	if !filepath.IsLocal(filepath.FromSlash(f)) {
		d.wrong(fn, "file", "a path inside the scenario's folder such as testdata/id-card.pdf "+
			"(absolute paths and .. are refused, so that no other local file is ever uploaded)")
		return
	}
	s.File = f
}

// readWait reads a fixed pause (wait: 2s) or a target to wait for ({text: …} or {gone: {text: …}}).
func readWait(d *decoder, s *Step, n *yaml.Node) {
	const expected = "a pause such as 2s, or what to wait for: {text: 办理成功} or {gone: {text: 加载中}}"
	s.Kind = KindWait
	if n != nil && n.Kind == yaml.ScalarNode {
		dur, err := time.ParseDuration(n.Value)
		if n.ShortTag() != "!!str" || err != nil || dur <= 0 {
			d.wrong(n, "wait", expected)
			return
		}
		s.Pause = dur
		return
	}
	if n == nil || n.Kind != yaml.MappingNode {
		d.wrong(n, "wait", expected)
		return
	}
	d.presence(s, n, "wait", expected)
}

// readExpect reads what must be on the page: visible text, a target, or {gone: target}, with an
// optional within (or timeout).
func readExpect(d *decoder, s *Step, n *yaml.Node) {
	const expected = "visible text or a target such as {text: 办事指南, within: 10s}, or {gone: {text: 加载中}}"
	s.Kind = KindExpect
	if n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() != "!!null" {
		s.Target = d.target(n, "expect")
		return
	}
	if n == nil || n.Kind != yaml.MappingNode {
		d.wrong(n, "expect", expected)
		return
	}
	d.presence(s, n, "expect", expected, "within")
}

// presence reads the mapping of wait and expect: a target, or gone: target, and a timeout.
func (d *decoder) presence(s *Step, n *yaml.Node, key, expected string, options ...string) {
	t, opts := d.targetWith(n, key, append(options, "gone", "timeout"), false)
	switch gone := opts["gone"]; {
	case gone != nil && (t != nil || hasTargetKey(n)):
		d.at(gone, "gone: found gone beside a target, expected either a target or gone: target")
	case gone != nil:
		s.Gone = true
		s.Target = d.target(gone, "gone")
	case t == nil && !hasTargetKey(n):
		d.at(n, "%s: found no target, expected %s", key, expected)
	default:
		s.Target = t
	}
	within, timeout := opts["within"], opts["timeout"]
	if within != nil && timeout != nil {
		d.at(timeout, "timeout: found both within and timeout, expected one of them")
		return
	}
	if within == nil {
		within = timeout
	}
	if within != nil {
		s.Timeout, _ = d.duration(within, "within")
	}
}

func hasTargetKey(n *yaml.Node) bool {
	for i := 0; i < len(n.Content); i += 2 {
		if slices.Contains(targetKeys, n.Content[i].Value) {
			return true
		}
	}
	return false
}

func readScreenshot(d *decoder, s *Step, n *yaml.Node) {
	s.Kind = KindScreenshot
	name, ok := d.text(n, "screenshot")
	if !ok {
		return
	}
	if strings.ContainsAny(name, `/\`) || strings.Trim(name, ".") == "" {
		d.wrong(n, "screenshot", "a name for the picture, without / or \\, such as 填写完成")
		return
	}
	s.Name = name
}

func readNote(d *decoder, s *Step, n *yaml.Node) {
	s.Kind = KindNote
	if t, ok := d.text(n, "note"); ok {
		s.Text = t
		d.template(n, t, "note")
	}
}

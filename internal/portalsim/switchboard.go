package portalsim

import (
	"bytes"
	"cmp"
	_ "embed"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"tiyan/internal/portalsim/catalog"
)

//go:embed seeded.yaml
var seededFixture []byte

// Switchboard holds which defects are switched on, per item and channel, and which are switched
// on template-wide (on every item of a channel).
type Switchboard struct {
	cat   *catalog.Catalog
	mu    sync.RWMutex
	on    map[slot]map[string]bool   // switched-on defect names per item-channel
	every map[string]map[string]bool // template-wide defect names per channel
}

// EveryItem is the item code that switches a defect on template-wide: on every item of the
// channel, as a fault of the shared guide template.
const EveryItem = "*"

type slot struct{ code, channel string }

// NewSwitchboard returns a switchboard with every defect off.
func NewSwitchboard(cat *catalog.Catalog) *Switchboard {
	return &Switchboard{cat: cat, on: map[slot]map[string]bool{}, every: map[string]map[string]bool{}}
}

// Set switches a defect on or off for an item and channel, or for every item of the channel when
// code is EveryItem. The error says what is wrong with the request: an unknown item, channel or
// defect, or a defect that does not fit the item (or cannot be template-wide).
func (b *Switchboard) Set(code, channel, defect string, on bool) error {
	if err := b.check(code, channel, defect, on); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if code == EveryItem {
		setFlag(b.every, channel, defect, on)
		return nil
	}
	k := slot{code, channel}
	if on {
		if b.on[k] == nil {
			b.on[k] = map[string]bool{}
		}
		b.on[k][defect] = true
		return nil
	}
	delete(b.on[k], defect)
	if len(b.on[k]) == 0 {
		delete(b.on, k)
	}
	return nil
}

func setFlag(m map[string]map[string]bool, key, name string, on bool) {
	if !on {
		delete(m[key], name)
		if len(m[key]) == 0 {
			delete(m, key)
		}
		return
	}
	if m[key] == nil {
		m[key] = map[string]bool{}
	}
	m[key][name] = true
}

// Has reports whether a defect is on for an item and channel, by itself or template-wide.
func (b *Switchboard) Has(code, channel, defect string) bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.on[slot{code, channel}][defect] || b.every[channel][defect]
}

// active returns the switched-on defects of an item-channel, its own and the template-wide
// ones, as template flags (- becomes _).
func (b *Switchboard) active(code, channel string) map[string]bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	flags := make(map[string]bool, len(b.on[slot{code, channel}])+len(b.every[channel]))
	for name := range b.on[slot{code, channel}] {
		flags[strings.ReplaceAll(name, "-", "_")] = true
	}
	for name := range b.every[channel] {
		flags[strings.ReplaceAll(name, "-", "_")] = true
	}
	return flags
}

// Reset switches every defect off.
func (b *Switchboard) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.on = map[slot]map[string]bool{}
	b.every = map[string]map[string]bool{}
}

// Expectations is the ground truth: every switched-on defect with the rules it should raise,
// ordered by item, channel and defect. A site defect and a template-wide one are one
// expectation per channel, with no item: one finding for the portal operator, not one per page.
func (b *Switchboard) Expectations() []Expectation {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := []Expectation{}
	scoped := map[[2]string]*Expectation{} // by channel and defect
	for ch, names := range b.every {
		for name := range names {
			d, _ := DefectByName(name)
			scoped[[2]string{ch, name}] = &Expectation{Channel: ch, Defect: name, ExpectRules: slices.Clone(d.Rules), Scope: ScopeTemplate}
		}
	}
	for k, names := range b.on {
		it, _ := b.cat.ByCode(k.code)
		other := PC
		if k.channel == PC {
			other = H5
		}
		for name := range names {
			d, _ := DefectByName(name)
			if e := scoped[[2]string{k.channel, name}]; e != nil || d.Scope == ScopeSite {
				if e == nil {
					e = &Expectation{Channel: k.channel, Defect: name, ExpectRules: slices.Clone(d.Rules), Scope: d.Scope}
					scoped[[2]string{k.channel, name}] = e
				}
				if e.Scope == ScopeSite {
					e.Items = append(e.Items, k.code)
				}
				continue
			}
			same := b.on[slot{k.code, other}][name]
			out = append(out, Expectation{ItemCode: k.code, Channel: k.channel, Defect: name, ExpectRules: expectRules(d, it, same)})
		}
	}
	for _, e := range scoped {
		slices.Sort(e.Items)
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b Expectation) int {
		return cmp.Or(cmp.Compare(a.ItemCode, b.ItemCode), cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.Defect, b.Defect))
	})
	return out
}

// Fixture is the YAML form of a set of defects:
//
//	defects:
//	  - {item: "11341500MB…", channel: pc, defect: overflow}
type Fixture struct {
	Defects []FixtureEntry `yaml:"defects"`
}

// FixtureEntry switches one defect on for one item and channel ("all" means both channels); item
// "*" switches it on template-wide, for every item of the channel.
type FixtureEntry struct {
	Item    string `yaml:"item"`
	Channel string `yaml:"channel"`
	Defect  string `yaml:"defect"`
}

// LoadNamed switches on the defects of "none", "seeded" or a fixture file.
func (b *Switchboard) LoadNamed(name string) error {
	switch name {
	case "", "none":
		return nil
	case "seeded":
		return b.Load("seeded.yaml", seededFixture)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("--defects takes none, seeded or a YAML fixture file: %w", err)
	}
	return b.Load(name, data)
}

// Load switches on every defect of a fixture. Errors name the file and line of each bad entry;
// nothing is switched on when any entry is bad.
func (b *Switchboard) Load(file string, data []byte) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	var fx Fixture
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&fx); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	lines := entryLines(&doc)
	type op struct{ code, ch, defect string }
	var ops []op
	var problems []string
	for i, e := range fx.Defects {
		chans := []string{e.Channel}
		if e.Channel == "all" {
			chans = channels
		}
		for _, ch := range chans {
			if err := b.check(e.Item, ch, e.Defect, true); err != nil {
				problems = append(problems, fmt.Sprintf("%s:%d: %v", file, lines[i], err))
				continue
			}
			ops = append(ops, op{e.Item, ch, e.Defect})
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("defect fixture has %d problem(s):\n%s", len(problems), strings.Join(problems, "\n"))
	}
	for _, o := range ops {
		if err := b.Set(o.code, o.ch, o.defect, true); err != nil {
			return err
		}
	}
	return nil
}

// check validates a switch without changing anything; switching off needs no fit.
func (b *Switchboard) check(code, channel, defect string, on bool) error {
	if channel != PC && channel != H5 {
		return fmt.Errorf("unknown channel %q; valid channels: pc, h5, all", channel)
	}
	d, err := DefectByName(defect)
	if err != nil {
		return err
	}
	if code == EveryItem {
		if !d.Template && on {
			return fmt.Errorf("defect %s cannot be switched on for every item; template-wide defects: %s", defect, strings.Join(templateDefects(), ", "))
		}
		if d.Only != "" && channel != d.Only && on {
			return fmt.Errorf("defect %s only applies to channel %s", defect, d.Only)
		}
		return nil
	}
	it, ok := b.cat.ByCode(code)
	if !ok {
		return fmt.Errorf("unknown item %q", code)
	}
	if why := d.fits(it, channel); why != "" && on {
		return fmt.Errorf("defect %s cannot be switched on for %s (%s) on %s: it %s", defect, code, it.Name, channel, why)
	}
	return nil
}

// templateDefects names the defects that may be switched on for every item.
func templateDefects() []string {
	var out []string
	for _, d := range defects {
		if d.Template {
			out = append(out, d.Name)
		}
	}
	return out
}

// entryLines returns the line of each element of the fixture's defects list.
func entryLines(doc *yaml.Node) []int {
	var lines []int
	if len(doc.Content) == 0 {
		return lines
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "defects" {
			for _, n := range root.Content[i+1].Content {
				lines = append(lines, n.Line)
			}
		}
	}
	return lines
}

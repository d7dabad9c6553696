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

// Switchboard holds which defects are switched on, per item and channel.
type Switchboard struct {
	cat *catalog.Catalog
	mu  sync.RWMutex
	on  map[slot]map[string]bool // switched-on defect names per item-channel
}

type slot struct{ code, channel string }

// NewSwitchboard returns a switchboard with every defect off.
func NewSwitchboard(cat *catalog.Catalog) *Switchboard {
	return &Switchboard{cat: cat, on: map[slot]map[string]bool{}}
}

// Set switches a defect on or off for an item and channel. The error says what is wrong with
// the request: an unknown item, channel or defect, or a defect that does not fit the item.
func (b *Switchboard) Set(code, channel, defect string, on bool) error {
	if err := b.check(code, channel, defect, on); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
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

// Has reports whether a defect is on for an item and channel.
func (b *Switchboard) Has(code, channel, defect string) bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.on[slot{code, channel}][defect]
}

// active returns the switched-on defects of an item-channel as template flags (- becomes _).
func (b *Switchboard) active(code, channel string) map[string]bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	flags := make(map[string]bool, len(b.on[slot{code, channel}]))
	for name := range b.on[slot{code, channel}] {
		flags[strings.ReplaceAll(name, "-", "_")] = true
	}
	return flags
}

// Reset switches every defect off.
func (b *Switchboard) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.on = map[slot]map[string]bool{}
}

// Expectations is the ground truth: every switched-on defect with the rules it should raise,
// ordered by item, channel and defect.
func (b *Switchboard) Expectations() []Expectation {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := []Expectation{}
	for k, names := range b.on {
		it, _ := b.cat.ByCode(k.code)
		other := PC
		if k.channel == PC {
			other = H5
		}
		for name := range names {
			d, _ := DefectByName(name)
			same := b.on[slot{k.code, other}][name]
			out = append(out, Expectation{ItemCode: k.code, Channel: k.channel, Defect: name, ExpectRules: expectRules(d, it, same)})
		}
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

// FixtureEntry switches one defect on for one item and channel ("all" means both channels).
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
	it, ok := b.cat.ByCode(code)
	if !ok {
		return fmt.Errorf("unknown item %q", code)
	}
	if channel != PC && channel != H5 {
		return fmt.Errorf("unknown channel %q; valid channels: pc, h5, all", channel)
	}
	d, err := DefectByName(defect)
	if err != nil {
		return err
	}
	if why := d.fits(it, channel); why != "" && on {
		return fmt.Errorf("defect %s cannot be switched on for %s (%s) on %s: it %s", defect, code, it.Name, channel, why)
	}
	return nil
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

package scenarios

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Variables a scenario may use in values, written {{name}} (spaces inside the braces are allowed):
//
//	{{item.code}} {{item.id}} {{item.name}} {{item.unit}} {{item.jurisdiction}}  the scenario's item
//	{{fake.name}} {{fake.idcard}} {{fake.phone}}                             the run's synthetic person
//	{{env.NAME}}                                                             an environment variable
//
// They are expanded in open paths, fill and select values, target texts and names, and notes. An
// unknown variable is a validation error at its line:col.
var varNames = []string{
	"item.code", "item.id", "item.name", "item.unit", "item.jurisdiction",
	"fake.name", "fake.idcard", "fake.phone",
}

// Vars are the values that {{variables}} expand to in one run.
type Vars struct {
	// Item is the service item of the run; the runner completes Name and ID from the catalogue
	// when the scenario does not give them.
	Item Item
	// Fake is the run's synthetic applicant, usually NewFake(seed).Person().
	Fake Person
	// LookupEnv reads {{env.NAME}}; nil means os.LookupEnv.
	LookupEnv func(name string) (string, bool)
}

// Expand replaces every {{variable}} in s with its value. It fails on an unknown variable, an
// unclosed {{, an unset environment variable or a variable that has no value in vars.
func Expand(s string, vars Vars) (string, error) {
	refs, unclosed := scanVars(s)
	if unclosed >= 0 {
		return "", fmt.Errorf("expand %q: found an unclosed {{, expected {{name}}", s)
	}
	var b strings.Builder
	last := 0
	for _, r := range refs {
		v, err := vars.value(r.name)
		if err != nil {
			return "", err
		}
		b.WriteString(s[last:r.start])
		b.WriteString(v)
		last = r.end
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

func (v Vars) value(name string) (string, error) {
	fields := map[string]string{
		"item.code": v.Item.Code, "item.id": v.Item.ID, "item.name": v.Item.Name,
		"item.unit": v.Item.Unit, "item.jurisdiction": v.Item.Jurisdiction,
		"fake.name": v.Fake.Name, "fake.idcard": v.Fake.IDCard, "fake.phone": v.Fake.Phone,
	}
	if val, ok := fields[name]; ok {
		if val == "" {
			return "", fmt.Errorf("{{%s}} has no value in this run: the runner must fill Vars.%s", name, varField(name))
		}
		return val, nil
	}
	if env, ok := strings.CutPrefix(name, "env."); ok && envNamePattern.MatchString(env) {
		lookup := v.LookupEnv
		if lookup == nil {
			lookup = os.LookupEnv
		}
		if val, ok := lookup(env); ok {
			return val, nil
		}
		return "", fmt.Errorf("{{%s}}: environment variable %s is not set; set it before the run", name, env)
	}
	return "", checkVar(name)
}

func varField(name string) string {
	if strings.HasPrefix(name, "fake.") {
		return "Fake (from NewFake(seed).Person())"
	}
	return "Item"
}

// checkVar says what is wrong with a variable name, or nil when it is known.
func checkVar(name string) error {
	if slices.Contains(varNames, name) {
		return nil
	}
	if env, ok := strings.CutPrefix(name, "env."); ok {
		if envNamePattern.MatchString(env) {
			return nil
		}
		return fmt.Errorf("found {{%s}}, expected {{env.NAME}} with NAME an environment variable name such as TIYAN_PHONE", name)
	}
	return fmt.Errorf("unknown variable {{%s}}, expected one of %s, env.NAME%s",
		name, strings.Join(varNames, ", "), suggest(name, varNames))
}

// varRef is one {{…}} in a string, by byte offsets.
type varRef struct {
	name       string
	start, end int
}

// scanVars finds the {{…}} in s. unclosed is the offset of a {{ without its }}, or -1.
func scanVars(s string) (refs []varRef, unclosed int) {
	for i := 0; ; {
		j := strings.Index(s[i:], "{{")
		if j < 0 {
			return refs, -1
		}
		j += i
		k := strings.Index(s[j+2:], "}}")
		if k < 0 {
			return refs, j
		}
		k += j + 2
		refs = append(refs, varRef{name: strings.TrimSpace(s[j+2 : k]), start: j, end: k + 2})
		i = k + 2
	}
}

// template checks the variables in s, the value of scalar n, when the decoder reads a scenario.
func (d *decoder) template(n *yaml.Node, s, key string) {
	if !d.templates {
		return
	}
	refs, unclosed := scanVars(s)
	if unclosed >= 0 {
		d.atPos(posInScalar(n, s, unclosed), "%s: found an unclosed {{, expected {{name}}", key)
	}
	for _, r := range refs {
		p := posInScalar(n, s, r.start)
		if err := checkVar(r.name); err != nil {
			d.atPos(p, "%s: %v", key, err)
		} else if strings.HasPrefix(r.name, "item.") {
			d.itemVars = append(d.itemVars, p)
		}
	}
}

// posInScalar is the position of byte off of s, the value of scalar n. It is exact for scalars on
// one line (plain or quoted, escapes aside) and the scalar's own position otherwise.
func posInScalar(n *yaml.Node, s string, off int) Pos {
	p := posOf(n)
	if n == nil || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || strings.Contains(s, "\n") {
		return p
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		p.Col++
	}
	p.Col += utf8.RuneCountInString(s[:off])
	return p
}

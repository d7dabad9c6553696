package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// decoder walks a yaml.Node tree into Go values strictly: every key must be known, every value of
// the expected kind, and every problem is recorded with its line:col rather than stopping at the
// first, so that a writer sees all of a file's mistakes at once.
//
// Structs are decoded by their `yaml:"key[,required]"` tags (fields without a tag are not read from
// YAML) and an optional `check:"name"` tag naming a rule in checks. Types that need more than that
// (steps, targets) implement nodeDecoder.
type decoder struct {
	file string
	// templates turns on the check of {{variables}} in strings that a runner expands.
	templates bool
	// itemVars are the places where {{item.…}} is used; they need the scenario to name an item.
	itemVars []Pos
	probs    []Problem
}

// nodeDecoder is implemented by types that read themselves from a node.
type nodeDecoder interface {
	decodeNode(d *decoder, n *yaml.Node, key string)
}

var durationType = reflect.TypeFor[time.Duration]()

// at records a problem at n.
func (d *decoder) at(n *yaml.Node, format string, args ...any) {
	d.atPos(posOf(n), format, args...)
}

// atPos records a problem at p.
func (d *decoder) atPos(p Pos, format string, args ...any) {
	d.probs = append(d.probs, Problem{File: d.file, Line: p.Line, Col: p.Col, Msg: fmt.Sprintf(format, args...)})
}

// wrong records that the value of key is not what was expected.
func (d *decoder) wrong(n *yaml.Node, key, expected string) {
	d.at(n, "%s: found %s, expected %s", key, describe(n), expected)
}

func posOf(n *yaml.Node) Pos {
	if n == nil {
		return Pos{}
	}
	return Pos{Line: n.Line, Col: n.Column}
}

// resolve looks through documents and aliases to the node that holds the value.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil {
		switch {
		case n.Kind == yaml.AliasNode && n.Alias != nil:
			n = n.Alias
		case n.Kind == yaml.DocumentNode && len(n.Content) == 1:
			n = n.Content[0]
		default:
			return n
		}
	}
	return n
}

// describe says what a node is, for "found …" in messages.
func describe(n *yaml.Node) string {
	n = resolve(n)
	if n == nil {
		return "nothing"
	}
	switch {
	case n.Kind == yaml.MappingNode && len(n.Content) == 0:
		return "an empty mapping"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode && len(n.Content) == 0:
		return "an empty list"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!null":
		return "nothing"
	case "!!bool":
		return n.Value
	case "!!int", "!!float":
		return "the number " + n.Value
	}
	v := n.Value
	if r := []rune(v); len(r) > 60 {
		v = string(r[:57]) + "..."
	}
	return strconv.Quote(v)
}

// yamlSyntax matches yaml.v3's syntax errors, which carry a line but no column.
var yamlSyntax = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// root parses data as exactly one YAML document and returns its top node, or nil after recording
// why it could not.
func (d *decoder) root(data []byte, what string) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.probs = append(d.probs, Problem{File: d.file, Msg: "found an empty file, expected a " + what})
			return nil
		}
		d.syntax(err)
		return nil
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		d.at(&next, "found a second YAML document, expected one %s per file", what)
	case !errors.Is(err, io.EOF):
		d.syntax(err)
	}
	return resolve(&doc)
}

func (d *decoder) syntax(err error) {
	msg := err.Error()
	if m := yamlSyntax.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		d.probs = append(d.probs, Problem{File: d.file, Line: line, Msg: "YAML syntax: " + m[2]})
		return
	}
	d.probs = append(d.probs, Problem{File: d.file, Msg: strings.TrimPrefix(msg, "yaml: ")})
}

// decode reads n into v; key names the value in messages.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, key string) {
	n = resolve(n)
	if v.CanAddr() {
		if u, ok := v.Addr().Interface().(nodeDecoder); ok {
			u.decodeNode(d, n, key)
			return
		}
	}
	if v.Type() == durationType {
		if dur, ok := d.duration(n, key); ok {
			v.SetInt(int64(dur))
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		d.decode(n, v.Elem(), key)
	case reflect.Struct:
		d.structure(n, v, key)
	case reflect.Slice:
		d.list(n, v, key)
	case reflect.Map:
		d.dict(n, v, key)
	case reflect.String:
		if s, ok := d.str(n, key); ok {
			v.SetString(s)
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			d.wrong(n, key, "true or false")
			return
		}
		var b bool
		_ = n.Decode(&b)
		v.SetBool(b)
	case reflect.Int:
		var i int
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&i) != nil {
			d.wrong(n, key, "a whole number")
			return
		}
		v.SetInt(int64(i))
	default:
		panic(fmt.Sprintf("scenarios: cannot decode YAML into %s", v.Type()))
	}
}

// str reads a scalar as text. Numbers and dates are taken as written; true, false and null are
// refused, since they are rarely meant as text.
func (d *decoder) str(n *yaml.Node, key string) (string, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		d.wrong(n, key, "text")
		return "", false
	}
	switch n.ShortTag() {
	case "!!null":
		d.wrong(n, key, "text")
		return "", false
	case "!!bool":
		d.wrong(n, key, "text (put it in quotes if it is meant as text)")
		return "", false
	}
	return n.Value, true
}

// text reads a scalar as text that must not be empty.
func (d *decoder) text(n *yaml.Node, key string) (string, bool) {
	s, ok := d.str(n, key)
	if ok && strings.TrimSpace(s) == "" {
		d.wrong(n, key, "non-empty text")
		return "", false
	}
	return s, ok
}

// duration reads a positive Go duration such as 10s, 2m or 1m30s.
func (d *decoder) duration(n *yaml.Node, key string) (time.Duration, bool) {
	const expected = "a duration such as 10s, 2m or 1m30s"
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		d.wrong(n, key, expected)
		return 0, false
	}
	dur, err := time.ParseDuration(n.Value)
	if err != nil {
		d.wrong(n, key, expected)
		return 0, false
	}
	if dur <= 0 {
		d.wrong(n, key, "a duration longer than zero")
		return 0, false
	}
	return dur, true
}

// pair is one entry of a mapping.
type pair struct {
	key  string
	k, v *yaml.Node
}

// pairs lists the entries of mapping n, recording keys that are not names or that repeat.
func (d *decoder) pairs(n *yaml.Node) []pair {
	var ps []pair
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.at(k, "found %s as a key, expected a name", describe(k))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.at(k, "duplicate key %q, expected each key once (first at line %d:%d)", k.Value, first.Line, first.Column)
			continue
		}
		seen[k.Value] = k
		ps = append(ps, pair{key: k.Value, k: k, v: v})
	}
	return ps
}

// field is a struct field read from YAML.
type field struct {
	key      string
	index    int
	required bool
	check    string
}

func fieldsOf(t reflect.Type) []field {
	var fs []field
	for i := range t.NumField() {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("yaml")
		if !ok || tag == "-" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		fs = append(fs, field{key: name, index: i, required: opts == "required", check: f.Tag.Get("check")})
	}
	return fs
}

func keysOf(fs []field) []string {
	keys := make([]string, len(fs))
	for i, f := range fs {
		keys[i] = f.key
	}
	return keys
}

// structure reads mapping n into struct v, field by field.
func (d *decoder) structure(n *yaml.Node, v reflect.Value, key string) {
	fs := fieldsOf(v.Type())
	keys := keysOf(fs)
	if n == nil || n.Kind != yaml.MappingNode {
		d.wrong(n, key, "a mapping with keys "+strings.Join(keys, ", "))
		return
	}
	seen := map[string]bool{}
	for _, p := range d.pairs(n) {
		i := slices.Index(keys, p.key)
		if i < 0 {
			d.at(p.k, "unknown key %q in %s, expected one of %s%s", p.key, key, strings.Join(keys, ", "), suggest(p.key, keys))
			continue
		}
		seen[p.key] = true
		f := fs[i]
		before := len(d.probs)
		d.decode(p.v, v.Field(f.index), p.key)
		if f.check != "" && len(d.probs) == before {
			d.check(p.v, v.Field(f.index), p.key, f.check)
		}
	}
	for _, f := range fs {
		if f.required && !seen[f.key] {
			d.at(n, "%s: missing key %q, expected it to be set", key, f.key)
		}
	}
}

// check applies the named rule from checks to a decoded value.
func (d *decoder) check(n *yaml.Node, v reflect.Value, key, rule string) {
	c, ok := checks[rule]
	if !ok {
		panic("scenarios: unknown check " + rule)
	}
	if expected := c(v); expected != "" {
		d.wrong(n, key, expected)
	}
}

// list reads sequence n into slice v.
func (d *decoder) list(n *yaml.Node, v reflect.Value, key string) {
	if n == nil || n.Kind != yaml.SequenceNode {
		d.wrong(n, key, "a list")
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, c := range n.Content {
		d.decode(c, s.Index(i), key)
	}
	v.Set(s)
}

// dict reads mapping n into a map with string keys.
func (d *decoder) dict(n *yaml.Node, v reflect.Value, key string) {
	if v.Type().Key().Kind() != reflect.String {
		panic(fmt.Sprintf("scenarios: cannot decode YAML into %s", v.Type()))
	}
	if n == nil || n.Kind != yaml.MappingNode {
		d.wrong(n, key, "a mapping")
		return
	}
	m := reflect.MakeMap(v.Type())
	for _, p := range d.pairs(n) {
		if strings.TrimSpace(p.key) == "" {
			d.at(p.k, "%s: found an empty key, expected a name", key)
			continue
		}
		e := reflect.New(v.Type().Elem()).Elem()
		d.decode(p.v, e, p.key)
		m.SetMapIndex(reflect.ValueOf(p.key).Convert(v.Type().Key()), e)
	}
	v.Set(m)
}

// lookup returns the value node of key in mapping n, or nil.
func lookup(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return resolve(n.Content[i+1])
		}
	}
	return nil
}

// posIn is where the value of key is in mapping n, or where n is when the key is absent.
func posIn(n *yaml.Node, key string) Pos {
	if v := lookup(n, key); v != nil {
		return posOf(v)
	}
	return posOf(n)
}

package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// pos is a place in the file.
type pos struct{ line, col int }

// decoder walks the YAML node tree into a Config by the fields' yaml tags, strictly: unknown
// keys and values of the wrong kind are problems with their line:col, and it goes on after one,
// so that a file's every mistake is reported at once. It knows only the kinds Config uses:
// structs, strings, ints, bools and the
// catalogue header mapping.
type decoder struct {
	file  string
	pos   map[string]pos // where each key path (schedules.sweep) was written
	probs []Problem
}

func (d *decoder) at(p pos, format string, args ...any) {
	d.probs = append(d.probs, Problem{File: d.file, Line: p.line, Col: p.col, Msg: fmt.Sprintf(format, args...)})
}

func nodePos(n *yaml.Node) pos { return pos{n.Line, n.Column} }

func (d *decoder) decodeFile(data []byte, cfg *Config) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if !errors.Is(err, io.EOF) { // an empty file is all defaults
			d.at(yamlErrPos(err), "不是有效的 YAML：%v", err)
		}
		return
	}
	if len(doc.Content) == 0 {
		return
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return
	}
	d.decodeStruct(root, "", reflect.ValueOf(cfg).Elem())
}

// yamlErrPos takes the line out of a yaml.v3 syntax error ("yaml: line 3: …").
func yamlErrPos(err error) pos {
	var line int
	if _, scanErr := fmt.Sscanf(err.Error(), "yaml: line %d:", &line); scanErr == nil {
		return pos{line: line}
	}
	return pos{}
}

// decodeStruct reads a mapping into the struct v; path is the key path of v ("" at the top).
func (d *decoder) decodeStruct(n *yaml.Node, path string, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.at(nodePos(n), "%s应为键值对（key: value），却写成了%s", label(path), describe(n))
		return
	}
	fields := yamlFields(v.Type())
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key := join(path, k.Value)
		idx, ok := fields[k.Value]
		switch {
		case !ok:
			d.unknown(k, key, fields)
			continue
		case seen[k.Value]:
			d.at(nodePos(k), "%s 重复出现", key)
			continue
		}
		seen[k.Value] = true
		d.pos[key] = nodePos(val)
		d.decodeValue(val, key, v.Field(idx))
	}
}

// unknown reports a key the configuration does not have, with the nearest known one.
func (d *decoder) unknown(k *yaml.Node, key string, fields map[string]int) {
	if secret, ok := secretKeys[k.Value]; ok {
		d.at(nodePos(k), "%s 不能写在配置文件里：%s", key, secret)
		return
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)
	msg := fmt.Sprintf("未知的配置项 %s（此处可用：%s）", key, strings.Join(names, "、"))
	if near := nearest(k.Value, names); near != "" {
		msg += fmt.Sprintf("，是不是想写 %s？", near)
	}
	d.at(nodePos(k), "%s", msg)
}

// secretKeys are keys people may try to write, and where those values belong instead.
var secretKeys = map[string]string{
	"token":    "Slack 令牌只从环境变量 " + EnvSlackToken + " 读取",
	"password": "密码只写在环境变量 " + EnvDatabaseURL + " 的数据库地址里",
	"api_url":  "Slack API 地址只从环境变量 " + EnvSlackAPIURL + " 读取",
}

func (d *decoder) decodeValue(n *yaml.Node, key string, v reflect.Value) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch v.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, key, v)
	case reflect.Map:
		v.Set(reflect.ValueOf(d.decodeHeaders(n, key)))
	case reflect.String:
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			d.at(nodePos(n), "%s 应为一个字符串，却写成了%s", key, describe(n))
			return
		}
		v.SetString(strings.TrimSpace(n.Value))
	case reflect.Int:
		i, err := strconv.Atoi(n.Value)
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || err != nil {
			d.at(nodePos(n), "%s 应为整数，却写成了%s", key, describe(n))
			return
		}
		v.SetInt(int64(i))
	case reflect.Slice: // of strings: a YAML list, each item with its own place
		if n.Kind != yaml.SequenceNode {
			d.at(nodePos(n), "%s 应为列表（如 [\"10.0.0.1/32\"]），却写成了%s", key, describe(n))
			return
		}
		out := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			ikey := fmt.Sprintf("%s[%d]", key, i)
			d.pos[ikey] = nodePos(item)
			d.decodeValue(item, ikey, out.Index(i))
		}
		v.Set(out)
	case reflect.Bool:
		b, err := strconv.ParseBool(n.Value)
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || err != nil {
			d.at(nodePos(n), "%s 应为 true 或 false，却写成了%s", key, describe(n))
			return
		}
		v.SetBool(b)
	default:
		panic("config: no decoder for " + v.Type().String())
	}
}

// yamlFields maps the yaml keys of struct type t to field indexes.
func yamlFields(t reflect.Type) map[string]int {
	out := map[string]int{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			out[name] = i
		}
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func label(path string) string {
	if path == "" {
		return "配置文件"
	}
	return path + " "
}

// describe names what a node is, for "written as …".
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "键值对"
	case yaml.SequenceNode:
		return "列表"
	}
	if n.Tag == "!!null" {
		return "空值"
	}
	return strconv.Quote(n.Value)
}

// nearest is the name closest to s when it is close enough to be a typo, else "".
func nearest(s string, names []string) string {
	best, bestDist := "", 3
	for _, name := range names {
		if dist := editDistance(s, name); dist < bestDist {
			best, bestDist = name, dist
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

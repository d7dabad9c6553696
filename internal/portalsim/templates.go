package portalsim

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"tiyan/internal/portalsim/catalog"
)

// Guide templates: portals render the same 办事指南 in very different markup, and write the same
// values in many ways. Each item's guide is rendered in one template, chosen by its code, on
// both channels; the defects are applied to the values before rendering, so they show the same
// way in every template. By default every guide is classic, the template the scripted scenarios
// were written on; Config.Templates (--templates) deals the items to other templates.

// Templates are the guide templates the simulator can render, in the order items are dealt to
// them.
var Templates = []string{
	"classic", // the original: a th/td table with a thead materials table (PC), dl and cards (H5)
	"table",   // label/value rows of th/td without ids; materials table whose th header row is inside tbody; 办理流程 as a labelled row
	"dl",      // definition lists; materials as list items; 办理流程 as an ordered list
	"grid",    // div grids and "标签：值" paragraphs; materials table with a td header row; 办理流程 as a table
	"tabs",    // tabs (PC) or accordions (H5) hiding 办理流程 and the legal basis until clicked; materials as cards
	"xhr",     // filled by a GET of a JSON endpoint after load; materials table with a td header row
}

// ParseTemplates reads a comma-separated list of template names; "all" is every one, "" the
// default (classic).
func ParseTemplates(s string) ([]string, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "":
		return nil, nil
	case "all":
		return slices.Clone(Templates), nil
	}
	var out []string
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		if !slices.Contains(Templates, name) {
			return nil, fmt.Errorf("unknown guide template %q (known: %s)", name, strings.Join(Templates, ", "))
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out, nil
}

// TemplateOf is the template an item's guide is rendered in: classic unless the configuration
// names a set of templates.
func (s *Server) TemplateOf(code string) string {
	set := s.cfg.Templates
	if len(set) == 0 {
		return "classic"
	}
	return set[hashOf(code)%uint32(len(set))]
}

func hashOf(s string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return h.Sum32()
}

// style is how one channel of an item writes its values: an index into each list of renderings,
// so that PC and H5 of one item, and different items, write the same value differently.
type style uint32

func styleOf(code, ch string) style { return style(hashOf(code + "/" + ch)) }

func (st style) pick(forms ...string) string { return forms[int(st)%len(forms)] }

// fullWidth writes ASCII digits and the dash full-width, as some guides do.
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9':
			return r + 0xFEE0
		case r == '-':
			return '－'
		}
		return r
	}, s)
}

// phone renders a phone number as people write it: with the area code in parentheses or set off
// by a space, in full-width digits, a service hotline with its area code.
func (st style) phone(p string) string {
	area, local, ok := strings.Cut(p, "-")
	if !ok || !strings.HasPrefix(area, "0") {
		if p == "12345" {
			return st.pick("12345", "0564-12345", "１２３４５", "0564－12345")
		}
		return p
	}
	return st.pick(p, "（"+area+"）"+local, fullWidth(p), area+" "+local, area+"－"+local)
}

var chineseDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// chinese writes 1–99 in Chinese numerals: 二十, 十五.
func chinese(n int) string {
	switch {
	case n < 10:
		return chineseDigits[n]
	case n < 20:
		return "十" + strings.TrimPrefix(chineseDigits[n%10], "零")
	case n < 100:
		s := chineseDigits[n/10] + "十"
		if n%10 != 0 {
			s += chineseDigits[n%10]
		}
		return s
	}
	return fmt.Sprint(n)
}

// limit renders a time limit: 5工作日, 五个工作日, 即办 or 当场办结.
func (st style) limit(l catalog.Limit) string {
	if l.Unit == "即办" {
		return st.pick("即办", "当场办结", "即时办结")
	}
	n := fmt.Sprint(l.Value)
	if l.Unit == "自然日" {
		return st.pick(n+"个自然日", n+"自然日")
	}
	return st.pick(n+"个工作日", n+"工作日", chinese(l.Value)+"个工作日")
}

// fee renders 收费标准: free in any of its words.
func (st style) fee(standard string) string {
	if standard == "不收费" {
		return st.pick("不收费", "免费", "无", "0元")
	}
	return standard
}

// requirement renders a material's requirement in one of its words.
func (st style) requirement(r catalog.Requirement) string {
	switch r {
	case catalog.Required:
		return st.pick("必要", "必须", "必需", "必交")
	case catalog.Optional:
		return st.pick("可选", "非必要", "选填", "非必须")
	case catalog.Tolerated:
		return st.pick("容缺", "容缺后补")
	}
	return r.Label()
}

// templateLabels are the labels each template writes elements under, where it departs from
// the element's own name.
var templateLabels = map[string]map[string]string{
	"table": {"ssztmc": "实施机关", "fdbjsx": "法定时限", "cnbjqx": "承诺时限", "zxdh": "咨询方式", "jddh": "投诉电话", "bldz": "办理地址", "blsj": "办公时间"},
	"dl":    {"sltj": "申请条件", "fdbjsx": "法定办结时限", "cnbjqx": "承诺办结时限", "jddh": "监督投诉方式", "blxs": "办理方式"},
	"grid":  {"ssztmc": "实施机构", "zxdh": "咨询电话", "jddh": "监督电话", "bldz": "办理地点", "blsj": "办理时间"},
	"tabs":  {"fdbjsx": "法定期限", "cnbjqx": "承诺期限", "sdyj": "法律依据"},
	"xhr":   {"zxdh": "咨询电话", "jddh": "监督投诉电话", "dxcc": "到办事现场次数"},
}

// render writes a guide's values and labels the way a template and channel style do.
func (st style) render(v *guideView, tpl string) {
	labels := templateLabels[tpl]
	for i, e := range v.Elements {
		if l, ok := labels[e.Key]; ok {
			v.Elements[i].Label = l
		}
		switch e.Key {
		case "fdbjsx":
			v.Elements[i].Value = st.limit(v.Item.LegalLimit)
		case "cnbjqx":
			v.Elements[i].Value = st.limit(v.Item.PromisedLimit)
		case "sfbz":
			v.Elements[i].Value = st.fee(e.Value)
		case "zxdh", "jddh":
			v.Elements[i].Value = st.phone(e.Value)
		}
	}
	for i := range v.Materials {
		v.Materials[i].Req = style(uint32(st) + uint32(i)).requirement(v.Materials[i].Requirement)
	}
}

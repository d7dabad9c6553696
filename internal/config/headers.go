package config

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// CatalogueHeaders maps a standard column header of the 实施清单 tables to the other names an
// export uses for it:
//
//	catalogue_headers:
//	  承诺办结时限: [承诺期限, 承诺时限]
//	  法定办结时限: 法定期限
type CatalogueHeaders map[string][]string

// CatalogueFields are the standard headers catalogue_headers may map onto: the columns the
// catalogue readers of package probes know (a test there keeps the two lists equal).
var CatalogueFields = []string{
	"事项编码", "事项名称", "实施主体", "行政区划", "设定依据", "受理条件", "法定办结时限", "承诺办结时限",
	"是否收费", "收费标准", "办理形式", "办理地点", "办理时间", "咨询电话", "监督投诉电话",
	"是否网上办理", "是否全程网办", "到现场次数", "材料名称", "材料必要性", "空表", "样表",
}

// decodeHeaders reads catalogue_headers: a mapping of standard headers to a name or a list of
// names. An unknown header, an empty name and a name given to two headers are problems.
func (d *decoder) decodeHeaders(n *yaml.Node, key string) CatalogueHeaders {
	out := CatalogueHeaders{}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return out
	}
	if n.Kind != yaml.MappingNode {
		d.at(nodePos(n), "%s 应为“标准列名: 导出文件中的列名”的键值对，却写成了%s", key, describe(n))
		return out
	}
	owner := map[string]string{} // name → the header it was given to
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		field := strings.TrimSpace(k.Value)
		switch {
		case !slices.Contains(CatalogueFields, field):
			msg := "%s 中的“%s”不是实施清单的标准列名（可用：%s）"
			if near := nearest(field, CatalogueFields); near != "" {
				msg += "，是不是想写“" + near + "”？"
			}
			d.at(nodePos(k), msg, key, field, strings.Join(CatalogueFields, "、"))
			continue
		case out[field] != nil:
			d.at(nodePos(k), "%s.%s 重复出现", key, field)
			continue
		}
		out[field] = d.headerNames(val, key+"."+field, field, owner)
	}
	return out
}

// headerNames reads the names of one header: a string or a list of strings.
func (d *decoder) headerNames(n *yaml.Node, key, field string, owner map[string]string) []string {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	names := []string{}
	for _, it := range items {
		name := strings.TrimSpace(it.Value)
		switch {
		case it.Kind != yaml.ScalarNode || it.Tag == "!!null" || name == "":
			d.at(nodePos(it), "%s 应为导出文件中的列名（一个字符串或字符串列表），却写成了%s", key, describe(it))
			continue
		case owner[name] != "" && owner[name] != field:
			d.at(nodePos(it), "%s：列名“%s”已对应到“%s”，一个列名只能对应一个标准列", key, name, owner[name])
			continue
		}
		owner[name] = field
		names = append(names, name)
	}
	return names
}

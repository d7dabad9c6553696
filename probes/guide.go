package probes

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

func init() { register("guide", checkGuide) }

// RequiredElements are the guide elements GB/T 39046-2020 Table 4 requires, besides 申请材料 and
// 办理流程, by the names site profiles use.
var RequiredElements = []string{"事项名称", "实施主体", "设定依据", "受理条件", "法定办结时限", "承诺办结时限",
	"是否收费", "收费标准", "办理形式", "办理地点", "办理时间", "咨询电话", "监督投诉电话"}

// ComparedElements are compared with the catalogue and between channels (with the materials).
var ComparedElements = []string{"法定办结时限", "承诺办结时限", "是否收费", "收费标准", "办理地点", "办理时间", "咨询电话", "监督投诉电话"}

// checkGuide is the guide-accuracy family on one page: elements, time limits, materials, phones,
// process, attachments and the catalogue. It needs Page.Guide (ReadGuide). Cross-channel
// comparison is CompareChannels; what the online form asks is checked by the entrance probe.
func checkGuide(ctx context.Context, p *Page) ([]Observation, error) {
	g := p.Guide
	if g == nil {
		return nil, nil
	}
	var obs []Observation
	obs = append(obs, missingElements(g)...)
	obs = append(obs, deadlines(g)...)
	obs = append(obs, vagueMaterials(g)...)
	obs = append(obs, phones(g)...)
	obs = append(obs, thinProcess(g)...)
	obs = append(obs, catalogueMismatch(g, p.Reference)...)
	att, err := attachments(ctx, p)
	return append(obs, att...), err
}

func missingElements(g *Guide) []Observation {
	var obs []Observation
	for _, name := range RequiredElements {
		e, listed := g.Elements[name]
		if !listed || (e.Found && e.Value != "") {
			continue // the profile does not locate it, or it is there
		}
		what := "缺失"
		if e.Found {
			what = "内容为空"
		}
		obs = append(obs, Observation{Rule: "GUIDE-ELEMENT-MISSING", Locator: "element:" + name, Box: e.Box, DOM: e.HTML,
			Title:    fmt.Sprintf("办事指南“%s”%s", name, what),
			Detail:   fmt.Sprintf("办事指南中“%s”%s。依据 GB/T 39046-2020 表4，%s是办事指南必备要素，应如实填写。", name, what, name),
			Measured: map[string]any{"element": name, "found": e.Found}})
	}
	if len(g.Materials) == 0 {
		obs = append(obs, Observation{Rule: "GUIDE-ELEMENT-MISSING", Locator: "element:申请材料", Title: "办事指南“申请材料”缺失",
			Detail: "办事指南没有列出申请材料。依据 GB/T 39046-2020 表4，申请材料是办事指南必备要素。"})
	}
	if len(g.Process) == 0 {
		obs = append(obs, Observation{Rule: "GUIDE-ELEMENT-MISSING", Locator: "element:办理流程", Title: "办事指南“办理流程”缺失",
			Detail: "办事指南没有列出办理流程。依据 GB/T 39046-2020 表4，办理流程是办事指南必备要素。"})
	}
	return obs
}

func deadlines(g *Guide) []Observation {
	legalEl, promisedEl := g.Elements["法定办结时限"], g.Elements["承诺办结时限"]
	if legalEl.Value == "" || promisedEl.Value == "" {
		return nil // reported as missing
	}
	legal, lok := parseLimit(legalEl.Value)
	promised, pok := parseLimit(promisedEl.Value)
	measured := map[string]any{"法定办结时限": legalEl.Value, "承诺办结时限": promisedEl.Value}
	obs := func(title, detail string) []Observation {
		return []Observation{{Rule: "GUIDE-DEADLINE-INCONSISTENT", Locator: "element:承诺办结时限", Box: promisedEl.Box, DOM: promisedEl.HTML,
			Title: title, Detail: detail + "依据 GB/T 39046-2020，法定办结时限和承诺办结时限均应注明数值和单位，且承诺时限不得长于法定时限。", Measured: measured}}
	}
	switch {
	case !lok || !pok || legal.unit == "" || promised.unit == "":
		return obs("办结时限缺少单位或格式不规范",
			fmt.Sprintf("法定办结时限为“%s”，承诺办结时限为“%s”，未写明“工作日”“自然日”或“即办”。", legalEl.Value, promisedEl.Value))
	case legal.instant:
		if promised.instant {
			return nil
		}
	case promised.instant:
		return nil
	case legal.unit == promised.unit && promised.days <= legal.days:
		return nil
	case legal.unit != promised.unit && promised.calendarDays() <= legal.calendarDays():
		return nil
	}
	return obs("承诺办结时限长于法定办结时限",
		fmt.Sprintf("承诺办结时限“%s”长于法定办结时限“%s”，承诺时限应不长于法定时限。", promisedEl.Value, legalEl.Value))
}

var vaguePattern = regexp.MustCompile(`^(其他|其它|相关)(相关)?(的)?材料$|需要提交的其他材料|其他相关材料|其它相关材料|^其他$`)

func vagueMaterials(g *Guide) []Observation {
	var obs []Observation
	for _, m := range g.Materials {
		if !vaguePattern.MatchString(cleanText(m.Name)) {
			continue
		}
		obs = append(obs, Observation{Rule: "GUIDE-MATERIAL-VAGUE", Locator: "material:" + m.Name, Box: m.Box, DOM: m.HTML,
			Title:    fmt.Sprintf("申请材料含兜底表述“%s”", m.Name),
			Detail:   fmt.Sprintf("申请材料“%s”是兜底表述，办事群众无法据此准备材料。应列明具体材料名称，不得以“其他材料”“相关材料”代替。", m.Name),
			Measured: map[string]any{"material": m.Name}})
	}
	return obs
}

func phones(g *Guide) []Observation {
	var obs []Observation
	for _, name := range []string{"咨询电话", "监督投诉电话"} {
		e := g.Elements[name]
		if e.Value == "" {
			continue
		}
		numbers, bad := parsePhones(e.Value)
		if len(numbers) == 0 && len(bad) == 0 {
			bad = []string{e.Value} // no number at all
		}
		if len(bad) == 0 {
			continue
		}
		obs = append(obs, Observation{Rule: "GUIDE-PHONE-MALFORMED", Locator: "element:" + name, Box: e.Box, DOM: e.HTML,
			Title:    fmt.Sprintf("%s号码格式不正确", name),
			Detail:   fmt.Sprintf("%s“%s”不是有效的电话号码，群众无法拨通。应为“区号-7至8位号码”、11位手机号码或12345等服务热线。", name, strings.Join(bad, "、")),
			Measured: map[string]any{"element": name, "value": e.Value, "invalid": bad, "numbers": numbers}})
	}
	return obs
}

func thinProcess(g *Guide) []Observation {
	if len(g.Process) == 0 {
		return nil
	}
	for _, step := range g.Process {
		if i := strings.IndexAny(step, "：:"); (i >= 0 && len([]rune(step[i:])) > 4) || strings.Contains(step, "时限") {
			return nil
		}
	}
	return []Observation{{Rule: "GUIDE-PROCESS-THIN", Locator: "element:办理流程",
		Title:    "办理流程只有环节名称",
		Detail:   fmt.Sprintf("办理流程仅列出“%s”等环节名称，没有说明各环节做什么、需要多长时间。建议写明每个环节的办理内容和时限。", strings.Join(g.Process, "、")),
		Measured: map[string]any{"steps": g.Process}}}
}

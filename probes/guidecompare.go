package probes

import (
	"fmt"
	"slices"
	"strings"

	"tiyan/scenarios"
)

func catalogueMismatch(g *Guide, ref *Reference) []Observation {
	if ref == nil {
		return nil
	}
	var obs []Observation
	for _, name := range ComparedElements {
		e, listed := g.Elements[name]
		want, known := ref.Elements[name]
		if !listed || !known || e.Value == "" || normalize(name, e.Value) == normalize(name, want) {
			continue // absent elements are GUIDE-ELEMENT-MISSING, not a mismatch
		}
		obs = append(obs, Observation{Rule: "GUIDE-CATALOGUE-MISMATCH", Locator: "element:" + name, Box: e.Box, DOM: e.HTML,
			Title: fmt.Sprintf("办事指南“%s”与实施清单不一致", name),
			Detail: fmt.Sprintf("办事指南“%s”为“%s”，实施清单为“%s”。办事指南应与实施清单保持一致（%s，要素不准确）。",
				name, e.Value, want, basis19),
			Measured: map[string]any{"element": name, "guide": e.Value, "catalogue": want}})
	}
	if diff := materialDiff(g.Materials, ref.Materials); len(diff) > 0 {
		obs = append(obs, Observation{Rule: "GUIDE-CATALOGUE-MISMATCH", Locator: "element:申请材料", Box: materialsBox(g),
			Title:    "申请材料与实施清单不一致",
			Detail:   "办事指南的申请材料与实施清单不一致：" + strings.Join(diff, "；") + "。应按实施清单列明材料及其必要性。",
			Measured: map[string]any{"differences": diff}})
	}
	return obs
}

// materialDiff lists how the guide's materials depart from the catalogue's.
func materialDiff(shown []GuideMaterial, want []RefMaterial) []string {
	var diff []string
	byName := map[string]GuideMaterial{}
	for _, m := range shown {
		byName[normalize("", m.Name)] = m
	}
	known := map[string]bool{}
	for _, w := range want {
		k := normalize("", w.Name)
		known[k] = true
		m, ok := byName[k]
		switch {
		case !ok:
			diff = append(diff, fmt.Sprintf("缺少“%s”", w.Name))
		case m.Requirement != "" && w.Requirement != "" && NormalizeRequirement(m.Requirement) != NormalizeRequirement(w.Requirement):
			diff = append(diff, fmt.Sprintf("“%s”标为%s，清单为%s", w.Name, m.Requirement, w.Requirement))
		}
	}
	for _, m := range shown {
		if !known[normalize("", m.Name)] {
			diff = append(diff, fmt.Sprintf("多出清单未列的“%s”", m.Name))
		}
	}
	return diff
}

func materialsBox(g *Guide) *Box {
	if len(g.Materials) == 0 {
		return nil
	}
	first, last := g.Materials[0].Box, g.Materials[len(g.Materials)-1].Box
	if first == nil || last == nil {
		return first
	}
	return &Box{X: first.X, Y: first.Y, Width: max(first.Width, last.Width), Height: last.Y + last.Height - first.Y}
}

// materialsKey renders materials for comparison across channels.
func materialsKey(ms []GuideMaterial) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, normalize("", m.Name)+"/"+NormalizeRequirement(m.Requirement))
	}
	slices.Sort(parts)
	return strings.Join(parts, "|")
}

func refMaterialsKey(ms []RefMaterial) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, normalize("", m.Name)+"/"+NormalizeRequirement(m.Requirement))
	}
	slices.Sort(parts)
	return strings.Join(parts, "|")
}

// CompareChannels compares the PC and H5 guides of one item (GUIDE-CHANNEL-DIFF). A difference is
// reported on the channel whose value departs from the catalogue, or on both when both do and
// still differ; without a catalogue entry it is reported on H5, the channel that follows PC.
func CompareChannels(pc, h5 *Guide, ref *Reference) map[scenarios.Channel][]Observation {
	out := map[scenarios.Channel][]Observation{}
	if pc == nil || h5 == nil {
		return out
	}
	for _, name := range ComparedElements {
		a, b := pc.Elements[name], h5.Elements[name]
		if a.Value == "" || b.Value == "" || normalize(name, a.Value) == normalize(name, b.Value) {
			continue
		}
		want, known := "", false
		if ref != nil {
			want, known = ref.Elements[name]
		}
		for _, side := range blame(known, normalize(name, a.Value) == normalize(name, want), normalize(name, b.Value) == normalize(name, want)) {
			el := map[scenarios.Channel]GuideElement{scenarios.PC: a, scenarios.H5: b}[side]
			out[side] = append(out[side], channelDiff(name, a.Value, b.Value, el.Box, el.HTML))
		}
	}
	ka, kb := materialsKey(pc.Materials), materialsKey(h5.Materials)
	if len(pc.Materials) > 0 && len(h5.Materials) > 0 && ka != kb {
		want := ""
		if ref != nil {
			want = refMaterialsKey(ref.Materials)
		}
		for _, side := range blame(ref != nil, ka == want, kb == want) {
			g := map[scenarios.Channel]*Guide{scenarios.PC: pc, scenarios.H5: h5}[side]
			out[side] = append(out[side], channelDiff("申请材料", materialNames(pc), materialNames(h5), materialsBox(g), ""))
		}
	}
	return out
}

// blame picks the channels to report a difference on.
func blame(known, pcRight, h5Right bool) []scenarios.Channel {
	switch {
	case !known:
		return []scenarios.Channel{scenarios.H5}
	case pcRight:
		return []scenarios.Channel{scenarios.H5}
	case h5Right:
		return []scenarios.Channel{scenarios.PC}
	}
	return []scenarios.Channel{scenarios.PC, scenarios.H5}
}

func channelDiff(name, pc, h5 string, box *Box, dom string) Observation {
	return Observation{Rule: "GUIDE-CHANNEL-DIFF", Locator: "element:" + name, Box: box, DOM: dom,
		Title:    fmt.Sprintf("电脑端与皖事通APP的“%s”不一致", name),
		Detail:   fmt.Sprintf("同一事项的“%s”，电脑端为“%s”，皖事通APP为“%s”。两端同属皖事通办，办事指南应一致。", name, pc, h5),
		Measured: map[string]any{"element": name, "pc": pc, "h5": h5}}
}

func materialNames(g *Guide) string {
	var names []string
	for _, m := range g.Materials {
		names = append(names, m.Name+"（"+m.Requirement+"）")
	}
	return strings.Join(names, "、")
}

// ElementBox is the box of a guide element by name (申请材料 for the materials), nil if absent.
func ElementBox(g *Guide, name string) *Box {
	if name == "申请材料" {
		return materialsBox(g)
	}
	return g.Elements[name].Box
}

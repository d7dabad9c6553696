package probes

import (
	"slices"
	"testing"
)

func guideWith(els map[string]string) *Guide {
	g := &Guide{Elements: map[string]GuideElement{}}
	for k, v := range els {
		g.Elements[k] = GuideElement{Found: true, Value: v}
	}
	return g
}

func rulesOf(obs []Observation) []string {
	var out []string
	for _, o := range obs {
		out = append(out, o.Rule)
	}
	return out
}

func TestDeadlines(t *testing.T) {
	for _, c := range []struct {
		legal, promised string
		bad             bool
	}{
		{"20个工作日", "10个工作日", false},
		{"20个工作日", "20个工作日", false},
		{"20个工作日", "30个工作日", true},
		{"即办", "即办", false},
		{"10个工作日", "即办", false},
		{"即办", "1个工作日", true},
		{"20", "10个工作日", true}, // no unit
		{"30个自然日", "20个工作日", false},
		{"10个自然日", "10个工作日", true},
	} {
		obs := deadlines(guideWith(map[string]string{"法定办结时限": c.legal, "承诺办结时限": c.promised}))
		if got := len(obs) > 0; got != c.bad {
			t.Errorf("legal %q promised %q: inconsistent = %v, want %v", c.legal, c.promised, got, c.bad)
		}
	}
}

func TestVagueMaterialsAndThinProcess(t *testing.T) {
	g := &Guide{Materials: []GuideMaterial{{Name: "居民身份证"}, {Name: "其他相关材料"}, {Name: "根据法律法规需要提交的其他材料"}}}
	if got := len(vagueMaterials(g)); got != 2 {
		t.Errorf("vague materials found %d, want 2", got)
	}
	g.Process = []string{"受理", "审查", "决定"}
	if got := rulesOf(thinProcess(g)); !slices.Equal(got, []string{"GUIDE-PROCESS-THIN"}) {
		t.Errorf("bare step names: %v", got)
	}
	g.Process = []string{"受理：窗口核对材料（时限：1个工作日）", "决定"}
	if got := thinProcess(g); got != nil {
		t.Errorf("steps with content reported thin: %v", got)
	}
}

func TestCatalogueAndChannelComparison(t *testing.T) {
	ref := &Reference{Elements: map[string]string{"咨询电话": "0564-3370001", "收费标准": "不收费"},
		Materials: []RefMaterial{{Name: "申请表", Requirement: "必要"}}}
	pc := guideWith(map[string]string{"咨询电话": "0564-3370001", "收费标准": "不收费"})
	h5 := guideWith(map[string]string{"咨询电话": "0564 - 3370006", "收费标准": "不 收费"})
	pc.Materials = []GuideMaterial{{Name: "申请表", Requirement: "必要"}}
	h5.Materials = []GuideMaterial{{Name: "申请表", Requirement: "可选"}}
	if got := catalogueMismatch(pc, ref); got != nil {
		t.Errorf("PC agrees with the catalogue, got %v", got)
	}
	if got := rulesOf(catalogueMismatch(h5, ref)); len(got) != 2 {
		t.Errorf("H5 phone and material requirement differ: got %v, want 2 mismatches", got)
	}
	diff := CompareChannels(pc, h5, ref)
	if len(diff["pc"]) != 0 || len(diff["h5"]) != 2 {
		t.Errorf("channel diff blamed pc %d, h5 %d; want 0 and 2 (H5 departs from the catalogue)", len(diff["pc"]), len(diff["h5"]))
	}
	if got := CompareChannels(pc, h5, nil); len(got["h5"]) != 2 {
		t.Errorf("without a catalogue H5 is blamed: %v", got)
	}
}

func TestMaterialMismatch(t *testing.T) {
	ms := []GuideMaterial{{Name: "申请表", Requirement: "必要"}, {Name: "身份证明", Requirement: "必要"}, {Name: "委托书", Requirement: "容缺"}}
	ok := []FormSlot{{"申请表", true}, {"身份证明", true}, {"委托书", false}}
	if got := materialMismatch(ms, ok); got != nil {
		t.Errorf("matching slots reported: %v", got)
	}
	for name, slots := range map[string][]FormSlot{
		"slot missing":     {{"申请表", true}, {"委托书", false}},
		"required differs": {{"申请表", false}, {"身份证明", true}, {"委托书", false}},
		"extra slot":       {{"申请表", true}, {"身份证明", true}, {"委托书", false}, {"营业执照", true}},
	} {
		if got := rulesOf(materialMismatch(ms, slots)); !slices.Equal(got, []string{"GUIDE-MATERIAL-MISMATCH"}) {
			t.Errorf("%s: %v", name, got)
		}
	}
}

package probes

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"tiyan/internal/browser"
	"tiyan/internal/portalsim"
	"tiyan/scenarios"
)

// readTestdataGuide loads a testdata page and reads it as a guide through the 皖事通办 profile,
// whose selectors name nothing on these pages: everything is found by labels and headers.
func readTestdataGuide(t *testing.T, page string) *Guide {
	t.Helper()
	ts := testdataServer(t)
	site, err := scenarios.LoadSite("../scenarios/sites/wanshitong.yaml", scenarios.SiteOptions{BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	tb := tab(t, browser.PC)
	if load, err := Open(tb, ts.URL+"/"+page, Thresholds{}); err != nil || load.Err != nil {
		t.Fatalf("open %s: %v %v", page, err, load)
	}
	g, err := ReadGuide(tb, site, scenarios.PC)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func materialsOf(g *Guide) string {
	var s []string
	for _, m := range g.Materials {
		s = append(s, m.Name+"/"+m.Requirement)
	}
	return strings.Join(s, "、")
}

// checkClean runs the page's rules that need no network and says what they found.
func checkClean(t *testing.T, g *Guide) {
	t.Helper()
	var obs []Observation
	obs = append(obs, missingElements(g)...)
	obs = append(obs, deadlines(g)...)
	obs = append(obs, phones(g)...)
	obs = append(obs, thinProcess(g)...)
	for _, o := range obs {
		t.Errorf("finding on a sound guide: %s %s — %s", o.Rule, o.Title, o.Detail)
	}
}

func TestReadGuideFromLabelledRows(t *testing.T) {
	g := readTestdataGuide(t, "guide-rows.html")
	for name, want := range map[string]string{
		"实施主体": "六安市自然资源和规划局", "受理条件": "权利人提出申请", "法定办结时限": "三十个工作日", "承诺办结时限": "5工作日",
		"收费标准": "免费", "是否收费": "否", "办理地点": "六安市政务服务中心四楼", "咨询电话": "０５６４－３３７９１６６转８００１",
		"监督投诉电话": "0564-12345、3379006",
	} {
		if got := g.Elements[name]; !got.Found || got.Value != want {
			t.Errorf("%s = %+v, want %q", name, got, want)
		}
	}
	if got, want := materialsOf(g), "不动产登记申请书/必要、身份证明/可选、授权委托书/容缺"; got != want {
		t.Errorf("materials = %s, want %s (the header row inside tbody is no material)", got, want)
	}
	if len(g.Materials) > 0 {
		var kinds []string
		for _, l := range g.Materials[0].Links {
			kinds = append(kinds, l.Kind)
		}
		if !slices.Equal(kinds, []string{"blank", "sample"}) {
			t.Errorf("links of the first material = %v, want blank and sample by their columns", kinds)
		}
	}
	if len(g.Process) != 3 || !strings.HasPrefix(g.Process[1], "受理：") {
		t.Errorf("process as a labelled row = %q, want its three steps", g.Process)
	}
	checkClean(t, g)
}

func TestReadGuideFromTabsGridsAndCards(t *testing.T) {
	g := readTestdataGuide(t, "guide-tabs.html")
	for name, want := range map[string]string{
		"事项名称": "工伤认定申请", "受理条件": "职工发生事故伤害", "法定办结时限": "60个工作日", "承诺办结时限": "二十个工作日",
		"是否收费": "否", "收费标准": "不收费", "办理形式": "窗口办理", "办理地点": "六安市政务服务中心三楼",
		"咨询电话": "(0564)3379132、400-800-1234", "监督投诉电话": "12345",
	} {
		if got := g.Elements[name]; !got.Found || got.Value != want {
			t.Errorf("%s = %+v, want %q", name, got, want)
		}
	}
	if got, want := materialsOf(g), "工伤认定申请表/必要、劳动关系证明/可选、其他相关材料/可选"; got != want {
		t.Errorf("materials in a closed tab = %s, want %s", got, want)
	}
	if len(g.Materials) > 0 && len(g.Materials[0].Links) != 2 {
		t.Errorf("links = %+v, want 空表 and 样表", g.Materials[0].Links)
	}
	if want := []string{"受理：窗口核对材料，1个工作日", "审核：审核材料，10个工作日"}; !slices.Equal(g.Process, want) {
		t.Errorf("process table in a closed tab = %q, want %q", g.Process, want)
	}
	checkClean(t, g)
	if got := rulesOf(vagueMaterials(g)); !slices.Equal(got, []string{"GUIDE-MATERIAL-VAGUE"}) {
		t.Errorf("vague material in a card: %v", got)
	}
}

func TestReadGuideWaitsForLateContent(t *testing.T) {
	g := readTestdataGuide(t, "guide-late.html")
	if got := materialsOf(g); got != "营业执照/必要" {
		t.Errorf("materials filled after load = %q", got)
	}
	if len(g.Process) != 2 {
		t.Errorf("process filled after load = %q", g.Process)
	}
	checkClean(t, g)
}

func TestGuideProbeWithoutGuideSaysNothing(t *testing.T) {
	obs, err := checkGuide(context.Background(), &Page{})
	if obs != nil || err != nil {
		t.Errorf("no guide read: got %v, %v", obs, err)
	}
}

// TestReadGuideInEveryTemplate reads a few clean guides of the simulator in each of its page
// templates on both channels: every element, material and step is found, and the rules that
// compare values (with the 实施清单 too) find nothing, however the template writes them.
func TestReadGuideInEveryTemplate(t *testing.T) {
	chromium.Browser(t)
	for _, tpl := range portalsim.Templates {
		t.Run(tpl, func(t *testing.T) {
			sim, err := portalsim.New(portalsim.Config{Templates: []string{tpl}})
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(sim)
			defer ts.Close()
			site, err := scenarios.LoadSite("../scenarios/sites/wanshitong.yaml", scenarios.SiteOptions{BaseURL: ts.URL})
			if err != nil {
				t.Fatal(err)
			}
			cat, err := LoadCatalogue(context.Background(), nil, ts.URL+"/catalogue/ssqd.json")
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range sim.Catalog().Items()[:2] {
				ref := cat.Lookup(it.Code)
				for _, ch := range []scenarios.Channel{scenarios.PC, scenarios.H5} {
					dev := map[scenarios.Channel]browser.Device{scenarios.PC: browser.PC, scenarios.H5: browser.H5}[ch]
					tb := tab(t, dev)
					u, _ := site.GuideURL(ch, it.ID, it.Code)
					if load, err := Open(tb, u.String(), Thresholds{}); err != nil || load.Err != nil {
						t.Fatalf("open %s: %v %v", u, err, load)
					}
					g, err := ReadGuide(tb, site, ch)
					if err != nil {
						t.Fatal(err)
					}
					if len(g.Materials) != len(ref.Materials) || len(g.Process) != len(it.Process) {
						t.Errorf("%s %s: %d materials (%s) and %d steps, want %d and %d", it.Code, ch, len(g.Materials), materialsOf(g), len(g.Process), len(ref.Materials), len(it.Process))
					}
					var obs []Observation
					obs = append(obs, missingElements(g)...)
					obs = append(obs, deadlines(g)...)
					obs = append(obs, phones(g)...)
					obs = append(obs, thinProcess(g)...)
					obs = append(obs, catalogueMismatch(g, ref)...)
					for _, o := range obs {
						t.Errorf("%s %s: %s %s — %s", it.Code, ch, o.Rule, o.Title, o.Detail)
					}
				}
			}
		})
	}
}

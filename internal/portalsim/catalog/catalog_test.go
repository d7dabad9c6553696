package catalog

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func mustLoad(t testing.TB) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

func TestLoadCoversTheCatalogue(t *testing.T) {
	c := mustLoad(t)
	items := c.Items()
	if len(items) < 44 {
		t.Errorf("%d items, want at least 44", len(items))
	}
	if n := len(c.Units()); n < 10 {
		t.Errorf("%d units, want at least 10", n)
	}
	zones, objects := map[string]bool{}, map[string]bool{}
	online := 0
	for _, it := range items {
		zones[it.ZoneCode] = true
		objects[it.ServiceObject] = true
		if it.Online {
			online++
		}
	}
	if len(zones) < 5 {
		t.Errorf("%d zones, want at least 5", len(zones))
	}
	if !objects["P"] || !objects["C"] {
		t.Errorf("service objects %v, want both P and C", objects)
	}
	if share := float64(online) / float64(len(items)); share < 0.55 || share > 0.8 {
		t.Errorf("%.0f%% of items online, want about two thirds", share*100)
	}
}

func TestLookups(t *testing.T) {
	c := mustLoad(t)
	// The scenario example in DESIGN.md names this code; scenarios rely on it.
	it, ok := c.ByCode("11341500MB1234567X4000117001")
	if !ok || it.Name != "个体工商户设立登记" || it.Unit != "六安市市场监督管理局" {
		t.Fatalf("ByCode(design example) = %q %q %v", it.Name, it.Unit, ok)
	}
	if got, ok := c.ByID(it.ID); !ok || got.Code != it.Code {
		t.Errorf("ByID(%s) = %s %v, want %s", it.ID, got.Code, ok, it.Code)
	}
	if _, ok := c.ByCode("nope"); ok {
		t.Error("ByCode found an unknown code")
	}
	if _, ok := c.ByID("nope"); ok {
		t.Error("ByID found an unknown id")
	}
}

func TestUnitsHaveOneCode(t *testing.T) {
	c := mustLoad(t)
	c.AddSynthetic(2000, 3)
	codes := map[string]string{}
	units := map[string]string{}
	for _, it := range c.Items() {
		if prev, ok := codes[it.Unit]; ok && prev != it.UnitCode {
			t.Errorf("unit %s has codes %s and %s", it.Unit, prev, it.UnitCode)
		}
		if prev, ok := units[it.UnitCode]; ok && prev != it.Unit {
			t.Errorf("code %s belongs to %s and %s", it.UnitCode, prev, it.Unit)
		}
		codes[it.Unit], units[it.UnitCode] = it.UnitCode, it.Unit
	}
}

func TestItemsAreCopies(t *testing.T) {
	c := mustLoad(t)
	items := c.Items()
	items[0].Name = "changed"
	items[1] = items[1].Clone()
	items[1].Materials[0].Name = "changed"
	items[1].Fields[0].Label = "changed"
	for i, it := range c.Items()[:2] {
		if it.Name == "changed" || it.Materials[0].Name == "changed" || it.Fields[0].Label == "changed" {
			t.Errorf("item %d: changing a copy changed the catalogue", i)
		}
	}
}

func TestLoadNamesBrokenItemAndLine(t *testing.T) {
	first := itemLines(itemsYAML)[0]
	loc := regexp.MustCompile(`(?m)^    conditions: .*$`).FindIndex(itemsYAML)
	broken := string(itemsYAML[:loc[0]]) + `    conditions: ""` + string(itemsYAML[loc[1]:])
	_, err := parse([]byte(broken), "items.yaml")
	if err == nil {
		t.Fatal("parse accepted an item without 受理条件")
	}
	for _, want := range []string{"items.yaml:" + strconv.Itoa(first) + ":", "个体工商户设立登记", "受理条件", "is empty"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestLoadRejectsUnknownKey(t *testing.T) {
	broken := strings.Replace(string(itemsYAML), "    fully_online: true\n", "    fully_online: true\n    colour: red\n", 1)
	_, err := parse([]byte(broken), "items.yaml")
	if err == nil || !strings.Contains(err.Error(), "colour") || !strings.Contains(err.Error(), "line ") {
		t.Fatalf("parse with an unknown key: %v, want an error naming the key and line", err)
	}
}

func TestLoadRejectsUndeclaredUnit(t *testing.T) {
	broken := strings.Replace(string(itemsYAML), "    unit: 六安市公安局\n", "    unit: 六安市公按局\n", 1)
	_, err := parse([]byte(broken), "items.yaml")
	if err == nil || !strings.Contains(err.Error(), "六安市公按局") {
		t.Fatalf("parse with a misspelt unit: %v, want an error naming it", err)
	}
}

// validItem returns a real online item and a window-only one to break in each case.
func validItems(t *testing.T) (online, window Item) {
	c := mustLoad(t)
	for _, it := range c.Items() {
		switch {
		case it.Online && online.ID == "":
			online = it.Clone()
		case !it.Online && window.ID == "":
			window = it.Clone()
		}
	}
	return online, window
}

func TestValidateRules(t *testing.T) {
	online, window := validItems(t)
	cases := []struct {
		name    string
		base    Item
		break_  func(*Item)
		element string
	}{
		{"empty conditions", online, func(it *Item) { it.Conditions = " " }, "受理条件"},
		{"empty basis", window, func(it *Item) { it.Basis = "" }, "设定依据"},
		{"no hours", online, func(it *Item) { it.Hours = "" }, "办理时间"},
		{"no materials", online, func(it *Item) { it.Materials = nil }, "申请材料"},
		{"vague material", online, func(it *Item) { it.Materials[0].Name = "根据法律法规需要提交的其他材料" }, "申请材料[1]"},
		{"no upload types", window, func(it *Item) { it.Materials[0].Types = nil }, "申请材料[1]"},
		{"thin process", online, func(it *Item) { it.Process = it.Process[:2] }, "办理流程"},
		{"step without detail", online, func(it *Item) { it.Process[1].Detail = "" }, "办理流程[2]"},
		{"promise beyond law", online, func(it *Item) {
			it.LegalLimit, it.PromisedLimit = Limit{10, "工作日"}, Limit{15, "工作日"}
		}, "承诺办结时限"},
		{"limit without unit", window, func(it *Item) { it.LegalLimit.Unit = "" }, "法定办结时限"},
		{"free but priced", online, func(it *Item) { it.Fee, it.FeeStandard = false, "每件80元" }, "收费标准"},
		{"bad phone", online, func(it *Item) { it.ConsultPhone = "3379125" }, "咨询电话"},
		{"unknown zone", online, func(it *Item) { it.ZoneCode = "110000000000" }, "行政区划"},
		{"code without unit code", online, func(it *Item) { it.Code = "4000117001" }, "事项编码"},
		{"form without idcard", online, func(it *Item) { it.Fields = []Field{it.Fields[0], it.Fields[2]} }, "在线表单"},
		{"window item with form", window, func(it *Item) { it.Fields = online.Fields }, "在线表单"},
		{"window item claims online form", window, func(it *Item) { it.Form = "网上办理" }, "办理形式"},
		{"fully online with visits", online, func(it *Item) { it.FullyOnline, it.Visits = true, 1 }, "到现场次数"},
		{"non-ASCII field name", online, func(it *Item) { it.Fields[0].Name = "姓名" }, "在线表单"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it := tc.base.Clone()
			tc.break_(&it)
			err := newCatalog([]Item{it}).Validate()
			if err == nil {
				t.Fatal("Validate accepted the broken item")
			}
			for _, want := range []string{it.Name, tc.element} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
}

func TestValidateDuplicates(t *testing.T) {
	online, window := validItems(t)
	window.ID = online.ID
	err := newCatalog([]Item{online, window}).Validate()
	if err == nil || !strings.Contains(err.Error(), "duplicates the id of item #1") {
		t.Fatalf("Validate with a duplicate id: %v", err)
	}
}

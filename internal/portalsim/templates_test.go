package portalsim

import (
	"encoding/json"
	"strings"
	"testing"

	"tiyan/internal/portalsim/catalog"
)

func TestParseTemplates(t *testing.T) {
	if got, err := ParseTemplates("all"); err != nil || len(got) != len(Templates) {
		t.Errorf("all = %v, %v; want every template", got, err)
	}
	if got, err := ParseTemplates(""); err != nil || got != nil {
		t.Errorf("\"\" = %v, %v; want the default", got, err)
	}
	if got, err := ParseTemplates(" table, xhr,table "); err != nil || strings.Join(got, ",") != "table,xhr" {
		t.Errorf("table,xhr = %v, %v", got, err)
	}
	if _, err := ParseTemplates("table,fancy"); err == nil || !strings.Contains(err.Error(), "fancy") {
		t.Errorf("an unknown template is refused with its name: %v", err)
	}
	if _, err := New(Config{Templates: []string{"fancy"}}); err == nil {
		t.Error("New accepted an unknown template")
	}
}

func TestItemsAreDealtToEveryTemplate(t *testing.T) {
	def, _ := newTestServer(t, Config{})
	if got := def.TemplateOf(def.Catalog().Items()[0].Code); got != "classic" {
		t.Errorf("default template = %s, want classic", got)
	}
	s, _ := newTestServer(t, Config{Templates: Templates})
	count := map[string]int{}
	for _, it := range s.Catalog().Items() {
		tpl := s.TemplateOf(it.Code)
		if tpl != s.TemplateOf(it.Code) {
			t.Fatalf("template of %s not deterministic", it.Code)
		}
		count[tpl]++
	}
	for _, tpl := range Templates {
		if count[tpl] == 0 {
			t.Errorf("no item is rendered in template %s: %v", tpl, count)
		}
	}
	one, _ := newTestServer(t, Config{Templates: []string{"grid"}})
	for _, it := range one.Catalog().Items() {
		if got := one.TemplateOf(it.Code); got != "grid" {
			t.Fatalf("with --templates grid, %s is rendered in %s", it.Code, got)
		}
	}
}

// TestEveryTemplateShowsTheGuide serves one item in each template on both channels: the page or
// (for xhr) its JSON carries every element's value, the materials and the steps.
func TestEveryTemplateShowsTheGuide(t *testing.T) {
	for _, tpl := range Templates {
		s, ts := newTestServer(t, Config{Templates: []string{tpl}})
		it := s.Catalog().Items()[0]
		for _, ch := range channels {
			status, body := get(t, client(t), guideURL(ts.URL, it, ch))
			if status != 200 || !strings.Contains(body, it.Name) || !strings.Contains(body, "在线办理") {
				t.Errorf("%s %s: status %d, page without the item or its entrance", tpl, ch, status)
				continue
			}
			if tpl == "xhr" {
				status, body = get(t, client(t), ts.URL+channelPrefix(ch)+"/bog-bsdt/guide/detail.do?ssqdCode="+it.Code)
				var g guideData
				if err := json.Unmarshal([]byte(body), &g); status != 200 || err != nil {
					t.Fatalf("xhr data: %d %v", status, err)
				}
			}
			for _, want := range []string{it.Unit, it.Materials[0].Name, it.Process[0].Name, "申请材料"} {
				if !strings.Contains(body, want) && !(tpl == "table" && want == "申请材料") {
					t.Errorf("%s %s: %q not shown", tpl, ch, want)
				}
			}
		}
	}
}

func TestStylesWriteTheSameValues(t *testing.T) {
	seen := map[string]bool{}
	for i := range 40 {
		st := style(i)
		seen[st.phone("0564-3379125")] = true
		seen[st.limit(catalog.Limit{Value: 20, Unit: "工作日"})] = true
		seen[st.fee("不收费")] = true
		seen[st.requirement(catalog.Optional)] = true
	}
	for _, want := range []string{"（0564）3379125", "０５６４－３３７９１２５", "0564 3379125", "二十个工作日", "20工作日", "免费", "0元", "非必要", "选填"} {
		if !seen[want] {
			t.Errorf("no style writes %q", want)
		}
	}
	if got := style(0).fee("工本费20元"); got != "工本费20元" {
		t.Errorf("a real fee is written as it is, got %q", got)
	}
}

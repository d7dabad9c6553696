package portalsim

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"tiyan/internal/portalsim/catalog"
)

func expectations(t *testing.T, base string) []Expectation {
	t.Helper()
	_, body := get(t, client(t), base+"/_sim/defects.json")
	var out []Expectation
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("defects.json: %v\n%s", err, body)
	}
	return out
}

func switchDefect(t *testing.T, base, code, ch, defect, state string) (int, string) {
	t.Helper()
	resp, err := http.Post(base+"/_sim/defects/"+code+"/"+ch+"/"+defect+"/"+state, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ans map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&ans)
	msg, _ := ans["msg"].(string)
	return resp.StatusCode, msg
}

func TestNoneHasNoDefects(t *testing.T) {
	_, ts := newTestServer(t, Config{Defects: "none"})
	if got := expectations(t, ts.URL); len(got) != 0 {
		t.Fatalf("--defects none lists %d defects", len(got))
	}
}

func TestSeededMix(t *testing.T) {
	_, ts := newTestServer(t, Config{Defects: "seeded"})
	exps := expectations(t, ts.URL)
	slots := map[string]bool{}
	rules := map[string]bool{}
	prefixes := map[string]bool{}
	for _, e := range exps {
		slots[e.ItemCode+"/"+e.Channel] = true
		d, err := DefectByName(e.Defect)
		if err != nil || !d.Sweep {
			t.Errorf("seeded defect %s is not one a sweep can see (%v)", e.Defect, err)
		}
		for _, r := range e.ExpectRules {
			rules[r] = true
			prefixes[strings.SplitN(r, "-", 2)[0]] = true
		}
	}
	if len(slots) < 25 || len(rules) < 20 {
		t.Errorf("seeded: %d item-channels and %d distinct rules, want at least 25 and 20", len(slots), len(rules))
	}
	if !prefixes["CHANNEL"] || !prefixes["GUIDE"] || !(prefixes["LAYOUT"] || prefixes["A11Y"]) {
		t.Errorf("seeded rules lack a category: %v", prefixes)
	}
}

func TestSwitchAtRunTime(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	it := pick(t, s, online)
	if status, msg := switchDefect(t, ts.URL, it.Code, "h5", "overflow", "on"); status != 200 {
		t.Fatalf("switch on: %d %s", status, msg)
	}
	exps := expectations(t, ts.URL)
	if len(exps) != 1 || exps[0].ItemCode != it.Code || exps[0].Channel != "h5" || exps[0].ExpectRules[0] != "LAYOUT-OVERFLOW" {
		t.Fatalf("after switching on: %+v", exps)
	}
	switchDefect(t, ts.URL, it.Code, "h5", "overflow", "off")
	if exps := expectations(t, ts.URL); len(exps) != 0 {
		t.Fatalf("after switching off: %+v", exps)
	}
	for _, bad := range [][4]string{{"nope", "pc", "overflow", "on"}, {it.Code, "tv", "overflow", "on"}, {it.Code, "pc", "nope", "on"}, {it.Code, "pc", "tap-target", "on"}, {it.Code, "pc", "overflow", "maybe"}} {
		if status, msg := switchDefect(t, ts.URL, bad[0], bad[1], bad[2], bad[3]); status != 400 || msg == "" {
			t.Errorf("%v: %d %q", bad, status, msg)
		}
	}
}

func TestComparedDefectsAttributeChannelDiff(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	it := s.Catalog().Items()[0]
	switchDefect(t, ts.URL, it.Code, "pc", "catalogue-mismatch", "on")
	exps := expectations(t, ts.URL)
	if got := strings.Join(exps[0].ExpectRules, ","); got != "GUIDE-CATALOGUE-MISMATCH,GUIDE-CHANNEL-DIFF" {
		t.Errorf("one channel: %s", got)
	}
	switchDefect(t, ts.URL, it.Code, "h5", "catalogue-mismatch", "on")
	for _, e := range expectations(t, ts.URL) {
		if got := strings.Join(e.ExpectRules, ","); got != "GUIDE-CATALOGUE-MISMATCH" {
			t.Errorf("both channels, %s: %s", e.Channel, got)
		}
	}
}

func TestFixtureErrorsNameTheLine(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	code := s.Catalog().Items()[0].Code
	fixture := "defects:\n  - {item: \"" + code + "\", channel: pc, defect: overflow}\n  - {item: nope, channel: pc, defect: overflow}\n  - {item: \"" + code + "\", channel: pc, defect: wobble}\n"
	err := s.Switchboard().Load("bad.yaml", []byte(fixture))
	if err == nil || !strings.Contains(err.Error(), "bad.yaml:3:") || !strings.Contains(err.Error(), "bad.yaml:4:") || !strings.Contains(err.Error(), "valid defects") {
		t.Fatalf("error: %v", err)
	}
	if len(s.Switchboard().Expectations()) != 0 {
		t.Error("a bad fixture switched something on")
	}
	if err := s.Switchboard().Load("x.yaml", []byte("defectz: []\n")); err == nil {
		t.Error("unknown key accepted")
	}
}

func TestAvailabilityDefects(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	c := client(t)
	items := s.Catalog().Items()
	cases := []struct {
		defect string
		check  func(status int, body string) bool
	}{
		{"http-500", func(st int, _ string) bool { return st == 500 }},
		{"maintenance", func(st int, b string) bool {
			return st == 200 && strings.Contains(b, "系统维护") && !strings.Contains(b, "承诺办结时限")
		}},
		{"blank", func(st int, b string) bool { return st == 200 && !strings.Contains(b, "办事指南") }},
		{"element-missing", func(st int, b string) bool { return st == 200 && !strings.Contains(b, "监督投诉电话") }},
		{"h5-missing", func(st int, b string) bool { return st == 200 && strings.Contains(b, "暂未在皖事通APP上线") }},
	}
	for i, tc := range cases {
		it := items[i]
		ch := "pc"
		if tc.defect == "h5-missing" {
			ch = "h5"
		}
		if err := s.Switchboard().Set(it.Code, ch, tc.defect, true); err != nil {
			t.Fatal(err)
		}
		if status, body := get(t, c, guideURL(ts.URL, it, ch)); !tc.check(status, body) {
			t.Errorf("%s: status %d", tc.defect, status)
		}
		other := map[string]string{"pc": "h5", "h5": "pc"}[ch]
		if status, body := get(t, c, guideURL(ts.URL, it, other)); status != 200 || !strings.Contains(body, "监督投诉电话") {
			t.Errorf("%s leaked to channel %s", tc.defect, other)
		}
	}
}

func TestSlowAndUnreachable(t *testing.T) {
	s, ts := newTestServer(t, Config{SlowDelay: 400 * time.Millisecond})
	it := s.Catalog().Items()[0]
	_ = s.Switchboard().Set(it.Code, PC, "slow", true)
	start := time.Now()
	if status, _ := get(t, client(t), guideURL(ts.URL, it, PC)); status != 200 || time.Since(start) < 400*time.Millisecond {
		t.Errorf("slow: %d after %v", status, time.Since(start))
	}
	_ = s.Switchboard().Set(it.Code, H5, "unreachable", true)
	c := &http.Client{Timeout: 500 * time.Millisecond}
	if _, err := c.Get(guideURL(ts.URL, it, H5)); err == nil {
		t.Error("unreachable page answered within the client's timeout")
	}
}

func TestAttachmentDefects(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	it := pick(t, s, hasAttachment)
	for _, defect := range []string{"attachment-404", "attachment-wrong"} {
		s.Switchboard().Reset()
		_ = s.Switchboard().Set(it.Code, PC, defect, true)
		v := s.buildGuide(it, PC, s.Switchboard().active(it.Code, PC))
		first := firstDownload(v)
		resp, err := http.Get(ts.URL + first)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 200 && resp.Header.Get("Content-Type") == "application/pdf" {
			t.Errorf("%s: first download still a PDF", defect)
		}
		h5 := firstDownload(s.buildGuide(it, H5, nil))
		if resp, _ := http.Get(ts.URL + h5); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("%s leaked to h5", defect)
		}
	}
}

func firstDownload(v guideView) string {
	for _, m := range v.Materials {
		if m.BlankURL != "" {
			return m.BlankURL
		}
		if m.SampleURL != "" {
			return m.SampleURL
		}
	}
	return ""
}

func TestContentDefectsChangeOnlyTheirChannel(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	it := pick(t, s, func(it catalog.Item) bool { return it.LegalLimit.Unit == "工作日" })
	for _, name := range []string{"catalogue-mismatch", "fee-mismatch", "deadline-inconsistent", "phone-malformed", "material-vague", "process-thin", "element-empty"} {
		d := map[string]bool{strings.ReplaceAll(name, "-", "_"): true}
		shown := viewItem(it, d)
		if shown.ConsultPhone == it.ConsultPhone && shown.FeeStandard == it.FeeStandard && shown.PromisedLimit == it.PromisedLimit &&
			len(shown.Materials) == len(it.Materials) && shown.Process[0].Detail == it.Process[0].Detail && shown.Conditions == it.Conditions {
			t.Errorf("%s changed nothing", name)
		}
		if again := viewItem(it, nil); again.ConsultPhone != it.ConsultPhone || len(again.Materials) != len(it.Materials) {
			t.Errorf("%s mutated the catalogue item", name)
		}
	}
	if got := viewItem(it, map[string]bool{"deadline_inconsistent": true}); got.PromisedLimit.Value <= got.LegalLimit.Value {
		t.Errorf("deadline-inconsistent: promised %v, legal %v", got.PromisedLimit, got.LegalLimit)
	}
}

// TestTemplateWideDefect: a defect switched on for item "*" is on every item's page of that
// channel, and the ground truth is one template expectation, not one per item.
func TestTemplateWideDefect(t *testing.T) {
	s, ts := newTestServer(t, Config{Items: 1000})
	if status, msg := switchDefect(t, ts.URL, EveryItem, "h5", "small-text", "on"); status != 200 {
		t.Fatalf("switch on: %d %s", status, msg)
	}
	items := s.Catalog().Items()
	for _, it := range []catalog.Item{items[0], items[len(items)/2], items[len(items)-1]} {
		if !s.Switchboard().Has(it.Code, "h5", "small-text") || s.Switchboard().Has(it.Code, "pc", "small-text") {
			t.Errorf("%s: template-wide small-text on h5 only is not so", it.Code)
		}
		if !s.Switchboard().active(it.Code, "h5")["small_text"] {
			t.Errorf("%s: the h5 guide is not served with small text", it.Code)
		}
	}
	exps := expectations(t, ts.URL)
	if len(exps) != 1 || exps[0].ItemCode != "" || exps[0].Scope != ScopeTemplate || exps[0].Channel != "h5" || strings.Join(exps[0].ExpectRules, ",") != "LAYOUT-SMALL-TEXT" {
		t.Fatalf("ground truth of a template-wide defect: %+v, want one template expectation", exps)
	}
	if status, msg := switchDefect(t, ts.URL, EveryItem, "pc", "overflow", "on"); status != 400 || !strings.Contains(msg, "small-text") {
		t.Errorf("a defect that cannot be template-wide: %d %q", status, msg)
	}
	switchDefect(t, ts.URL, EveryItem, "h5", "small-text", "off")
	if exps := expectations(t, ts.URL); len(exps) != 0 {
		t.Errorf("after switching off: %+v", exps)
	}
}

// TestSiteDefectIsOneExpectation: a site defect (no elder mode) switched on for several items of a
// channel is one expectation with no item, listing the items.
func TestSiteDefectIsOneExpectation(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	items := s.Catalog().Items()
	for _, it := range items[:3] {
		switchDefect(t, ts.URL, it.Code, "pc", "no-elder-mode", "on")
	}
	switchDefect(t, ts.URL, items[0].Code, "pc", "overflow", "on")
	var site []Expectation
	for _, e := range expectations(t, ts.URL) {
		if e.Defect == "no-elder-mode" {
			site = append(site, e)
		}
	}
	if len(site) != 1 || site[0].ItemCode != "" || site[0].Scope != ScopeSite || len(site[0].Items) != 3 || site[0].ExpectRules[0] != "LAYOUT-NO-ELDER-MODE" {
		t.Fatalf("site defect on 3 items: %+v, want one site expectation listing them", site)
	}
}

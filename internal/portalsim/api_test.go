package portalsim

import (
	"encoding/csv"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"tiyan/internal/portalsim/catalog"
)

func queryAPI(t *testing.T, base string, v url.Values) (int, apiAnswer) {
	t.Helper()
	status, body, _ := postForm(t, client(t), base+"/bog-bsdt/implement/queryImplements.do", v)
	var ans apiAnswer
	if status == 200 {
		if err := json.Unmarshal([]byte(body), &ans); err != nil {
			t.Fatalf("answer is not JSON: %v\n%s", err, body)
		}
	}
	return status, ans
}

func TestQueryAPIZones(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	_, all := queryAPI(t, ts.URL, url.Values{"ssqdZoneCode": {"341500000000"}, "isPage": {"false"}})
	if all.Data.Total < 40 || len(all.Data.Rows) != all.Data.Total {
		t.Fatalf("六安 has %d rows of %d, want at least 40, all returned", len(all.Data.Rows), all.Data.Total)
	}
	zones := map[string]int{}
	for _, r := range all.Data.Rows {
		if r.ID == "" || r.Code == "" || r.Name == "" || r.Unit == "" || (r.ServiceObject != "P" && r.ServiceObject != "C") || (r.IsOnline != "0" && r.IsOnline != "1") {
			t.Errorf("incomplete row %+v", r)
		}
		zones[r.ZoneCode]++
	}
	if len(zones) < 3 {
		t.Errorf("rows span %d jurisdictions, want at least 3", len(zones))
	}
	_, jz := queryAPI(t, ts.URL, url.Values{"ssqdZoneCode": {"341524000000"}, "isPage": {"false"}})
	if jz.Data.Total == 0 || jz.Data.Total >= all.Data.Total {
		t.Fatalf("金寨县 has %d of 六安's %d", jz.Data.Total, all.Data.Total)
	}
	for _, r := range jz.Data.Rows {
		if r.ZoneCode != "341524000000" {
			t.Errorf("金寨县 query returned zone %s", r.ZoneCode)
		}
	}
	_, prov := queryAPI(t, ts.URL, url.Values{"ssqdZoneCode": {"340000000000"}, "isPage": {"false"}})
	if prov.Data.Total != all.Data.Total {
		t.Errorf("province %d, 六安 %d: every simulated item is in 六安", prov.Data.Total, all.Data.Total)
	}
}

func TestQueryAPIFiltersAndPaging(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	base := url.Values{"ssqdZoneCode": {"341500000000"}}
	_, p := queryAPI(t, ts.URL, with(base, "serviceObject", "C", "isPage", "false"))
	for _, r := range p.Data.Rows {
		if r.ServiceObject != "C" {
			t.Errorf("serviceObject=C returned %s", r.ServiceObject)
		}
	}
	_, on := queryAPI(t, ts.URL, with(base, "isOnline", "1", "isPage", "false"))
	_, off := queryAPI(t, ts.URL, with(base, "isOnline", "0", "isPage", "false"))
	_, all := queryAPI(t, ts.URL, with(base, "isPage", "false"))
	if on.Data.Total == 0 || off.Data.Total == 0 || on.Data.Total+off.Data.Total != all.Data.Total {
		t.Errorf("online %d + window-only %d != %d", on.Data.Total, off.Data.Total, all.Data.Total)
	}
	_, page1 := queryAPI(t, ts.URL, with(base, "currentPageNo", "1", "pageSize", "7"))
	_, page2 := queryAPI(t, ts.URL, with(base, "currentPageNo", "2", "pageSize", "7"))
	if len(page1.Data.Rows) != 7 || len(page2.Data.Rows) != 7 || page1.Data.Rows[0].Code == page2.Data.Rows[0].Code {
		t.Errorf("paging: %d and %d rows", len(page1.Data.Rows), len(page2.Data.Rows))
	}
	name := all.Data.Rows[0].Name
	_, byName := queryAPI(t, ts.URL, with(base, "ssqdName", name, "isPage", "false"))
	if byName.Data.Total == 0 || !strings.Contains(byName.Data.Rows[0].Name, name) {
		t.Errorf("search for %s found %d", name, byName.Data.Total)
	}
	for _, bad := range []url.Values{with(base, "ssqdZoneCode", "3415"), with(base, "serviceObject", "X"), with(base, "pageSize", "0")} {
		status, body, _ := postForm(t, client(t), ts.URL+"/bog-bsdt/implement/queryImplements.do", bad)
		if status != 400 || !strings.Contains(body, "应为") {
			t.Errorf("bad query %v: %d %s", bad, status, body)
		}
	}
}

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// guideLabels are the GB/T 39046 elements RULES.md requires on every guide.
var guideLabels = []string{"事项名称", "实施主体", "设定依据", "受理条件", "申请材料", "办理流程", "法定办结时限", "承诺办结时限", "是否收费", "收费标准", "办理地点", "办理时间", "咨询电话", "监督投诉电话", "办理形式"}

func TestGuidePagesShowEveryElement(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	c := client(t)
	for _, it := range s.Catalog().Items() {
		for _, ch := range channels {
			status, body := get(t, c, guideURL(ts.URL, it, ch))
			if status != 200 {
				t.Fatalf("%s %s: %d", it.Code, ch, status)
			}
			mustContain(t, body, guideLabels...)
			mustContain(t, body, it.Name, it.ConsultPhone, it.SupervisePhone, it.PromisedLimit.String(), it.Materials[0].Name)
			if it.Online != strings.Contains(body, ">在线办理</a>") {
				t.Errorf("%s %s: online %v but entrance shown %v", it.Code, ch, it.Online, !it.Online)
			}
		}
	}
}

func TestEntryPagesAndUnknownItem(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	c := client(t)
	for _, ch := range channels {
		status, body := get(t, c, ts.URL+channelPrefix(ch)+"/bog-bsdt/static/workProcess.html?subjecttype=C")
		if status != 200 || !strings.Contains(body, "法人办事") || !strings.Contains(body, "applicationMaterial.html?ssqdId=") {
			t.Errorf("%s entry page: %d", ch, status)
		}
		status, body = get(t, c, ts.URL+channelPrefix(ch)+"/bog-bsdt/static/workProcess/components/applicationMaterial.html?ssqdId=x&ssqdCode=nope")
		if status != 404 || !strings.Contains(body, "页面不存在") {
			t.Errorf("%s unknown item: %d", ch, status)
		}
	}
	it := s.Catalog().Items()[0]
	if status, _ := get(t, c, ts.URL+"/bog-bsdt/static/workProcess/components/applicationMaterial.html?ssqdId=wrong&ssqdCode="+it.Code); status != 404 {
		t.Errorf("mismatched ssqdId answered %d", status)
	}
}

func TestDownloadsServePDFs(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	c := client(t)
	n := 0
	for _, it := range s.Catalog().Items() {
		v := s.buildGuide(it, PC, nil)
		for _, m := range v.Materials {
			for _, u := range []string{m.BlankURL, m.SampleURL} {
				if u == "" {
					continue
				}
				resp, err := c.Get(ts.URL + u)
				if err != nil {
					t.Fatal(err)
				}
				buf := make([]byte, 5)
				_, _ = resp.Body.Read(buf)
				resp.Body.Close()
				if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || string(buf) != "%PDF-" {
					t.Errorf("%s: %d %s %q", u, resp.StatusCode, resp.Header.Get("Content-Type"), buf)
				}
				n++
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d downloads offered across the catalogue", n)
	}
}

func TestCatalogueEndpoints(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	c := client(t)
	status, body := get(t, c, ts.URL+"/catalogue/ssqd.json")
	if status != 200 {
		t.Fatal(status)
	}
	back, err := catalog.ReadJSON(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Items()) != len(s.Catalog().Items()) {
		t.Errorf("JSON catalogue has %d items, want %d", len(back.Items()), len(s.Catalog().Items()))
	}
	status, body = get(t, c, ts.URL+"/catalogue/ssqd.csv")
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	cr.FieldsPerRecord = -1 // a title row above the header, as the provincial export has
	recs, err := cr.ReadAll()
	if status != 200 || err != nil || len(recs) != len(s.Catalog().Items())+2 {
		t.Fatalf("CSV: %d, %v, %d records", status, err, len(recs))
	}
	mustContain(t, strings.Join(recs[1], ","), "事项编码", "承诺办结时限", "咨询电话")
}

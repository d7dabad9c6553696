package portalsim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tiyan/internal/portalsim/catalog"
)

// element is one row of a guide: its key (the portal's field name), label and shown value.
type element struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Value string `json:"value"`
}

type materialView struct {
	catalog.Material
	BlankURL, SampleURL string
	Req                 string // the requirement as the template words it
}

// guideView is an item's guide as one channel shows it, after that channel's defects.
type guideView struct {
	catalog.Item
	Object    string // 个人 / 法人
	Elements  []element
	Materials []materialView
	Entrance  string // the 在线办理 link, "" when none is shown
	Template  string // the guide template it is rendered in
	DataURL   string // where the xhr template fetches the guide from
}

// ComparedElements are the guide elements that guide-accuracy rules compare with the catalogue
// and between channels (RULES.md GUIDE-CATALOGUE-MISMATCH): time limits, fee, place, hours,
// phones and materials.
var ComparedElements = []string{"fdbjsx", "cnbjqx", "sfsf", "sfbz", "bldz", "blsj", "zxdh", "jddh", "materials"}

// viewItem applies the content defects of one channel to an item: what the guide page states.
// The form (upload slots) follows the same view, so a defect in the guide is not also a
// mismatch with the form unless a form defect says so.
func viewItem(it catalog.Item, d map[string]bool) catalog.Item {
	it.Materials = append([]catalog.Material(nil), it.Materials...)
	it.Process = append([]catalog.Step(nil), it.Process...)
	if d["catalogue_mismatch"] {
		it.ConsultPhone = alterPhone(it.ConsultPhone)
	}
	if d["fee_mismatch"] {
		if it.Fee {
			it.FeeStandard = "按件收取，每件50元"
		} else {
			it.Fee, it.FeeStandard = true, "工本费20元"
		}
	}
	if d["deadline_inconsistent"] {
		legal := it.LegalLimit
		if legal.Unit == "即办" {
			legal = catalog.Limit{Value: 1, Unit: "工作日"}
		}
		it.PromisedLimit = catalog.Limit{Value: legal.Value + 10, Unit: legal.Unit}
	}
	if d["phone_malformed"] {
		it.ConsultPhone = "0564-33791"
	}
	if d["material_vague"] {
		it.Materials = append(it.Materials, catalog.Material{Name: "其他相关材料", Requirement: catalog.Required,
			Originals: 1, Copies: 0, Source: "申请人自备", Types: []string{"pdf", "jpg", "png"}, MaxMB: 5})
	}
	if d["element_empty"] {
		it.Conditions = ""
	}
	if d["process_thin"] {
		for i := range it.Process {
			it.Process[i].Detail, it.Process[i].Limit = "", ""
		}
	}
	return it
}

// alterPhone changes the last digit of a phone number, keeping it well formed.
func alterPhone(p string) string {
	if p == "" {
		return "0564-3370001"
	}
	last := p[len(p)-1]
	next := byte('0' + (int(last-'0')+5)%10)
	return p[:len(p)-1] + string(next)
}

func (s *Server) buildGuide(it catalog.Item, ch string, d map[string]bool) guideView {
	shown := viewItem(it, d)
	v := guideView{Item: shown, Object: objectName(it.ServiceObject)}
	fee := "否"
	if shown.Fee {
		fee = "是"
	}
	online := "否"
	if shown.FullyOnline {
		online = "是"
	}
	v.Elements = []element{
		{"sxmc", "事项名称", shown.Name},
		{"ssztmc", "实施主体", shown.Unit},
		{"sdyj", "设定依据", shown.Basis},
		{"sltj", "受理条件", shown.Conditions},
		{"fdbjsx", "法定办结时限", shown.LegalLimit.String()},
		{"cnbjqx", "承诺办结时限", shown.PromisedLimit.String()},
		{"sfsf", "是否收费", fee},
		{"sfbz", "收费标准", shown.FeeStandard},
		{"blxs", "办理形式", shown.Form},
		{"qcwb", "是否全程网办", online},
		{"dxcc", "到现场次数", strconv.Itoa(shown.Visits) + "次"},
		{"bldz", "办理地点", shown.Place},
		{"blsj", "办理时间", shown.Hours},
		{"zxdh", "咨询电话", shown.ConsultPhone},
		{"jddh", "监督投诉电话", shown.SupervisePhone},
	}
	if d["element_missing"] {
		v.Elements = removeElement(v.Elements, "jddh")
	}
	base := channelPrefix(ch)
	for i, m := range shown.Materials {
		mv := materialView{Material: m}
		q := "?ssqdCode=" + it.Code + "&channel=" + ch + "&idx=" + strconv.Itoa(i)
		if m.BlankForm {
			mv.BlankURL = "/bog-bsdt/download/material" + q + "&kind=blank"
		}
		if m.Sample {
			mv.SampleURL = "/bog-bsdt/download/material" + q + "&kind=sample"
		}
		v.Materials = append(v.Materials, mv)
	}
	if it.Online && !d["entrance_missing"] {
		v.Entrance = base + "/bog-bsdt/static/workProcess/onlineApply.html?ssqdCode=" + it.Code
	}
	return v
}

func removeElement(els []element, key string) []element {
	out := els[:0:0]
	for _, e := range els {
		if e.Key != key {
			out = append(out, e)
		}
	}
	return out
}

func objectName(o string) string {
	if o == "C" {
		return "法人"
	}
	return "个人"
}

func (s *Server) handleGuide(w http.ResponseWriter, r *http.Request, ch string) {
	q := r.URL.Query()
	it, ok := s.cat.ByCode(q.Get("ssqdCode"))
	if !ok || (q.Get("ssqdId") != "" && q.Get("ssqdId") != it.ID) {
		s.notFound(w, ch)
		return
	}
	d := s.board.active(it.Code, ch)
	if s.availabilityDefect(w, r, it, ch, d) {
		return
	}
	if d["h5_missing"] {
		s.notice(w, http.StatusOK, ch, it.Name, "该事项暂未在皖事通APP上线，请通过皖事通办网站（电脑端）办理。")
		return
	}
	back := ""
	if ch == H5 {
		back = channelPrefix(ch) + "/bog-bsdt/static/workProcess.html?subjecttype=" + it.ServiceObject
	}
	v := s.templateGuide(it, ch, d)
	name := "guide_" + v.Template
	if v.Template == "classic" {
		name = "guide_" + ch
	}
	s.render(w, http.StatusOK, name, page{Channel: ch, Title: it.Name, Back: back, D: d, Body: v})
}

// templateGuide is the guide of an item on one channel as its template writes it.
func (s *Server) templateGuide(it catalog.Item, ch string, d map[string]bool) guideView {
	v := s.buildGuide(it, ch, d)
	v.Template = s.TemplateOf(it.Code)
	if v.Template != "classic" {
		styleOf(it.Code, ch).render(&v, v.Template)
	}
	if v.Template == "xhr" {
		v.DataURL = channelPrefix(ch) + "/bog-bsdt/guide/detail.do?ssqdCode=" + it.Code
	}
	return v
}

// guideData is the guide as the xhr template's endpoint answers it: what the page script puts on
// the page, values already written the template's way, defects applied.
type guideData struct {
	Elements  []element      `json:"elements"`
	Process   []catalog.Step `json:"process"`
	Materials []dataMaterial `json:"materials"`
	Truncated bool           `json:"truncated"` // the 办理地点 value is cut with an ellipsis
	TinyLinks bool           `json:"tinyLinks"` // the download links are too small to tap
}

type dataMaterial struct {
	Name      string `json:"name"`
	Req       string `json:"req"`
	Originals int    `json:"originals"`
	Copies    int    `json:"copies"`
	BlankURL  string `json:"blankUrl,omitempty"`
	SampleURL string `json:"sampleUrl,omitempty"`
}

// xhrDelay is how long the guide endpoint takes: the page is complete before its guide arrives.
const xhrDelay = 400 * time.Millisecond

// handleGuideData answers the xhr template's GET for an item's guide.
func (s *Server) handleGuideData(w http.ResponseWriter, r *http.Request, ch string) {
	it, ok := s.cat.ByCode(r.URL.Query().Get("ssqdCode"))
	if !ok {
		http.Error(w, `{"code":404,"msg":"事项不存在"}`, http.StatusNotFound)
		return
	}
	d := s.board.active(it.Code, ch)
	v := s.templateGuide(it, ch, d)
	data := guideData{Elements: v.Elements, Process: v.Process, Truncated: d["truncated"], TinyLinks: d["tap_target"]}
	for _, m := range v.Materials {
		data.Materials = append(data.Materials, dataMaterial{Name: m.Name, Req: m.Req, Originals: m.Originals, Copies: m.Copies,
			BlankURL: m.BlankURL, SampleURL: m.SampleURL})
	}
	select {
	case <-r.Context().Done():
		return
	case <-time.After(xhrDelay):
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(data)
}

// availabilityDefect serves the defects that make a guide page unavailable; it reports whether
// it answered the request.
func (s *Server) availabilityDefect(w http.ResponseWriter, r *http.Request, it catalog.Item, ch string, d map[string]bool) bool {
	switch {
	case d["unreachable"]:
		select {
		case <-r.Context().Done():
		case <-time.After(s.cfg.HangLimit):
		}
		http.Error(w, "gateway timeout", http.StatusGatewayTimeout)
		return true
	case d["flaky"] && s.flakyFails(it.Code+"/"+ch):
		http.Error(w, "503 Service Temporarily Unavailable", http.StatusServiceUnavailable)
		return true
	case d["http_500"]:
		http.Error(w, "500 Internal Server Error", http.StatusInternalServerError)
		return true
	case d["maintenance"]:
		s.notice(w, http.StatusOK, ch, "系统维护中", "系统维护中，暂停服务，请稍后再试。给您带来不便，敬请谅解。")
		return true
	case d["blank"]:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = s.pages["blank"].ExecuteTemplate(w, "layout", nil)
		return true
	case d["slow"]:
		select {
		case <-r.Context().Done():
			return true
		case <-time.After(s.cfg.SlowDelay):
		}
	}
	return false
}

// flakyFails fails one request in eight, counting per item-channel, so a week of probes sees a
// failure share above the 5 % of RULES.md while any single visit most likely succeeds.
func (s *Server) flakyFails(key string) bool {
	s.flakyMu.Lock()
	defer s.flakyMu.Unlock()
	s.flaky[key]++
	return s.flaky[key]%8 == 0
}

type entryView struct {
	Object, Query      string
	Rows               []catalog.Item
	Total, Page, Pages int
	Prev, Next         int
}

func (s *Server) handleEntry(w http.ResponseWriter, r *http.Request, ch string) {
	q := r.URL.Query()
	obj := q.Get("subjecttype")
	if obj != "C" {
		obj = "P"
	}
	pageNo, _ := strconv.Atoi(q.Get("currentPageNo"))
	pageNo = max(pageNo, 1)
	const size = 20
	rows, total := s.cat.Query(catalog.Query{Zone: zoneLuan, ServiceObject: obj, Name: strings.TrimSpace(q.Get("ssqdName")), Page: pageNo, PageSize: size})
	pages := max((total+size-1)/size, 1)
	v := entryView{Object: obj, Query: q.Get("ssqdName"), Rows: rows, Total: total, Page: pageNo, Pages: pages, Prev: pageNo - 1, Next: pageNo + 1}
	title := "个人办事"
	if obj == "C" {
		title = "法人办事"
	}
	s.render(w, http.StatusOK, "entry", page{Channel: ch, Title: title, Body: v})
}

// zoneLuan is 六安市 with its counties and districts.
const zoneLuan = "341500000000"

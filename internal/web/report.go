package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
	"tiyan/internal/loop"
	"tiyan/internal/upload"
)

// reportView is the manual report form (人工报告): an officer's problem or praise, with photos;
// bureau staff file public-survey results (民意调查) through it too.
type reportView struct {
	layout
	Form                   url.Values
	Error                  string
	Source                 string // who the report is filed as
	Categories, Severities []option
	Channels, Units, Zones []option
	Activities             []option
	Accept, Limits         string
	// ItemSearch is the item search's URL when there is one, and ItemScript the script that
	// offers its suggestions as one types an item's name or code.
	ItemSearch, ItemScript string
}

// itemsScript is the URL path of the script of the report form's item search.
var itemsScript = staticPath("items.js")

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userOf(r)
	if !auth.Allows(u, auth.Report) {
		s.fail(w, r, auth.Forbidden(u, auth.Report))
		return
	}
	v, err := s.reportView(r, u, url.Values{"kind": {"problem"}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "report", v)
}

func (s *Server) reportView(r *http.Request, u finding.User, form url.Values) (reportView, error) {
	ctx := r.Context()
	zone := form.Get("zone")
	if zone == "" && u.Role == finding.RoleStaff {
		zone = u.Jurisdiction
	}
	v := reportView{
		layout: s.layout(r, "报告问题", "report"), Form: form, Source: reportSource(u).Label(),
		Categories: enumOptions(categoryOrder, finding.Category(form.Get("category"))),
		Severities: enumOptions(severityOrder, finding.Severity(form.Get("severity"))),
		Channels:   enumOptions(channelOrder, finding.Channel(form.Get("channel"))),
		Zones:      zoneOptions(u, zone), Accept: strings.Join(upload.Photo.Accept, ","), Limits: upload.Photo.Describe(),
	}
	if s.items != nil {
		v.ItemSearch, v.ItemScript = s.path("/api/items"), s.path(itemsScript)
	}
	unitID, _ := strconv.ParseInt(form.Get("unit"), 10, 64)
	units, err := s.unitOptions(ctx, u, unitID)
	if err != nil {
		return v, err
	}
	v.Units = units
	if u.Role == finding.RoleOfficer {
		if v.Activities, err = s.activityOptions(ctx, u, form.Get("activity")); err != nil {
			return v, err
		}
	}
	return v, nil
}

// reportSource is what a report filed by u counts as: an officer's own, or a survey the bureau
// records.
func reportSource(u finding.User) finding.Source {
	if u.Role == finding.RoleOfficer {
		return finding.SourceOfficer
	}
	return finding.SourceSurvey
}

// activityOptions are the experience activities of the last half year the officer took part in.
func (s *Server) activityOptions(ctx context.Context, u finding.User, selected string) ([]option, error) {
	acts, err := s.store.Activities(ctx, finding.ActivityFilter{OfficerID: u.OfficerID, From: s.now().AddDate(0, -6, 0)})
	if err != nil {
		return nil, err
	}
	out := []option{}
	for i := len(acts) - 1; i >= 0; i-- { // newest first
		a := acts[i]
		id := strconv.FormatInt(a.ID, 10)
		label := finding.FormatDate(a.Date) + " " + a.Mode.Label() + a.Form.Label() + "体验"
		if a.Title != "" {
			label += "：" + a.Title
		}
		out = append(out, option{Value: id, Label: label, Selected: id == selected})
	}
	return out, nil
}

// reportPost files the report through the loop and shows it.
func (s *Server) reportPost(w http.ResponseWriter, r *http.Request) {
	u, _ := userOf(r)
	if !auth.Allows(u, auth.Report) {
		s.fail(w, r, auth.Forbidden(u, auth.Report))
		return
	}
	form, photos, err := readForm(w, r, upload.Photo, "photos")
	if err == nil {
		var rep loop.Report
		if rep, err = s.reportOf(r.Context(), u, form, photos); err == nil {
			var f finding.Finding
			if f, err = s.loop.Report(r.Context(), rep); err == nil {
				http.Redirect(w, r, s.path("/findings/"+strconv.FormatInt(f.ID, 10))+"?done=report", http.StatusSeeOther)
				return
			}
		}
	}
	if form == nil {
		form = url.Values{}
	}
	v, verr := s.reportView(r, u, form)
	if verr != nil {
		s.fail(w, r, verr)
		return
	}
	v.Error = finding.ErrorMessage(err)
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "report failed", "err", err)
		v.Error = "服务器处理时出错，报告未提交，请稍后重试。"
	}
	s.render(w, r, status, "report", v)
}

// reportOf reads the form into a report u may file: a unit and a jurisdiction within their
// reach, an activity they took part in.
func (s *Server) reportOf(ctx context.Context, u finding.User, form url.Values, photos []upload.File) (loop.Report, error) {
	get := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	rep := loop.Report{
		Praise: get("kind") == "praise", Source: reportSource(u), Title: get("title"), Detail: get("detail"),
		ItemCode: get("item_code"), ItemName: get("item_name"), URL: get("url"), Actor: u.Actor(),
		Photos: upload.EvidenceOf(photos, finding.EvidencePhoto),
	}
	if u.Role == finding.RoleOfficer {
		rep.OfficerID = u.OfficerID
	}
	var err error
	if rep.Category, err = parseRequired(get("category"), "问题类别", finding.ParseCategory); err != nil {
		return rep, err
	}
	if v := get("severity"); v != "" || !rep.Praise {
		if rep.Severity, err = parseRequired(v, "严重程度", finding.ParseSeverity); err != nil {
			return rep, err
		}
	}
	if rep.Channel, err = parseRequired(get("channel"), "办理渠道", finding.ParseChannel); err != nil {
		return rep, err
	}
	if rep.URL != "" && !strings.HasPrefix(rep.URL, "https://") && !strings.HasPrefix(rep.URL, "http://") {
		return rep, finding.Errorf(finding.EINVALID, "页面地址应以 http:// 或 https:// 开头")
	}
	if err := s.reportPlace(ctx, u, get("unit"), get("zone"), &rep); err != nil {
		return rep, err
	}
	return rep, s.reportActivity(ctx, u, get("activity"), &rep)
}

func parseRequired[T ~string](v, what string, parse func(string) (T, error)) (T, error) {
	if v == "" {
		var zero T
		return zero, finding.Errorf(finding.EINVALID, "请选择%s", what)
	}
	return parse(v)
}

// reportPlace sets the report's unit and jurisdiction: the zone chosen, else the unit's, else
// a staff member's own; staff only within their jurisdiction.
func (s *Server) reportPlace(ctx context.Context, u finding.User, unitText, zone string, rep *loop.Report) error {
	if zone != "" && !finding.ValidZone(zone) {
		return finding.Errorf(finding.EINVALID, "行政区划代码 %q 应为 6 位或 12 位数字", zone)
	}
	if unitText != "" {
		id, err := strconv.ParseInt(unitText, 10, 64)
		if err != nil || id <= 0 {
			return finding.Errorf(finding.EINVALID, "责任单位 %q 无效，请从列表中选择", unitText)
		}
		unit, err := s.store.Unit(ctx, id)
		if err != nil {
			return err
		}
		if !auth.InScope(u, unit.Jurisdiction) {
			return finding.Errorf(finding.EFORBIDDEN, "“%s”不在您的管辖范围内", unit.Name)
		}
		rep.UnitID = id
		if zone == "" {
			zone = unit.Jurisdiction
		}
	}
	if zone == "" && u.Role == finding.RoleStaff {
		zone = u.Jurisdiction
	}
	if !auth.InScope(u, zone) {
		return finding.Errorf(finding.EFORBIDDEN, "行政区划 %s 不在您的管辖范围内", jurisdictionText(zone))
	}
	rep.Jurisdiction = zone
	return nil
}

// reportActivity links the report to an activity the officer took part in.
func (s *Server) reportActivity(ctx context.Context, u finding.User, text string, rep *loop.Report) error {
	if text == "" {
		return nil
	}
	id, err := strconv.ParseInt(text, 10, 64)
	if err != nil || id <= 0 || u.Role != finding.RoleOfficer {
		return finding.Errorf(finding.EINVALID, "体验活动 %q 无效，请从列表中选择", text)
	}
	a, err := s.store.Activity(ctx, id)
	if err != nil {
		return err
	}
	for _, p := range a.Participants {
		if p == u.OfficerID {
			rep.ActivityID = id
			return nil
		}
	}
	return finding.Errorf(finding.EFORBIDDEN, "您没有参加体验活动 #%d，不能关联该活动", id)
}

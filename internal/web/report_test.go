package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"tiyan/internal/finding"
)

// reportForm is a filled-in manual report.
func reportForm(unit int64) url.Values {
	return url.Values{"kind": {"problem"}, "title": {"综合窗口排队超过一小时"}, "category": {"service"}, "severity": {"major"},
		"channel": {"offline"}, "item_code": {itemA}, "item_name": {"个体工商户设立登记"}, "unit": {strconv.FormatInt(unit, 10)},
		"detail": {"上午 9 点取号，10 点 20 分才办理。"}}
}

// reported returns the finding a report's redirect names.
func reported(t *testing.T, fx *fixture, loc string) finding.Finding {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(loc, "/findings/%d?done=report", &id); err != nil {
		t.Fatalf("report redirected to %q", loc)
	}
	f, err := fx.loop.Show(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestWebReportOfficer(t *testing.T) {
	fx := newFixture(t)
	act, err := fx.store.CreateActivity(t.Context(), finding.Activity{Date: monday, Mode: finding.Group, Form: finding.OnSite,
		Title: "市政务服务中心集中体验", Participants: []int64{fx.officer.ID}})
	if err != nil {
		t.Fatal(err)
	}
	page := fx.officerClient.get(t, "/report")
	page.has(t, "<h1>报告问题</h1>", `enctype="multipart/form-data"`, `<label for="photos">现场照片（选填）</label>`,
		`accept="image/jpeg,image/png,.jpg,.jpeg,.png"`, "本报告计为“体验官”来源", `<option value="offline">线下窗口</option>`,
		fmt.Sprintf(`<option value="%d">2026-06-01 集中线下体验：市政务服务中心集中体验</option>`, act.ID))
	form := reportForm(fx.unitSCJGJ)
	form.Set("activity", strconv.FormatInt(act.ID, 10))
	loc := fx.officerClient.postFiles(t, "/report", form, file{"photos", "排队.jpg", tinyJPEG}, file{"photos", "叫号屏", tinyPNG}).redirect(t)
	f := reported(t, fx, loc)
	if f.Kind != finding.Problem || f.Source != finding.SourceOfficer || f.OfficerID != fx.officer.ID || f.ActivityID != act.ID ||
		f.UnitID != fx.unitSCJGJ || f.Jurisdiction != "341500" || f.Channel != finding.Offline || f.Severity != finding.Major ||
		len(f.Evidence) != 2 || f.Evidence[0].Kind != finding.EvidencePhoto || f.Evidence[1].Name != "叫号屏.png" || f.Events[0].Actor != "王芳" {
		t.Fatalf("reported finding: %+v", f)
	}
	fx.officerClient.get(t, loc).has(t, "报告已提交，感谢您的反馈。", "综合窗口排队超过一小时", "现场照片：排队.jpg")
	// The bureau sees it to triage; the unit does not, until it is fed back.
	if r := fx.staff.get(t, fmt.Sprintf("/findings/%d", f.ID)); r.status != http.StatusOK {
		t.Errorf("staff: %d", r.status)
	}
	if r := fx.unitSCJGJClient.get(t, fmt.Sprintf("/findings/%d", f.ID)); r.status != http.StatusNotFound {
		t.Errorf("unit before feedback: %d", r.status)
	}
}

func TestWebReportPraise(t *testing.T) {
	fx := newFixture(t)
	form := url.Values{"kind": {"praise"}, "title": {"帮办代办服务周到"}, "category": {"service"}, "channel": {"offline"}, "zone": {"341522"}}
	f := reported(t, fx, fx.officerClient.post(t, "/report", form).redirect(t))
	if f.Kind != finding.Praise || f.Severity != finding.Advice || f.Jurisdiction != "341522" || f.UnitID != 0 {
		t.Errorf("praise: %+v", f)
	}
}

func TestWebReportRefused(t *testing.T) {
	fx := newFixture(t)
	other := reportForm(fx.unitSCJGJ)
	other.Set("activity", "999")
	for _, c := range []struct {
		form   url.Values
		files  []file
		status int
		want   string
	}{
		{url.Values{"title": {"x"}, "channel": {"pc"}}, nil, 400, "请选择问题类别"},
		{url.Values{"title": {"x"}, "category": {"guide"}, "channel": {"pc"}}, nil, 400, "请选择严重程度"},
		{url.Values{"category": {"guide"}, "severity": {"minor"}, "channel": {"pc"}}, nil, 400, "请写明问题标题"},
		{url.Values{"title": {"x"}, "category": {"guide"}, "severity": {"minor"}, "channel": {"pc"}, "url": {"javascript:alert(1)"}}, nil, 400, "页面地址应以 http:// 或 https:// 开头"},
		{reportForm(fx.unitSCJGJ), []file{{"photos", "材料.pdf", tinyPDF}}, 400, "文件“材料.pdf”不是JPEG 或 PNG 图片"},
		{other, nil, 404, "体验活动 #999 不存在"},
	} {
		r := fx.officerClient.postFiles(t, "/report", c.form, c.files...)
		if r.status != c.status || !strings.Contains(r.body, c.want) {
			t.Errorf("%q: %d\n%.400s", c.want, r.status, mainOf(r.body))
		}
	}
	// What was typed stays in the form.
	r := fx.officerClient.post(t, "/report", url.Values{"title": {"保留的标题"}, "channel": {"h5"}})
	r.has(t, `value="保留的标题"`, `<option value="h5" selected>`)
	if n, _ := fx.store.CountFindings(t.Context(), finding.FindingFilter{}); n != 6 {
		t.Errorf("refused reports stored: %d findings", n)
	}
}

// TestWebReportStaff: bureau staff file survey results, within their jurisdiction; units file
// nothing.
func TestWebReportStaff(t *testing.T) {
	fx := newFixture(t)
	f := reported(t, fx, fx.staff.post(t, "/report", reportForm(fx.unitRSJ)).redirect(t))
	if f.Source != finding.SourceSurvey || f.OfficerID != 0 || f.Events[0].Actor != "李强" {
		t.Errorf("staff report: source %s, officer %d, by %s", f.Source, f.OfficerID, f.Events[0].Actor)
	}
	if r := fx.staffJinan.post(t, "/report", reportForm(fx.unitRSJ)); r.status != http.StatusForbidden || !strings.Contains(r.body, "不在您的管辖范围内") {
		t.Errorf("staff of 金安区 reporting on a city unit: %d", r.status)
	}
	form := reportForm(fx.unitRSJ)
	form.Del("unit")
	f = reported(t, fx, fx.staffJinan.post(t, "/report", form).redirect(t))
	if f.Jurisdiction != "341502" {
		t.Errorf("a staff report without a unit is in %q, want the staff's own 341502", f.Jurisdiction)
	}
	for _, r := range []response{fx.unitSCJGJClient.get(t, "/report"), fx.unitSCJGJClient.post(t, "/report", reportForm(fx.unitSCJGJ))} {
		if r.status != http.StatusForbidden || !strings.Contains(r.body, "您的账号（窗口单位）不能报告问题") {
			t.Errorf("unit reporting: %d", r.status)
		}
	}
}

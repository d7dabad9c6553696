package loop

import (
	"strings"
	"testing"

	"tiyan/internal/finding"
)

func TestReport(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		u := e.unit(t, "霍山县政务服务中心")
		start, end, review := finding.TermFrom(wednesday.AddDate(0, -2, 0))
		o := ok[finding.Officer](t)(e.s.CreateOfficer(c, finding.Officer{Name: "周敏", Category: finding.OfficerCitizen, TermStart: start, TermEnd: end, ReviewOn: review}))
		a := ok[finding.Activity](t)(e.s.CreateActivity(c, finding.Activity{Date: wednesday, Mode: finding.Group, Form: finding.OnSite, Participants: []int64{o.ID}}))
		f := ok[finding.Finding](t)(e.Report(c, Report{
			Title: "自助终端无法打印", Detail: "二楼大厅 3 号自助终端打印时卡纸", Category: finding.CatChannel, Severity: finding.Major,
			ItemCode: "340100-0001", UnitID: u.ID, Channel: finding.Offline, OfficerID: o.ID, ActivityID: a.ID,
			Photos: []finding.Evidence{{Name: "terminal.jpg", ContentType: "image/jpeg", Data: []byte("jpg")}},
		}))
		if f.Source != finding.SourceOfficer || f.Officer != "周敏" || f.ActivityID != a.ID || f.Jurisdiction != "341500" ||
			f.Unit != u.Name || f.Status != finding.Found || f.Events[0].Actor != "周敏" || !f.FirstSeen.Equal(wednesday) {
			t.Fatalf("report = %+v", f)
		}
		if len(f.Evidence) != 1 || f.Evidence[0].Kind != finding.EvidencePhoto || f.Evidence[0].Size != 3 {
			t.Errorf("photos = %+v", f.Evidence)
		}
		ok[finding.Officer](t)(e.s.DismissOfficer(c, o.ID, wednesday, "任期届满"))
		_, err := e.Report(c, Report{Title: "x", Category: finding.CatService, Severity: finding.Minor, OfficerID: o.ID})
		wantCode(t, err, finding.ECONFLICT)
	})
}

func TestReportChecks(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		base := Report{Title: "标题", Category: finding.CatService, Severity: finding.Minor, Actor: "王芳"}
		cases := map[string]func(r *Report){
			"no title":     func(r *Report) { r.Title = " " },
			"category":     func(r *Report) { r.Category = "ui" },
			"severity":     func(r *Report) { r.Severity = "" },
			"probe source": func(r *Report) { r.Source = finding.SourceProbe },
			"channel":      func(r *Report) { r.Channel = "app" },
			"zone":         func(r *Report) { r.Jurisdiction = "34" },
			"no actor":     func(r *Report) { r.Actor = "" },
		}
		for name, mod := range cases {
			r := base
			mod(&r)
			if _, err := e.Report(c, r); finding.ErrorCode(err) != finding.EINVALID {
				t.Errorf("%s: %v", name, err)
			}
		}
		for name, mod := range map[string]func(r *Report){
			"unit":     func(r *Report) { r.UnitID = 99999 },
			"officer":  func(r *Report) { r.OfficerID = 99999 },
			"activity": func(r *Report) { r.ActivityID = 99999 },
		} {
			r := base
			mod(&r)
			if _, err := e.Report(c, r); finding.ErrorCode(err) != finding.ENOTFOUND {
				t.Errorf("%s: %v", name, err)
			}
		}
		survey := base
		survey.Source = finding.SourceSurvey
		if f, err := e.Report(c, survey); err != nil || f.Source != finding.SourceSurvey {
			t.Errorf("survey report: %+v, %v", f, err)
		}
		if n := ok[int](t)(e.s.CountFindings(c, finding.FindingFilter{})); n != 1 {
			t.Errorf("%d findings stored, want only the valid one", n)
		}
	})
}

// TestTextLimits: a 15 MB title, a detail past 5,000 characters and a note past 2,000 are
// refused by the loop, whoever calls it (CLI, web form, API); nothing is stored.
func TestTextLimits(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		base := Report{Title: "标题", Category: finding.CatGuide, Severity: finding.Major, Actor: "王芳"}
		for _, r := range []Report{
			func(r Report) Report { r.Title = strings.Repeat("x", 15<<20); return r }(base),
			func(r Report) Report { r.Detail = strings.Repeat("详", finding.MaxDetail+1); return r }(base),
			func(r Report) Report { r.Actor = strings.Repeat("王", finding.MaxName+1); return r }(base),
		} {
			_, err := e.Report(c, r)
			wantCode(t, err, finding.EINVALID)
		}
		if fs := ok[[]finding.Finding](t)(e.List(c, finding.FindingFilter{})); len(fs) != 0 {
			t.Errorf("%d findings stored from refused reports", len(fs))
		}
		u := e.unit(t, "霍邱县政务服务中心")
		f := e.report(t, finding.Major)
		long := strings.Repeat("注", finding.MaxNote+1)
		_, err := e.Feedback(c, f.ID, Feedback{UnitID: u.ID, Note: long, Actor: "李强"})
		wantCode(t, err, finding.EINVALID)
		_, err = e.Dismiss(c, f.ID, long, "李强")
		wantCode(t, err, finding.EINVALID)
		f = ok[finding.Finding](t)(e.Feedback(c, f.ID, Feedback{UnitID: u.ID, Note: strings.Repeat("注", finding.MaxNote), Actor: "李强"}))
		_, err = e.Handle(c, f.ID, long, nil, "霍邱县")
		wantCode(t, err, finding.EINVALID)
	})
}

package storetest

import (
	"testing"
	"time"

	"tiyan/internal/finding"
)

func officer(name string, cat finding.OfficerCategory) finding.Officer {
	start, end, review := finding.TermFrom(time.Date(2026, 3, 1, 0, 0, 0, 0, finding.Zone))
	return finding.Officer{Name: name, Category: cat, Phone: "13800000000", Organization: "六安日报社",
		TermStart: start, TermEnd: end, ReviewOn: review}
}

func testOfficers(t *testing.T, s finding.Store) {
	c := ctx(t)
	o := must[finding.Officer](t)(s.CreateOfficer(c, officer("张敏", finding.OfficerMedia)))
	if o.ID == 0 || o.Status != finding.OfficerActive || o.Category != finding.OfficerMedia || o.Organization != "六安日报社" {
		t.Fatalf("created officer = %+v", o)
	}
	eq(t, "term start", finding.FormatDate(o.TermStart), "2026-03-01")
	eq(t, "term end", finding.FormatDate(o.TermEnd), "2027-02-28")
	eq(t, "review", finding.FormatDate(o.ReviewOn), "2027-02-28")
	o2 := must[finding.Officer](t)(s.CreateOfficer(c, officer("张敏", finding.OfficerCitizen)))
	_, err := s.CreateOfficer(c, officer("刘洋", "journalist"))
	wantCode(t, err, finding.EINVALID)

	byName := must[[]finding.Officer](t)(s.Officers(c, finding.OfficerFilter{Name: "张敏"}))
	eqSlice(t, "officers named 张敏", []int64{byName[0].ID, byName[1].ID}, []int64{o.ID, o2.ID})

	d := must[finding.Officer](t)(s.DismissOfficer(c, o.ID, t0, "年度考核不合格"))
	if d.Status != finding.OfficerDismissed || d.DismissReason != "年度考核不合格" {
		t.Errorf("dismissed officer = %+v", d)
	}
	sameTime(t, "dismissed at", d.DismissedAt, t0)
	_, err = s.DismissOfficer(c, o.ID, t0, "again")
	wantCode(t, err, finding.ECONFLICT)
	_, err = s.DismissOfficer(c, 99999, t0, "x")
	wantCode(t, err, finding.ENOTFOUND)
	_, err = s.Officer(c, 99999)
	wantCode(t, err, finding.ENOTFOUND)

	active := must[[]finding.Officer](t)(s.Officers(c, finding.OfficerFilter{Status: finding.OfficerActive}))
	if len(active) != 1 || active[0].ID != o2.ID {
		t.Errorf("active officers = %+v", active)
	}
	eq(t, "all officers", len(must[[]finding.Officer](t)(s.Officers(c, finding.OfficerFilter{}))), 2)
}

func testActivities(t *testing.T, s finding.Store) {
	c := ctx(t)
	a1 := must[finding.Officer](t)(s.CreateOfficer(c, officer("陈静", finding.OfficerBusiness)))
	a2 := must[finding.Officer](t)(s.CreateOfficer(c, officer("赵磊", finding.OfficerOfficial)))
	day := func(s string) time.Time { d, _ := finding.ParseDate(s); return d }
	act := must[finding.Activity](t)(s.CreateActivity(c, finding.Activity{Date: day("2026-05-20"), Mode: finding.Group,
		Form: finding.OnSite, Title: "市政务服务中心集中体验", Participants: []int64{a2.ID, a1.ID}}))
	if act.ID == 0 || finding.FormatDate(act.Date) != "2026-05-20" || act.Mode != finding.Group || act.Form != finding.OnSite {
		t.Fatalf("created activity = %+v", act)
	}
	eqSlice(t, "participants", act.Participants, []int64{a2.ID, a1.ID})
	eqSlice(t, "participant names", act.ParticipantNames, []string{"赵磊", "陈静"})
	solo := must[finding.Activity](t)(s.CreateActivity(c, finding.Activity{Date: day("2026-06-02"), Mode: finding.Individual,
		Form: finding.Online, Participants: []int64{a1.ID}}))

	_, err := s.CreateActivity(c, finding.Activity{Date: day("2026-06-03"), Mode: finding.Individual, Form: finding.Online, Participants: []int64{99999}})
	wantCode(t, err, finding.ENOTFOUND)
	_, err = s.CreateActivity(c, finding.Activity{Date: day("2026-06-03"), Mode: "alone", Form: finding.Online})
	wantCode(t, err, finding.EINVALID)

	all := must[[]finding.Activity](t)(s.Activities(c, finding.ActivityFilter{}))
	eqSlice(t, "activities (the refused one not stored)", []int64{all[0].ID, all[1].ID}, []int64{act.ID, solo.ID})
	eq(t, "activities", len(all), 2)
	june := must[[]finding.Activity](t)(s.Activities(c, finding.ActivityFilter{From: day("2026-06-01"), To: day("2026-06-30")}))
	if len(june) != 1 || june[0].ID != solo.ID {
		t.Errorf("June activities = %+v", june)
	}
	of2 := must[[]finding.Activity](t)(s.Activities(c, finding.ActivityFilter{OfficerID: a2.ID}))
	if len(of2) != 1 || of2[0].ID != act.ID {
		t.Errorf("activities of %d = %+v", a2.ID, of2)
	}
	_, err = s.Activity(c, 99999)
	wantCode(t, err, finding.ENOTFOUND)
}

package storetest

import (
	"testing"

	"tiyan/internal/finding"
)

func testCreateFinding(t *testing.T, s finding.Store) {
	c := ctx(t)
	u := must[finding.Unit](t)(s.CreateUnit(c, finding.Unit{Name: "裕安区政务服务中心", Jurisdiction: "341503"}))
	o := must[finding.Officer](t)(s.CreateOfficer(c, officer("孙丽", finding.OfficerCitizen)))
	f := manual("窗口午休无人值守")
	f.UnitID, f.OfficerID, f.Jurisdiction = u.ID, o.ID, "341503"
	f.Measured = map[string]any{"wait_minutes": 35.0, "window": "A12"}
	photo := finding.Evidence{Kind: finding.EvidencePhoto, Name: "window.jpg", ContentType: "image/jpeg", Data: []byte("\xff\xd8jpeg"), Created: t0}
	got := must[finding.Finding](t)(s.CreateFinding(c, f, foundBy("孙丽"), []finding.Evidence{photo}))

	if got.ID == 0 || got.Kind != finding.Problem || got.Status != finding.Found || got.Title != f.Title ||
		got.Unit != u.Name || got.UnitID != u.ID || got.Officer != "孙丽" || got.Channel != finding.Offline ||
		got.Occurrences != 1 || got.Measured["window"] != "A12" || got.Measured["wait_minutes"] != 35.0 {
		t.Fatalf("created finding = %+v", got)
	}
	sameTime(t, "first seen", got.FirstSeen, t0)
	if !got.Deadline.IsZero() {
		t.Errorf("deadline = %v, want none", got.Deadline)
	}
	if len(got.Events) != 1 || got.Events[0].Action != finding.ActFound || got.Events[0].From != "" ||
		got.Events[0].To != finding.Found || got.Events[0].Actor != "孙丽" {
		t.Fatalf("events = %+v", got.Events)
	}
	sameTime(t, "event at", got.Events[0].At, t0)
	if len(got.Evidence) != 1 || got.Evidence[0].Name != "window.jpg" || got.Evidence[0].Size != 6 ||
		got.Evidence[0].Data != nil || got.Evidence[0].EventID != got.Events[0].ID {
		t.Fatalf("evidence = %+v", got.Evidence)
	}
	ev := must[finding.Evidence](t)(s.Evidence(c, got.Evidence[0].ID))
	if string(ev.Data) != string(photo.Data) || ev.ContentType != "image/jpeg" || ev.Kind != finding.EvidencePhoto {
		t.Errorf("evidence with data = %+v", ev)
	}
	_, err := s.Evidence(c, 99999)
	wantCode(t, err, finding.ENOTFOUND)
	_, err = s.Finding(c, 99999)
	wantCode(t, err, finding.ENOTFOUND)

	bad := manual("")
	_, err = s.CreateFinding(c, bad, foundBy("x"), nil)
	wantCode(t, err, finding.EINVALID)
	bad = manual("标题")
	bad.Category = "ui"
	_, err = s.CreateFinding(c, bad, foundBy("x"), nil)
	wantCode(t, err, finding.EINVALID)
}

func testCreateFindingRefs(t *testing.T, s finding.Store) {
	c := ctx(t)
	f := manual("引用不存在的单位")
	f.UnitID = 99999
	_, err := s.CreateFinding(c, f, foundBy("x"), nil)
	wantCode(t, err, finding.ENOTFOUND)
	eq(t, "findings after a refused create", must[int](t)(s.CountFindings(c, finding.FindingFilter{})), 0)

	p := manual("窗口主动延时服务")
	p.Kind = finding.Praise
	got := create(t, s, p)
	eq(t, "praise kind", got.Kind, finding.Praise)
}

func testTransition(t *testing.T, s finding.Store) {
	c := ctx(t)
	u := must[finding.Unit](t)(s.CreateUnit(c, finding.Unit{Name: "叶集区政务服务中心", Jurisdiction: "341504"}))
	f := create(t, s, manual("导办人员答复不清"))
	deadline := finding.EndOfDay(t0.AddDate(0, 0, 13))
	got := move(t, s, f, finding.FedBack, finding.ActFedBack, func(tr *finding.Transition) {
		tr.UnitID, tr.SetDeadline, tr.Deadline, tr.DeadlineNote = u.ID, true, deadline, "按日历计算"
		tr.Event.Note = "请五个工作日内整改"
	})
	if got.Status != finding.FedBack || got.UnitID != u.ID || got.Unit != u.Name || got.DeadlineNote != "按日历计算" {
		t.Fatalf("after feedback = %+v", got)
	}
	sameTime(t, "deadline", got.Deadline, deadline)
	if len(got.Events) != 2 || got.Events[1].Action != finding.ActFedBack || got.Events[1].From != finding.Found ||
		got.Events[1].To != finding.FedBack || got.Events[1].Actor != "李强" || got.Events[1].Note != "请五个工作日内整改" {
		t.Fatalf("events = %+v", got.Events)
	}
	proof := finding.Evidence{Kind: finding.EvidenceFile, Name: "整改说明.pdf", ContentType: "application/pdf", Data: []byte("%PDF"), Created: t0}
	got = move(t, s, got, finding.Handled, finding.ActHandled, func(tr *finding.Transition) {
		tr.Evidence = []finding.Evidence{proof}
	})
	if got.Status != finding.Handled || got.UnitID != u.ID || len(got.Events) != 3 || len(got.Evidence) != 1 ||
		got.Evidence[0].EventID != got.Events[2].ID {
		t.Fatalf("after handle = %+v", got)
	}
	sameTime(t, "deadline kept", got.Deadline, deadline)
	got = move(t, s, got, finding.FedBack, finding.ActReopened, func(tr *finding.Transition) {
		tr.SetDeadline, tr.Deadline = true, deadline.AddDate(0, 0, 7)
	})
	sameTime(t, "new deadline", got.Deadline, deadline.AddDate(0, 0, 7))
	eq(t, "deadline note cleared", got.DeadlineNote, "")
	want := []finding.Action{finding.ActFound, finding.ActFedBack, finding.ActHandled, finding.ActReopened}
	var actions []finding.Action
	for _, e := range got.Events {
		actions = append(actions, e.Action)
	}
	eqSlice(t, "actions", actions, want)
}

func testTransitionConflict(t *testing.T, s finding.Store) {
	c := ctx(t)
	f := create(t, s, manual("材料清单与实际不符"))
	_, err := s.Transition(c, finding.Transition{ID: f.ID, From: finding.FedBack, To: finding.Handled,
		Event:    finding.Event{Action: finding.ActHandled, Actor: "x", At: t0},
		Evidence: []finding.Evidence{{Kind: "file", Name: "a.txt", Data: []byte("a"), Created: t0}}})
	wantCode(t, err, finding.ECONFLICT)
	got := must[finding.Finding](t)(s.Finding(c, f.ID))
	if got.Status != finding.Found || len(got.Events) != 1 || len(got.Evidence) != 0 || !got.Updated.Equal(f.Updated) {
		t.Errorf("a refused transition changed the finding: %+v", got)
	}
	_, err = s.Transition(c, finding.Transition{ID: 99999, From: finding.Found, To: finding.FedBack,
		Event: finding.Event{Action: finding.ActFedBack, Actor: "x", At: t0}})
	wantCode(t, err, finding.ENOTFOUND)
}

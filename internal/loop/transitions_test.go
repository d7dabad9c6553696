package loop

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"tiyan/internal/finding"
)

// TestManualLoop walks a manual report found → fed_back → handled → verified.
func TestManualLoop(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		u := e.unit(t, "六安市公安局出入境管理支队")
		f := e.report(t, finding.Major)
		f = ok[finding.Finding](t)(e.Feedback(c, f.ID, Feedback{UnitID: u.ID, Note: "请核实并补充收费标准", Actor: "李强"}))
		if f.Status != finding.FedBack || f.Unit != u.Name || finding.FormatDate(f.Deadline) != "2026-10-13" {
			t.Fatalf("after feedback: %s unit %q deadline %s", f.Status, f.Unit, finding.FormatDate(f.Deadline))
		}
		e.clock.set(wednesday.AddDate(0, 0, 8))
		f = ok[finding.Finding](t)(e.Handle(c, f.ID, "已在办事指南中补充收费标准", []finding.Evidence{{Name: "指南截图.png", ContentType: "image/png", Data: []byte("png")}}, "张三"))
		if f.Status != finding.Handled || len(f.Evidence) != 1 || f.Evidence[0].Kind != finding.EvidenceFile || f.Evidence[0].EventID != f.Events[2].ID {
			t.Fatalf("after handle: %+v", f)
		}
		f = ok[finding.Finding](t)(e.Evaluate(c, f.ID, true, "", "王芳"))
		want := []finding.Action{finding.ActFound, finding.ActFedBack, finding.ActHandled, finding.ActVerified}
		if f.Status != finding.Verified || fmt.Sprint(actions(f)) != fmt.Sprint(want) {
			t.Fatalf("after evaluate: %s %v", f.Status, actions(f))
		}
		for i, st := range []finding.Status{finding.Found, finding.FedBack, finding.Handled, finding.Verified} {
			if f.Events[i].To != st {
				t.Errorf("event %d to %s, want %s", i, f.Events[i].To, st)
			}
		}
		if f.Events[3].Actor != "王芳" || f.Events[2].Actor != "张三" || f.Events[1].Actor != "李强" {
			t.Errorf("actors: %+v", f.Events)
		}
	})
}

func TestEvaluateFailReopens(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		u := e.unit(t, "金安区人社局")
		f := e.report(t, finding.Minor)
		ok[finding.Finding](t)(e.Feedback(c, f.ID, Feedback{UnitID: u.ID, Days: 2, Actor: "李强"}))
		ok[finding.Finding](t)(e.Handle(c, f.ID, "已整改", nil, "张三"))
		e.clock.set(time.Date(2026, 10, 12, 9, 0, 0, 0, finding.Zone))
		f = ok[finding.Finding](t)(e.Evaluate(c, f.ID, false, "收费标准仍未公示", "王芳"))
		// Reopened on Monday 10-12 with minor's 10 working days: 10-26.
		if f.Status != finding.FedBack || finding.FormatDate(f.Deadline) != "2026-10-26" {
			t.Fatalf("after a failed evaluation: %s, deadline %s", f.Status, finding.FormatDate(f.Deadline))
		}
		last := f.Events[len(f.Events)-1]
		if last.Action != finding.ActReopened || last.From != finding.Handled || last.To != finding.FedBack || !strings.Contains(last.Note, "收费标准仍未公示") {
			t.Errorf("reopened event = %+v", last)
		}
		f = ok[finding.Finding](t)(e.Handle(c, f.ID, "已公示", nil, "张三"))
		f = ok[finding.Finding](t)(e.Evaluate(c, f.ID, true, "", "王芳"))
		if f.Status != finding.Verified || len(f.Events) != 6 {
			t.Errorf("second round: %s, %v", f.Status, actions(f))
		}
	})
}

func TestDismiss(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		f := e.report(t, finding.Advice)
		_, err := e.Dismiss(c, f.ID, " ", "李强")
		wantCode(t, err, finding.EINVALID)
		f = ok[finding.Finding](t)(e.Dismiss(c, f.ID, "误报：该事项不收费", "李强"))
		if f.Status != finding.Dismissed || f.Events[1].Note != "误报：该事项不收费" || f.Events[1].Action != finding.ActDismissed {
			t.Errorf("dismissed: %+v", f)
		}
	})
}

// step is one request a person can make of the loop.
type step struct {
	name string
	do   func(ctx context.Context, e *env, id, unit int64) error
}

var steps = []step{
	{"feedback", func(ctx context.Context, e *env, id, unit int64) error {
		_, err := e.Feedback(ctx, id, Feedback{UnitID: unit, Actor: "李强"})
		return err
	}},
	{"dismiss", func(ctx context.Context, e *env, id, _ int64) error {
		_, err := e.Dismiss(ctx, id, "重复", "李强")
		return err
	}},
	{"handle", func(ctx context.Context, e *env, id, _ int64) error {
		_, err := e.Handle(ctx, id, "已整改", nil, "张三")
		return err
	}},
	{"evaluate-pass", func(ctx context.Context, e *env, id, _ int64) error {
		_, err := e.Evaluate(ctx, id, true, "", "王芳")
		return err
	}},
	{"evaluate-fail", func(ctx context.Context, e *env, id, _ int64) error {
		_, err := e.Evaluate(ctx, id, false, "", "王芳")
		return err
	}},
}

// legal lists, for each status, the steps it allows.
var legal = map[finding.Status][]string{
	finding.Found:     {"feedback", "dismiss"},
	finding.FedBack:   {"handle"},
	finding.Handled:   {"evaluate-pass", "evaluate-fail"},
	finding.Verified:  nil,
	finding.Dismissed: nil,
}

// TestEveryTransition tries every step in every status: the legal ones move the finding, the
// others are refused with a message naming the status, and change nothing.
func TestEveryTransition(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		u := e.unit(t, "舒城县市场监管局")
		for status, allowed := range legal {
			for _, st := range steps {
				f := e.inStatus(t, status, u.ID)
				err := st.do(c, e, f.ID, u.ID)
				after := ok[finding.Finding](t)(e.Show(c, f.ID))
				isLegal := strings.Contains(strings.Join(allowed, ","), st.name)
				switch {
				case isLegal && err != nil:
					t.Errorf("%s in %s: %v", st.name, status, err)
				case isLegal && len(after.Events) != len(f.Events)+1:
					t.Errorf("%s in %s: events %v", st.name, status, actions(after))
				case !isLegal:
					checkRefused(t, fmt.Sprintf("%s in %s", st.name, status), err, f, after)
				}
			}
		}
	})
}

func checkRefused(t *testing.T, what string, err error, before, after finding.Finding) {
	t.Helper()
	msg := finding.ErrorMessage(err)
	if finding.ErrorCode(err) != finding.ECONFLICT || !strings.Contains(msg, "当前状态为“"+before.Status.Label()+"”("+string(before.Status)+")") {
		t.Errorf("%s: %v", what, err)
	}
	if after.Status != before.Status || len(after.Events) != len(before.Events) || !after.Deadline.Equal(before.Deadline) || after.UnitID != before.UnitID {
		t.Errorf("%s changed the finding: %+v", what, after)
	}
}

// inStatus returns a new manual problem moved to status.
func (e *env) inStatus(t *testing.T, status finding.Status, unit int64) finding.Finding {
	t.Helper()
	c := t.Context()
	f := e.report(t, finding.Major)
	path := map[finding.Status][]func() (finding.Finding, error){
		finding.Found:     nil,
		finding.Dismissed: {func() (finding.Finding, error) { return e.Dismiss(c, f.ID, "重复", "李强") }},
	}
	fb := func() (finding.Finding, error) { return e.Feedback(c, f.ID, Feedback{UnitID: unit, Actor: "李强"}) }
	hd := func() (finding.Finding, error) { return e.Handle(c, f.ID, "已整改", nil, "张三") }
	path[finding.FedBack] = append(path[finding.FedBack], fb)
	path[finding.Handled] = append(path[finding.Handled], fb, hd)
	path[finding.Verified] = append(path[finding.Verified], fb, hd, func() (finding.Finding, error) { return e.Evaluate(c, f.ID, true, "", "王芳") })
	for _, do := range path[status] {
		f = ok[finding.Finding](t)(do())
	}
	if f.Status != status {
		t.Fatalf("finding in %s, want %s", f.Status, status)
	}
	return f
}

func TestRefusalMessage(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		f := e.report(t, finding.Major)
		_, err := e.Evaluate(t.Context(), f.ID, true, "", "王芳")
		want := fmt.Sprintf("问题 #%d 当前状态为“发现问题”(found)，只能反馈或不予采纳（feedback / dismiss），不能评价结果（evaluate）。", f.ID)
		if finding.ErrorMessage(err) != want {
			t.Errorf("message = %q\nwant      %q", finding.ErrorMessage(err), want)
		}
	})
}

func TestPraiseNeverEntersTheLoop(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		u := e.unit(t, "霍邱县政务服务中心")
		p := ok[finding.Finding](t)(e.Report(c, Report{Praise: true, Title: "窗口提供延时服务", Category: finding.CatService, UnitID: u.ID, Actor: "王芳"}))
		if p.Kind != finding.Praise || p.Severity != finding.Advice || p.Status != finding.Found || p.Events[0].Note == "" {
			t.Fatalf("praise = %+v", p)
		}
		for _, st := range steps {
			err := st.do(c, e, p.ID, u.ID)
			if finding.ErrorCode(err) != finding.ECONFLICT || !strings.Contains(err.Error(), "好经验") {
				t.Errorf("%s on a praise: %v", st.name, err)
			}
		}
		if n := ok[int](t)(e.s.CountFindings(c, finding.FindingFilter{Open: true})); n != 0 {
			t.Errorf("open findings = %d, want the praise not counted", n)
		}
		if got := ok[[]finding.Finding](t)(e.Inbox(c, u.ID, 10, 0)); len(got) != 0 {
			t.Errorf("inbox has the praise: %v", got)
		}
	})
}

func TestInputChecks(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		c := t.Context()
		f := e.report(t, finding.Major)
		_, err := e.Feedback(c, f.ID, Feedback{Actor: "李强"})
		wantCode(t, err, finding.EINVALID) // no unit
		_, err = e.Feedback(c, f.ID, Feedback{UnitID: 99999, Actor: "李强"})
		wantCode(t, err, finding.ENOTFOUND)
		_, err = e.Feedback(c, f.ID, Feedback{UnitID: e.unit(t, "x").ID})
		wantCode(t, err, finding.EINVALID) // no actor
		_, err = e.Feedback(c, 99999, Feedback{UnitID: 1, Actor: "李强"})
		wantCode(t, err, finding.ENOTFOUND)
		_, err = e.Handle(c, f.ID, "", nil, "张三")
		wantCode(t, err, finding.EINVALID)
		if after := ok[finding.Finding](t)(e.Show(c, f.ID)); after.Status != finding.Found || len(after.Events) != 1 {
			t.Errorf("refused requests changed the finding: %+v", after)
		}
	})
}

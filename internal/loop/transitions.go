package loop

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tiyan/internal/finding"
)

// move is one legal step of the loop.
type move struct {
	from   finding.Status
	action finding.Action
	to     finding.Status
}

// moves is the whole state machine; anything not listed is refused.
var moves = []move{
	{finding.Found, finding.ActFedBack, finding.FedBack},
	{finding.Found, finding.ActDismissed, finding.Dismissed},
	{finding.FedBack, finding.ActHandled, finding.Handled},
	{finding.Handled, finding.ActVerified, finding.Verified},
	{finding.Handled, finding.ActReopened, finding.FedBack},
}

// allowedText says, for people, what can be done in each status.
var allowedText = map[finding.Status]string{
	finding.Found:     "只能反馈或不予采纳（feedback / dismiss）",
	finding.FedBack:   "只能由责任单位处理（handle）",
	finding.Handled:   "只能评价结果（evaluate，人工报告）或复核（verify，自动发现）",
	finding.Verified:  "已整改，整改闭环已结束",
	finding.Dismissed: "已不予采纳，整改闭环已结束",
}

// Verbs name what a person asked for, as in "不能评价结果（evaluate）".
const (
	verbFeedback = "反馈（feedback）"
	verbDismiss  = "不予采纳（dismiss）"
	verbHandle   = "处理（handle）"
	verbEvaluate = "评价结果（evaluate）"
	verbVerify   = "复核（verify）"
)

// next returns where action takes f, or a refusal that names f's status, what it allows, and
// what was asked (verb).
func next(f finding.Finding, action finding.Action, verb string) (finding.Status, error) {
	if f.Kind == finding.Praise {
		return "", finding.Errorf(finding.ECONFLICT, "#%d 是好经验（praise），不进入整改闭环，不能%s。", f.ID, verb)
	}
	for _, m := range moves {
		if m.from == f.Status && m.action == action {
			return m.to, nil
		}
	}
	return "", finding.Errorf(finding.ECONFLICT, "问题 #%d 当前状态为“%s”(%s)，%s，不能%s。",
		f.ID, f.Status.Label(), f.Status, allowedText[f.Status], verb)
}

// Feedback says to whom and by when a found problem is fed back (反馈问题).
type Feedback struct {
	// UnitID is the responsible unit; 0 keeps the unit the finding already names.
	UnitID int64
	// Deadline is the last day the unit has (its end, Asia/Shanghai); Days is a number of
	// working days from today instead. With neither, the severity's default applies.
	Deadline time.Time
	Days     int
	Note     string
	Actor    string
}

// Feedback moves a found problem to fed_back: assigned to a unit with a deadline.
func (l *Loop) Feedback(ctx context.Context, id int64, fb Feedback) (finding.Finding, error) {
	if err := checkNote(fb.Note); err != nil {
		return finding.Finding{}, err
	}
	f, to, err := l.begin(ctx, id, finding.ActFedBack, verbFeedback, fb.Actor)
	if err != nil {
		return f, err
	}
	unit, err := l.feedbackUnit(ctx, f, fb.UnitID)
	if err != nil {
		return f, err
	}
	deadline, dnote, err := l.deadlineFor(ctx, f.Severity, fb.Deadline, fb.Days)
	if err != nil {
		return f, err
	}
	return l.apply(ctx, f, finding.Transition{
		To:     to,
		Event:  l.event(finding.ActFedBack, fb.Actor, joinNotes(fb.Note, "责任单位："+unit.Name+"，期限："+finding.FormatDate(deadline), dnote)),
		UnitID: unit.ID, SetDeadline: true, Deadline: deadline, DeadlineNote: dnote,
	})
}

func (l *Loop) feedbackUnit(ctx context.Context, f finding.Finding, unitID int64) (finding.Unit, error) {
	if unitID == 0 {
		unitID = f.UnitID
	}
	if unitID == 0 && f.Scope.Shared() {
		// A site or template finding goes to the portal operator unless staff name a unit.
		us, err := l.store.EnsureUnits(ctx, []finding.Unit{{Name: finding.Operator}})
		if err != nil {
			return finding.Unit{}, fmt.Errorf("find unit %s: %w", finding.Operator, err)
		}
		return us[0], nil
	}
	if unitID == 0 {
		return finding.Unit{}, finding.Errorf(finding.EINVALID, "问题 #%d 还没有责任单位，请指定反馈给哪个单位（--unit）", f.ID)
	}
	return l.store.Unit(ctx, unitID)
}

// Dismiss moves a found problem to dismissed (不予采纳): a false alarm, a duplicate, untrue.
func (l *Loop) Dismiss(ctx context.Context, id int64, reason, actor string) (finding.Finding, error) {
	if strings.TrimSpace(reason) == "" {
		return finding.Finding{}, finding.Errorf(finding.EINVALID, "请说明不予采纳的理由（误报、重复或不属实等）")
	}
	if err := checkNote(reason); err != nil {
		return finding.Finding{}, err
	}
	f, to, err := l.begin(ctx, id, finding.ActDismissed, verbDismiss, actor)
	if err != nil {
		return f, err
	}
	return l.apply(ctx, f, finding.Transition{To: to, Event: l.event(finding.ActDismissed, actor, reason)})
}

// Handle records the unit's fix (处理问题): fed_back → handled, with a note and evidence.
func (l *Loop) Handle(ctx context.Context, id int64, note string, evidence []finding.Evidence, actor string) (finding.Finding, error) {
	if strings.TrimSpace(note) == "" {
		return finding.Finding{}, finding.Errorf(finding.EINVALID, "请说明整改情况（--note）")
	}
	if err := checkNote(note); err != nil {
		return finding.Finding{}, err
	}
	f, to, err := l.begin(ctx, id, finding.ActHandled, verbHandle, actor)
	if err != nil {
		return f, err
	}
	return l.apply(ctx, f, finding.Transition{To: to, Event: l.event(finding.ActHandled, actor, note), Evidence: l.stamp(evidence, finding.EvidenceFile)})
}

// Evaluate records a person's evaluation of a handled problem (评价结果): pass → verified;
// fail → back to fed_back with a new deadline by the severity's default.
func (l *Loop) Evaluate(ctx context.Context, id int64, pass bool, note, actor string) (finding.Finding, error) {
	if err := checkNote(note); err != nil {
		return finding.Finding{}, err
	}
	if pass {
		f, to, err := l.begin(ctx, id, finding.ActVerified, verbEvaluate, actor)
		if err != nil {
			return f, err
		}
		return l.apply(ctx, f, finding.Transition{To: to, Event: l.event(finding.ActVerified, actor, joinNotes("评价：满意，已整改", note))})
	}
	f, err := l.store.Finding(ctx, id)
	if err != nil {
		return f, err
	}
	return l.reopen(ctx, f, verbEvaluate, actor, joinNotes("评价：未整改，退回责任单位", note), nil)
}

// reopen sends a handled problem back to its unit with a new deadline.
func (l *Loop) reopen(ctx context.Context, f finding.Finding, verb, actor, note string, evidence []finding.Evidence) (finding.Finding, error) {
	if err := requireActor(actor); err != nil {
		return f, err
	}
	to, err := next(f, finding.ActReopened, verb)
	if err != nil {
		return f, err
	}
	deadline, dnote, err := l.deadlineFor(ctx, f.Severity, time.Time{}, 0)
	if err != nil {
		return f, err
	}
	return l.apply(ctx, f, finding.Transition{
		To:          to,
		Event:       l.event(finding.ActReopened, actor, joinNotes(note, "新期限："+finding.FormatDate(deadline), dnote)),
		SetDeadline: true, Deadline: deadline, DeadlineNote: dnote,
		Evidence: l.stamp(evidence, finding.EvidenceFile),
	})
}

// begin loads a finding and checks that action is legal for it now.
func (l *Loop) begin(ctx context.Context, id int64, action finding.Action, verb, actor string) (finding.Finding, finding.Status, error) {
	if err := requireActor(actor); err != nil {
		return finding.Finding{}, "", err
	}
	f, err := l.store.Finding(ctx, id)
	if err != nil {
		return f, "", err
	}
	to, err := next(f, action, verb)
	return f, to, err
}

// apply hands a checked move to the store, which applies it only if f's status still holds.
func (l *Loop) apply(ctx context.Context, f finding.Finding, t finding.Transition) (finding.Finding, error) {
	t.ID, t.From = f.ID, f.Status
	out, err := l.store.Transition(ctx, t)
	if err != nil {
		return out, fmt.Errorf("%s #%d: %w", t.Event.Action, f.ID, err)
	}
	out.Overdue = out.OverdueAt(l.now())
	return out, nil
}

func (l *Loop) event(action finding.Action, actor, note string) finding.Event {
	return finding.Event{Action: action, Actor: actor, At: l.now(), Note: note}
}

// stamp fills in what evidence from people lacks: a kind, a size and a time.
func (l *Loop) stamp(evidence []finding.Evidence, kind string) []finding.Evidence {
	out := make([]finding.Evidence, len(evidence))
	for i, e := range evidence {
		if e.Kind == "" {
			e.Kind = kind
		}
		if e.Created.IsZero() {
			e.Created = l.now()
		}
		e.Size = len(e.Data)
		out[i] = e
	}
	return out
}

func requireActor(actor string) error {
	if strings.TrimSpace(actor) == "" {
		return finding.Errorf(finding.EINVALID, "请说明操作人（--actor）")
	}
	return finding.CheckLength("操作人", actor, finding.MaxName)
}

// checkNote refuses a note (a reason, an account of a fix, an evaluation) longer than the
// domain allows, before anything is loaded.
func checkNote(note string) error { return finding.CheckLength("说明", note, finding.MaxNote) }

// joinNotes joins the non-empty notes with "；".
func joinNotes(notes ...string) string {
	var kept []string
	for _, n := range notes {
		if n = strings.TrimSpace(n); n != "" {
			kept = append(kept, n)
		}
	}
	return strings.Join(kept, "；")
}

package loop

import (
	"context"
	"errors"

	"tiyan/internal/finding"
)

// Reprober re-runs exactly what found an automated finding (a sweep of that item+channel or the scenario). The lead implements it with the browser.
type Reprober interface {
	// Reprobe reports whether f's rule still fires, with the evidence of the new look. An
	// error means it could not look, which says nothing about the portal.
	Reprobe(ctx context.Context, f finding.Finding) (stillFires bool, evidence []finding.Evidence, err error)
}

// Verify checks a handled automated finding by replaying what found it: when the rule no longer
// fires it is verified by tiyan; when it still fires it goes back to its unit (fed_back) with a
// new deadline and the new evidence attached. Manual findings are refused: an officer or staff
// member evaluates them (Evaluate). A replay that fails changes nothing.
func (l *Loop) Verify(ctx context.Context, id int64, r Reprober) (finding.Finding, error) {
	if r == nil {
		return finding.Finding{}, errors.New("loop: Verify needs a Reprober")
	}
	f, err := l.CheckVerify(ctx, id)
	if err != nil {
		return f, err
	}
	still, evidence, err := r.Reprobe(ctx, f)
	if err != nil {
		return f, finding.Errorf(finding.EUNAVAILABLE, "复核问题 #%d 时未能重新体验（问题状态未变）：%v", f.ID, err)
	}
	evidence = l.stamp(evidence, finding.EvidenceScreenshot)
	stillNote, fixedNote := "复核：问题仍然存在，退回责任单位", "复核：重新体验未再发现该问题，已整改"
	if f.Scope.Shared() {
		stillNote = "复核：抽查受影响的事项，" + f.Scope.Label() + "仍然存在，退回" + finding.Operator
		fixedNote = "复核：抽查受影响的事项，均未再发现该" + f.Scope.Label() + "，已整改"
	}
	if still {
		return l.reopen(ctx, f, verbVerify, Robot, stillNote, evidence)
	}
	return l.apply(ctx, f, finding.Transition{
		To:       finding.Verified,
		Event:    l.event(finding.ActVerified, Robot, fixedNote),
		Evidence: evidence,
	})
}

// CheckVerify returns the finding if Verify may replay it now: an automated problem in status
// handled. Callers use it to refuse early, before they start a browser.
func (l *Loop) CheckVerify(ctx context.Context, id int64) (finding.Finding, error) {
	f, err := l.store.Finding(ctx, id)
	if err != nil {
		return f, err
	}
	if f.Kind == finding.Problem && !f.Source.Automated() {
		return f, finding.Errorf(finding.ECONFLICT, "问题 #%d 来自%s的人工报告，不能由 tiyan 复核；请体验官或工作人员评价结果（tiyan findings evaluate %d --pass 或 --fail）", f.ID, f.Source.Label(), f.ID)
	}
	_, err = next(f, finding.ActVerified, verbVerify)
	return f, err
}

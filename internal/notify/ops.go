package notify

import (
	"fmt"
	"strings"

	"tiyan/internal/finding"
)

// opsListed caps the errors an operations alert quotes; opsLine caps each one, in runes.
const (
	opsListed = 30
	opsLine   = 300
)

// OpsMessage is the alert to operations about a run whose prober failed: the errors that kept it
// from looking (finding.Run.Errors), scrubbed here already because error texts quote pages. ok is false for a run
// without errors that did not fail.
func OpsMessage(run finding.Run) (m Message, ok bool) {
	if len(run.Errors) == 0 && run.Status != finding.RunFailed {
		return Message{}, false
	}
	m = Message{Kind: KindOps, Key: "ops:run:" + run.ID, RunID: run.ID,
		Title: fmt.Sprintf("【运维】%s %s 有 %d 处体验程序错误", runKindLabel(run.Kind), run.ID, len(run.Errors))}
	var b strings.Builder
	fmt.Fprintf(&b, "运行 %s · %s · 已体验页面 %d/%d。以下是 tiyan 自身未能完成体验的地方，不是门户的问题；相关页面本次未作判定。\n",
		escape(run.ID), runStatusLabel(run.Status), run.Done, run.Total)
	for _, e := range run.Errors[:min(len(run.Errors), opsListed)] {
		fmt.Fprintf(&b, "• %s\n", escape(truncate(scrub(oneLine(e)), opsLine)))
	}
	if more := len(run.Errors) - opsListed; more > 0 {
		fmt.Fprintf(&b, "……另有 %d 处，见运行页面\n", more)
	}
	m.Text = b.String()
	return m, true
}

// oneLine joins the lines of a multi-line error, so each error stays one list item.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

package auth

import (
	"slices"

	"tiyan/internal/finding"
)

// Action is something a user asks to do.
type Action string

// Actions.
const (
	View     Action = "view"     // read findings (lists, pages, evidence, the overview)
	Feedback Action = "feedback" // 反馈问题: assign a found problem to a unit with a deadline
	Dismiss  Action = "dismiss"  // 不予采纳
	Handle   Action = "handle"   // 处理问题: record the unit's fix
	Evaluate Action = "evaluate" // 评价结果: pass or fail a handled problem
	Verify   Action = "verify"   // 复核: replay what found an automated problem
	Report   Action = "report"   // file a manual report or praise
	Runs     Action = "runs"     // read the runs and their reports
	Replay   Action = "replay"   // 立即回放: list the scripted scenarios, replay one now, read its step report
)

// verbs name the actions in refusals: “您的账号（窗口单位）不能反馈问题”.
var verbs = map[Action]string{
	View: "查看问题", Feedback: "反馈问题", Dismiss: "对问题不予采纳", Handle: "处理问题", Evaluate: "评价整改结果",
	Verify: "复核问题", Report: "报告问题", Runs: "查看体验记录", Replay: "回放场景",
}

// Verb is the Chinese name of a.
func (a Action) Verb() string { return verbs[a] }

// allowed is what each role may do at all; Visible then says on which findings.
var allowed = map[finding.Role][]Action{
	finding.RoleAdmin:   {View, Feedback, Dismiss, Handle, Evaluate, Verify, Report, Runs, Replay},
	finding.RoleStaff:   {View, Feedback, Dismiss, Evaluate, Verify, Report, Runs, Replay},
	finding.RoleUnit:    {View, Handle},
	finding.RoleOfficer: {View, Evaluate, Report, Replay},
}

// Allows reports whether u's role may do a at all.
func Allows(u finding.User, a Action) bool { return slices.Contains(allowed[u.Role], a) }

// unitStatuses are what a window unit sees of its findings: from the moment they are fed back
// to it. Before that a finding is the bureau's to triage (it may be a false alarm).
var unitStatuses = []finding.Status{finding.FedBack, finding.Handled, finding.Verified}

// Visible reports whether u may see f.
func Visible(u finding.User, f finding.Finding) bool {
	switch u.Role {
	case finding.RoleAdmin:
		return true
	case finding.RoleStaff:
		return u.Jurisdiction != "" && finding.InZone(f.Jurisdiction, u.Jurisdiction)
	case finding.RoleUnit:
		return u.UnitID != 0 && f.UnitID == u.UnitID && slices.Contains(unitStatuses, f.Status)
	case finding.RoleOfficer:
		return u.OfficerID != 0 && f.OfficerID == u.OfficerID
	}
	return false
}

// Check says whether u may do a on f: nil, or a *finding.Error to show. A finding u may not
// see is not found, so that its existence is not told; an action the role may not do is
// forbidden.
func Check(u finding.User, a Action, f finding.Finding) error {
	if !Visible(u, f) {
		return finding.Errorf(finding.ENOTFOUND, "问题 #%d 不存在，或不在您的查看范围内", f.ID)
	}
	if !Allows(u, a) {
		return Forbidden(u, a)
	}
	// An officer evaluates only their own manual reports: an automated finding is verified
	// by replaying it, and a survey's by the bureau.
	if u.Role == finding.RoleOfficer && a == Evaluate && f.Source != finding.SourceOfficer {
		return finding.Errorf(finding.EFORBIDDEN, "问题 #%d 不是您报告的问题，体验官只能评价自己报告的问题", f.ID)
	}
	return nil
}

// Forbidden is the refusal of an action u's role may not do.
func Forbidden(u finding.User, a Action) error {
	return finding.Errorf(finding.EFORBIDDEN, "您的账号（%s）不能%s", u.Role.Label(), a.Verb())
}

// CanAssign reports whether u may feed findings back to unit: staff only to the units of their
// jurisdiction, an admin to any.
func CanAssign(u finding.User, unit finding.Unit) bool {
	switch u.Role {
	case finding.RoleAdmin:
		return true
	case finding.RoleStaff:
		return u.Jurisdiction != "" && unit.Jurisdiction != "" && finding.InZone(unit.Jurisdiction, u.Jurisdiction)
	}
	return false
}

// InScope reports whether a zone lies in u's jurisdiction (always, for roles other than staff).
func InScope(u finding.User, zone string) bool {
	if u.Role != finding.RoleStaff {
		return true
	}
	return zone != "" && finding.InZone(zone, u.Jurisdiction)
}

// Narrow writes what u may see into q, keeping q's own filters; ok is false when the two
// cannot overlap (another unit's inbox, a zone outside u's jurisdiction), and nothing needs to
// be asked of the store.
func Narrow(u finding.User, q finding.Query) (finding.Query, bool) {
	switch u.Role {
	case finding.RoleAdmin:
		return q, true
	case finding.RoleStaff:
		if u.Jurisdiction == "" {
			return q, false
		}
		switch {
		case q.Zone == "" || finding.InZone(u.Jurisdiction, q.Zone):
			q.Zone = u.Jurisdiction // the filter is wider than the jurisdiction
		case !finding.InZone(q.Zone, u.Jurisdiction):
			return q, false // disjoint
		}
		return q, true
	case finding.RoleUnit:
		if u.UnitID == 0 || (q.UnitID != 0 && q.UnitID != u.UnitID) {
			return q, false
		}
		q.UnitID = u.UnitID
		q.Status = intersect(q.Status, unitStatuses)
		return q, len(q.Status) > 0
	case finding.RoleOfficer:
		if u.OfficerID == 0 {
			return q, false
		}
		q.OfficerID = u.OfficerID
		return q, true
	}
	return q, false
}

// intersect keeps the statuses of want that are in allowed; an empty want means all of allowed.
func intersect(want, allowed []finding.Status) []finding.Status {
	if len(want) == 0 {
		return slices.Clone(allowed)
	}
	var out []finding.Status
	for _, s := range want {
		if slices.Contains(allowed, s) {
			out = append(out, s)
		}
	}
	return out
}

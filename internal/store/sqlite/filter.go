package sqlite

import (
	"strings"

	"tiyan/internal/finding"
)

// The conditions below are written exactly as in the partial indexes of the schema, so that
// SQLite's planner can see that a query implies the index's WHERE clause.
const (
	openCond    = `f.kind = 'problem' AND f.status IN ('found', 'fed_back', 'handled')`
	overdueCond = `f.kind = 'problem' AND f.status = 'fed_back' AND f.deadline < ?`
)

// whereClause turns a filter into " WHERE …" (or "") and its arguments.
func whereClause(f finding.FindingFilter) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, a ...any) {
		conds = append(conds, cond)
		args = append(args, a...)
	}
	eq := map[string]string{
		"f.kind": string(f.Kind), "f.category": string(f.Category), "f.severity": string(f.Severity),
		"f.source": string(f.Source), "f.channel": string(f.Channel), "f.rule": f.Rule,
		"f.item_code": f.ItemCode, "f.fingerprint": f.Fingerprint,
	}
	for _, col := range []string{"f.kind", "f.category", "f.severity", "f.source", "f.channel", "f.rule", "f.item_code", "f.fingerprint"} {
		if v := eq[col]; v != "" {
			add(col+" = ?", v)
		}
	}
	if len(f.Status) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(f.Status)), ", ")
		a := make([]any, len(f.Status))
		for i, st := range f.Status {
			a[i] = string(st)
		}
		add("f.status IN ("+ph+")", a...)
	}
	if f.Open {
		add(openCond)
	}
	if f.UnitID != 0 {
		add("f.unit_id = ?", f.UnitID)
	}
	if !f.OverdueAt.IsZero() {
		add(overdueCond, f.OverdueAt.UnixMicro())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func orderClause(o finding.Order) string {
	switch o {
	case finding.ByNewest:
		return ` ORDER BY f.id DESC`
	case finding.ByDeadline:
		return ` ORDER BY coalesce(f.deadline, 9223372036854775807), f.id`
	}
	return ` ORDER BY f.id`
}

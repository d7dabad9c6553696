package postgres

import (
	"fmt"
	"strings"

	"tiyan/internal/finding"
)

// The conditions below are written as in the partial indexes of the schema, so that the planner
// sees that a query implies the index's predicate.
const openCond = `f.kind = 'problem' AND f.status IN ('found', 'fed_back', 'handled')`

// where collects conditions with numbered placeholders.
type where struct {
	conds []string
	args  []any
}

// add appends a condition; each %s in cond is replaced by the next placeholder.
func (w *where) add(cond string, args ...any) {
	ph := make([]any, len(args))
	for i := range args {
		ph[i] = fmt.Sprintf("$%d", len(w.args)+i+1)
	}
	w.conds = append(w.conds, fmt.Sprintf(cond, ph...))
	w.args = append(w.args, args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// whereClause turns a filter into conditions.
func whereClause(f finding.FindingFilter) *where {
	w := &where{}
	for _, c := range []struct{ col, v string }{
		{"f.kind", string(f.Kind)}, {"f.category", string(f.Category)}, {"f.severity", string(f.Severity)},
		{"f.source", string(f.Source)}, {"f.channel", string(f.Channel)}, {"f.rule", f.Rule},
		{"f.item_code", f.ItemCode}, {"f.fingerprint", f.Fingerprint},
	} {
		if c.v != "" {
			w.add(c.col+" = %s", c.v)
		}
	}
	if len(f.Status) > 0 {
		st := make([]string, len(f.Status))
		for i, s := range f.Status {
			st[i] = string(s)
		}
		w.add("f.status = ANY(%s)", st)
	}
	if f.Open {
		w.add(openCond)
	}
	if f.UnitID != 0 {
		w.add("f.unit_id = %s", f.UnitID)
	}
	if !f.OverdueAt.IsZero() {
		w.add("f.kind = 'problem' AND f.status = 'fed_back' AND f.deadline < %s", f.OverdueAt)
	}
	return w
}

func orderClause(o finding.Order) string {
	switch o {
	case finding.ByNewest:
		return ` ORDER BY f.id DESC`
	case finding.ByDeadline:
		return ` ORDER BY f.deadline NULLS LAST, f.id`
	}
	return ` ORDER BY f.id`
}

package jobs

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/riverqueue/river"

	"tiyan/internal/finding"
	"tiyan/internal/notify"
)

// overdueWorker lists the problems past their deadline and reminds each unit of its own, in the
// unit's channel when it has one.
type overdueWorker struct {
	river.WorkerDefaults[OverdueScanArgs]
	j *Jobs
}

func (w *overdueWorker) Work(ctx context.Context, job *river.Job[OverdueScanArgs]) error {
	l := w.j.cfg.Loop
	fs, err := l.Overdue(ctx, finding.FindingFilter{Order: finding.ByDeadline})
	if err != nil {
		return fmt.Errorf("list overdue findings: %w", err)
	}
	now := l.Now()
	for _, group := range byUnit(fs) {
		var unit finding.Unit // the zero unit: problems not assigned to one
		if id := group[0].UnitID; id != 0 {
			if unit, err = l.Store().Unit(ctx, id); err != nil {
				return fmt.Errorf("read unit %d: %w", id, err)
			}
		}
		m := notify.OverdueMessage(unit, group, now)
		if err := w.j.cfg.Notifier.Notify(ctx, m); err != nil {
			return fmt.Errorf("notify %s: %w", m.Key, err)
		}
	}
	return nil
}

// byUnit groups findings by unit, units in ID order, each unit's findings in their order.
func byUnit(fs []finding.Finding) [][]finding.Finding {
	m := map[int64][]finding.Finding{}
	for _, f := range fs {
		m[f.UnitID] = append(m[f.UnitID], f)
	}
	out := make([][]finding.Finding, 0, len(m))
	for _, g := range m {
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b []finding.Finding) int { return cmp.Compare(a[0].UnitID, b[0].UnitID) })
	return out
}

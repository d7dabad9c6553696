package sqlite

import (
	"context"
	"fmt"
	"time"

	"tiyan/internal/finding"
)

// RecordProbes adds probe outcomes in one transaction.
func (s *Store) RecordProbes(ctx context.Context, outcomes []finding.ProbeOutcome) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record probes: %w", err)
	}
	defer tx.Rollback()
	for _, o := range outcomes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO probe_outcomes (run_id, item_code, channel, at, ok) VALUES (?, ?, ?, ?, ?)`,
			o.RunID, o.ItemCode, string(o.Channel), o.At.UnixMicro(), o.OK); err != nil {
			return fmt.Errorf("record probe of %s: %w", o.ItemCode, err)
		}
	}
	return tx.Commit()
}

// ProbeStats counts an item-channel's probe outcomes at or after since.
func (s *Store) ProbeStats(ctx context.Context, itemCode string, ch finding.Channel, since time.Time) (finding.ProbeStats, error) {
	var st finding.ProbeStats
	err := s.r.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(1 - ok), 0) FROM probe_outcomes
		WHERE item_code = ? AND channel = ? AND at >= ?`, itemCode, string(ch), since.UnixMicro()).Scan(&st.Total, &st.Failed)
	if err != nil {
		return st, fmt.Errorf("probe stats of %s: %w", itemCode, err)
	}
	return st, nil
}

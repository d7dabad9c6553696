package sqlite

import (
	"context"
	"fmt"

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

package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tiyan/internal/finding"
)

// RecordProbes adds probe outcomes with one COPY.
func (s *Store) RecordProbes(ctx context.Context, outcomes []finding.ProbeOutcome) error {
	rows := make([][]any, len(outcomes))
	for i, o := range outcomes {
		rows[i] = []any{o.RunID, o.ItemCode, string(o.Channel), o.At, o.OK}
	}
	_, err := s.pool.CopyFrom(ctx, pgx.Identifier{"probe_outcomes"}, []string{"run_id", "item_code", "channel", "at", "ok"}, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("record probes: %w", err)
	}
	return nil
}

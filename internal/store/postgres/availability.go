package postgres

import (
	"context"
	"fmt"
	"time"

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

// ProbeStats counts an item-channel's probe outcomes at or after since.
func (s *Store) ProbeStats(ctx context.Context, itemCode string, ch finding.Channel, since time.Time) (finding.ProbeStats, error) {
	var st finding.ProbeStats
	err := s.pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE NOT ok) FROM probe_outcomes
		WHERE item_code = $1 AND channel = $2 AND at >= $3`, itemCode, string(ch), since).Scan(&st.Total, &st.Failed)
	if err != nil {
		return st, fmt.Errorf("probe stats of %s: %w", itemCode, err)
	}
	return st, nil
}

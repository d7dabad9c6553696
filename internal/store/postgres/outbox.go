package postgres

import (
	"context"
	"fmt"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/store/sqlcore"
)

var _ finding.OutboxStore = (*Store)(nil)

// ClaimOutbox leases the due messages. FOR UPDATE SKIP LOCKED lets claims on many workers run
// at once without waiting for each other or taking the same row; a row another claim has just
// leased is re-checked against its new lease_until and left out.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]finding.OutboxMessage, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `WITH due AS (
			SELECT id AS due_id FROM outbox WHERE delivered IS NULL AND failed IS NULL AND next_attempt <= ?
				AND (lease_until IS NULL OR lease_until <= ?)
			ORDER BY next_attempt, id LIMIT ? FOR UPDATE SKIP LOCKED)
		UPDATE outbox o SET lease = ?, lease_until = ?, attempts = o.attempts + 1
		FROM due WHERE o.id = due.due_id
		RETURNING `+sqlcore.OutboxCols,
		ts(now), ts(now), limit, finding.NewLease(), ts(now.Add(lease)))
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	out, err := sqlcore.Collect(rows, "outbox", sqlcore.ScanOutbox)
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	sqlcore.SortDue(out)
	return out, nil
}

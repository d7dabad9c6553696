package sqlite

import (
	"context"
	"fmt"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/store/sqlcore"
)

var _ finding.OutboxStore = (*Store)(nil)

// ClaimOutbox leases the due messages. The claim runs in one immediate transaction on the
// writer: SQLite lets one writer in at a time across processes, and BEGIN IMMEDIATE takes that
// lock before reading, so two claims see each other's leases.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]finding.OutboxMessage, error) {
	if limit <= 0 {
		return nil, nil
	}
	token := finding.NewLease()
	var out []finding.OutboxMessage
	err := s.InTx(ctx, func(tx sqlcore.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE outbox SET lease = ?, lease_until = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM outbox WHERE delivered IS NULL AND failed IS NULL AND next_attempt <= ?
				AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt, id LIMIT ?)
			RETURNING `+sqlcore.OutboxCols,
			token, now.Add(lease).UnixMicro(), now.UnixMicro(), now.UnixMicro(), limit)
		if err != nil {
			return fmt.Errorf("claim outbox: %w", err)
		}
		out, err = sqlcore.Collect(rows, "outbox", sqlcore.ScanOutbox)
		return err
	})
	if err != nil {
		return nil, err
	}
	sqlcore.SortDue(out)
	return out, nil
}

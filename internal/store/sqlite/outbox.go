package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"tiyan/internal/finding"
)

var _ finding.OutboxStore = (*Store)(nil)

const outboxCols = `id, kind, channel, key, text, blocks, created, next_attempt, attempts, lease, lease_until,
	last_error, delivered, receipt, failed`

func scanOutbox(row scanner) (finding.OutboxMessage, error) {
	var m finding.OutboxMessage
	var blocks sql.NullString
	var created, next int64
	var leaseUntil, delivered, failed sql.NullInt64
	if err := row.Scan(&m.ID, &m.Kind, &m.Channel, &m.Key, &m.Text, &blocks, &created, &next, &m.Attempts,
		&m.Lease, &leaseUntil, &m.LastError, &delivered, &m.Receipt, &failed); err != nil {
		return m, err
	}
	if blocks.Valid {
		m.Blocks = []byte(blocks.String)
	}
	m.Created, m.NextAttempt = time.UnixMicro(created).UTC(), time.UnixMicro(next).UTC()
	m.LeaseUntil, m.Delivered, m.Failed = fromMicros(leaseUntil), fromMicros(delivered), fromMicros(failed)
	return m, nil
}

// EnqueueOutbox stores m unless its key is already there.
func (s *Store) EnqueueOutbox(ctx context.Context, m finding.OutboxMessage) (finding.OutboxMessage, bool, error) {
	if err := m.Validate(); err != nil {
		return m, false, err
	}
	if m.Created.IsZero() {
		m.Created = s.now()
	}
	if m.NextAttempt.IsZero() {
		m.NextAttempt = m.Created
	}
	var blocks any
	if len(m.Blocks) > 0 {
		blocks = string(m.Blocks)
	}
	// ON CONFLICT DO NOTHING rather than a unique-violation error: a retried job enqueueing the
	// same digest again is the normal case, not a failure.
	res, err := s.w.ExecContext(ctx, `INSERT INTO outbox (kind, channel, key, text, blocks, created, next_attempt)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		m.Kind, m.Channel, m.Key, m.Text, blocks, m.Created.UnixMicro(), m.NextAttempt.UnixMicro())
	if err != nil {
		return m, false, fmt.Errorf("enqueue %s: %w", m.Key, err)
	}
	n, _ := res.RowsAffected()
	stored, err := scanOutbox(s.w.QueryRowContext(ctx, `SELECT `+outboxCols+` FROM outbox WHERE key = ?`, m.Key))
	if err != nil {
		return m, false, fmt.Errorf("read enqueued %s: %w", m.Key, err)
	}
	return stored, n > 0, nil
}

// ClaimOutbox leases the due messages. The claim runs in one immediate transaction on the
// writer: SQLite lets one writer in at a time across processes, and BEGIN IMMEDIATE takes that
// lock before reading, so two claims see each other's leases.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]finding.OutboxMessage, error) {
	if limit <= 0 {
		return nil, nil
	}
	token := finding.NewLease()
	var out []finding.OutboxMessage
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE outbox SET lease = ?, lease_until = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM outbox WHERE delivered IS NULL AND failed IS NULL AND next_attempt <= ?
				AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt, id LIMIT ?)
			RETURNING `+outboxCols,
			token, now.Add(lease).UnixMicro(), now.UnixMicro(), now.UnixMicro(), limit)
		if err != nil {
			return fmt.Errorf("claim outbox: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanOutbox(rows)
			if err != nil {
				return fmt.Errorf("scan outbox: %w", err)
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	// RETURNING comes in no particular order.
	slices.SortFunc(out, func(a, b finding.OutboxMessage) int {
		return cmp.Or(a.NextAttempt.Compare(b.NextAttempt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// MarkOutboxDelivered records Slack's acceptance.
func (s *Store) MarkOutboxDelivered(ctx context.Context, id int64, at time.Time, receipt string) error {
	res, err := s.w.ExecContext(ctx, `UPDATE outbox SET delivered = ?, receipt = ?, lease = '', lease_until = NULL,
		last_error = '' WHERE id = ? AND delivered IS NULL AND failed IS NULL`, at.UnixMicro(), receipt, id)
	if err != nil {
		return fmt.Errorf("mark outbox %d delivered: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return s.outboxMissed(ctx, id, "已发送")
	}
	return nil
}

// MarkOutboxFailed reschedules a message whose lease is still lease.
func (s *Store) MarkOutboxFailed(ctx context.Context, id int64, lease string, next time.Time, reason string) error {
	res, err := s.w.ExecContext(ctx, `UPDATE outbox SET next_attempt = ?, last_error = ?, lease = '', lease_until = NULL
		WHERE id = ? AND lease = ? AND delivered IS NULL AND failed IS NULL`, next.UnixMicro(), reason, id, lease)
	if err != nil {
		return fmt.Errorf("mark outbox %d failed: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return s.outboxMissed(ctx, id, "租约已失效或已发送")
	}
	return nil
}

// GiveUpOutbox marks a message whose lease is still lease as failed for good.
func (s *Store) GiveUpOutbox(ctx context.Context, id int64, lease string, at time.Time, reason string) error {
	res, err := s.w.ExecContext(ctx, `UPDATE outbox SET failed = ?, last_error = ?, lease = '', lease_until = NULL
		WHERE id = ? AND lease = ? AND delivered IS NULL AND failed IS NULL`, at.UnixMicro(), reason, id, lease)
	if err != nil {
		return fmt.Errorf("give up outbox %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return s.outboxMissed(ctx, id, "租约已失效或已发送")
	}
	return nil
}

// PruneOutbox deletes the messages delivered or given up before before.
func (s *Store) PruneOutbox(ctx context.Context, before time.Time) (int, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM outbox WHERE delivered < ? OR failed < ?`, before.UnixMicro(), before.UnixMicro())
	if err != nil {
		return 0, fmt.Errorf("prune outbox: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// outboxMissed explains an update that changed nothing: the message is gone, or not in the
// state the update needed.
func (s *Store) outboxMissed(ctx context.Context, id int64, why string) error {
	var n int
	if err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE id = ?`, id).Scan(&n); err != nil {
		return fmt.Errorf("read outbox %d: %w", id, err)
	}
	if n == 0 {
		return finding.Errorf(finding.ENOTFOUND, "待发消息 %d 不存在", id)
	}
	return finding.Errorf(finding.ECONFLICT, "待发消息 %d 的状态已变（%s）", id, why)
}

// OutboxMessages lists messages, oldest first.
func (s *Store) OutboxMessages(ctx context.Context, filter finding.OutboxFilter) ([]finding.OutboxMessage, error) {
	if err := filter.Validate(); err != nil {
		return nil, err
	}
	limit := filter.Limit
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+outboxCols+` FROM outbox
		WHERE (? = '' OR ? = CASE WHEN delivered IS NOT NULL THEN 'delivered' WHEN failed IS NOT NULL THEN 'failed' ELSE 'pending' END)
			AND (? = '' OR kind = ?) AND (? = '' OR key = ?)
		ORDER BY id LIMIT ?`, filter.State, filter.State, filter.Kind, filter.Kind, filter.Key, filter.Key, limit)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	defer rows.Close()
	var out []finding.OutboxMessage
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("scan outbox: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// CountOutboxPending counts the messages neither delivered nor given up.
func (s *Store) CountOutboxPending(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE delivered IS NULL AND failed IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return n, nil
}

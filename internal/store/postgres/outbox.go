package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"tiyan/internal/finding"
)

var _ finding.OutboxStore = (*Store)(nil)

const outboxCols = `id, kind, channel, key, text, blocks, created, next_attempt, attempts, lease, lease_until,
	last_error, delivered, receipt, failed`

func scanOutbox(row pgx.Row) (finding.OutboxMessage, error) {
	var m finding.OutboxMessage
	var blocks []byte
	var leaseUntil, delivered, failed *time.Time
	err := row.Scan(&m.ID, &m.Kind, &m.Channel, &m.Key, &m.Text, &blocks, &m.Created, &m.NextAttempt, &m.Attempts,
		&m.Lease, &leaseUntil, &m.LastError, &delivered, &m.Receipt, &failed)
	if len(blocks) > 0 {
		m.Blocks = blocks
	}
	m.Created, m.NextAttempt = m.Created.UTC(), m.NextAttempt.UTC()
	m.LeaseUntil, m.Delivered, m.Failed = fromTS(leaseUntil), fromTS(delivered), fromTS(failed)
	return m, err
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
	// same digest again is the normal case, not a failure. It also returns no row then, which is
	// how created is told apart.
	stored, err := scanOutbox(s.pool.QueryRow(ctx, `INSERT INTO outbox (kind, channel, key, text, blocks, created, next_attempt)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING RETURNING `+outboxCols,
		m.Kind, m.Channel, m.Key, m.Text, blocks, ts(m.Created), ts(m.NextAttempt)))
	if err == nil {
		return stored, true, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return m, false, fmt.Errorf("enqueue %s: %w", m.Key, err)
	}
	stored, err = scanOutbox(s.pool.QueryRow(ctx, `SELECT `+outboxCols+` FROM outbox WHERE key = $1`, m.Key))
	if err != nil {
		return m, false, fmt.Errorf("read enqueued %s: %w", m.Key, err)
	}
	return stored, false, nil
}

// ClaimOutbox leases the due messages. FOR UPDATE SKIP LOCKED lets claims on many workers run
// at once without waiting for each other or taking the same row; a row another claim has just
// leased is re-checked against its new lease_until and left out.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]finding.OutboxMessage, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `WITH due AS (
			SELECT id AS due_id FROM outbox WHERE delivered IS NULL AND failed IS NULL AND next_attempt <= $1
				AND (lease_until IS NULL OR lease_until <= $1)
			ORDER BY next_attempt, id LIMIT $2 FOR UPDATE SKIP LOCKED)
		UPDATE outbox o SET lease = $3, lease_until = $4, attempts = o.attempts + 1
		FROM due WHERE o.id = due.due_id
		RETURNING `+outboxCols,
		ts(now), limit, finding.NewLease(), ts(now.Add(lease)))
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (finding.OutboxMessage, error) { return scanOutbox(r) })
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	// RETURNING comes in no particular order.
	slices.SortFunc(out, func(a, b finding.OutboxMessage) int {
		return cmp.Or(a.NextAttempt.Compare(b.NextAttempt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// MarkOutboxDelivered records Slack's acceptance.
func (s *Store) MarkOutboxDelivered(ctx context.Context, id int64, at time.Time, receipt string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE outbox SET delivered = $1, receipt = $2, lease = '', lease_until = NULL,
		last_error = '' WHERE id = $3 AND delivered IS NULL AND failed IS NULL`, ts(at), receipt, id)
	if err != nil {
		return fmt.Errorf("mark outbox %d delivered: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return s.outboxMissed(ctx, id, "已发送")
	}
	return nil
}

// MarkOutboxFailed reschedules a message whose lease is still lease.
func (s *Store) MarkOutboxFailed(ctx context.Context, id int64, lease string, next time.Time, reason string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE outbox SET next_attempt = $1, last_error = $2, lease = '', lease_until = NULL
		WHERE id = $3 AND lease = $4 AND delivered IS NULL AND failed IS NULL`, ts(next), reason, id, lease)
	if err != nil {
		return fmt.Errorf("mark outbox %d failed: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return s.outboxMissed(ctx, id, "租约已失效或已发送")
	}
	return nil
}

// GiveUpOutbox marks a message whose lease is still lease as failed for good.
func (s *Store) GiveUpOutbox(ctx context.Context, id int64, lease string, at time.Time, reason string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE outbox SET failed = $1, last_error = $2, lease = '', lease_until = NULL
		WHERE id = $3 AND lease = $4 AND delivered IS NULL AND failed IS NULL`, ts(at), reason, id, lease)
	if err != nil {
		return fmt.Errorf("give up outbox %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return s.outboxMissed(ctx, id, "租约已失效或已发送")
	}
	return nil
}

// PruneOutbox deletes the messages delivered or given up before before.
func (s *Store) PruneOutbox(ctx context.Context, before time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM outbox WHERE delivered < $1 OR failed < $1`, ts(before))
	if err != nil {
		return 0, fmt.Errorf("prune outbox: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// outboxMissed explains an update that changed nothing: the message is gone, or not in the
// state the update needed.
func (s *Store) outboxMissed(ctx context.Context, id int64, why string) error {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE id = $1`, id).Scan(&n); err != nil {
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
	var limit any
	if filter.Limit > 0 {
		limit = filter.Limit
	}
	rows, err := s.pool.Query(ctx, `SELECT `+outboxCols+` FROM outbox
		WHERE ($1 = '' OR $1 = CASE WHEN delivered IS NOT NULL THEN 'delivered' WHEN failed IS NOT NULL THEN 'failed' ELSE 'pending' END)
			AND ($2 = '' OR kind = $2) AND ($3 = '' OR key = $3)
		ORDER BY id LIMIT $4`, filter.State, filter.Kind, filter.Key, limit)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (finding.OutboxMessage, error) { return scanOutbox(r) })
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	return out, nil
}

// CountOutboxPending counts the messages neither delivered nor given up.
func (s *Store) CountOutboxPending(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE delivered IS NULL AND failed IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return n, nil
}

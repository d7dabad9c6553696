package sqlcore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"tiyan/internal/finding"
)

// OutboxCols are the outbox columns ScanOutbox reads, for the drivers' ClaimOutbox.
const OutboxCols = `id, kind, channel, key, text, blocks, created, next_attempt, attempts, lease, lease_until,
	last_error, delivered, receipt, failed`

// ScanOutbox scans a row of OutboxCols.
func ScanOutbox(row Scanner) (finding.OutboxMessage, error) {
	var m finding.OutboxMessage
	var blocks sql.NullString
	var created, next, leaseUntil, delivered, failed NullTime
	if err := row.Scan(&m.ID, &m.Kind, &m.Channel, &m.Key, &m.Text, &blocks, &created, &next, &m.Attempts,
		&m.Lease, &leaseUntil, &m.LastError, &delivered, &m.Receipt, &failed); err != nil {
		return m, err
	}
	if blocks.Valid {
		m.Blocks = []byte(blocks.String)
	}
	m.Created, m.NextAttempt = created.T, next.T
	m.LeaseUntil, m.Delivered, m.Failed = leaseUntil.T, delivered.T, failed.T
	return m, nil
}

// EnqueueOutbox stores m unless its key is already there.
func (s *Core) EnqueueOutbox(ctx context.Context, m finding.OutboxMessage) (finding.OutboxMessage, bool, error) {
	if err := m.Validate(); err != nil {
		return m, false, err
	}
	if m.Created.IsZero() {
		m.Created = s.Now()
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
	res, err := s.exec(ctx, `INSERT INTO outbox (kind, channel, key, text, blocks, created, next_attempt)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		m.Kind, m.Channel, m.Key, m.Text, blocks, s.Time(m.Created), s.Time(m.NextAttempt))
	if err != nil {
		return m, false, fmt.Errorf("enqueue %s: %w", m.Key, err)
	}
	n, _ := res.RowsAffected()
	stored, err := ScanOutbox(s.rowW(ctx, `SELECT `+OutboxCols+` FROM outbox WHERE key = ?`, m.Key))
	if err != nil {
		return m, false, fmt.Errorf("read enqueued %s: %w", m.Key, err)
	}
	return stored, n > 0, nil
}

// MarkOutboxDelivered records Slack's acceptance.
func (s *Core) MarkOutboxDelivered(ctx context.Context, id int64, at time.Time, receipt string) error {
	return s.settleOutbox(ctx, id, "mark outbox %d delivered", "已发送", `UPDATE outbox SET delivered = ?, receipt = ?,
		lease = '', lease_until = NULL, last_error = '' WHERE id = ? AND delivered IS NULL AND failed IS NULL`,
		s.Time(at), receipt, id)
}

// MarkOutboxFailed reschedules a message whose lease is still lease.
func (s *Core) MarkOutboxFailed(ctx context.Context, id int64, lease string, next time.Time, reason string) error {
	return s.settleOutbox(ctx, id, "mark outbox %d failed", "租约已失效或已发送", `UPDATE outbox SET next_attempt = ?,
		last_error = ?, lease = '', lease_until = NULL WHERE id = ? AND lease = ? AND delivered IS NULL AND failed IS NULL`,
		s.Time(next), reason, id, lease)
}

// GiveUpOutbox marks a message whose lease is still lease as failed for good.
func (s *Core) GiveUpOutbox(ctx context.Context, id int64, lease string, at time.Time, reason string) error {
	return s.settleOutbox(ctx, id, "give up outbox %d", "租约已失效或已发送", `UPDATE outbox SET failed = ?,
		last_error = ?, lease = '', lease_until = NULL WHERE id = ? AND lease = ? AND delivered IS NULL AND failed IS NULL`,
		s.Time(at), reason, id, lease)
}

// settleOutbox runs one of the updates that end a delivery attempt of message id; when it
// changes no row the message was not in the state the update requires, which outboxMissed
// explains (why: in Chinese, for the caller's error).
func (s *Core) settleOutbox(ctx context.Context, id int64, what, why, query string, args ...any) error {
	res, err := s.exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf(what+": %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return s.outboxMissed(ctx, id, why)
	}
	return nil
}

// PruneOutbox deletes the messages delivered or given up before before.
func (s *Core) PruneOutbox(ctx context.Context, before time.Time) (int, error) {
	res, err := s.exec(ctx, `DELETE FROM outbox WHERE delivered < ? OR failed < ?`, s.Time(before), s.Time(before))
	if err != nil {
		return 0, fmt.Errorf("prune outbox: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// outboxMissed explains an update that changed nothing: the message is gone, or not in the
// state the update needed.
func (s *Core) outboxMissed(ctx context.Context, id int64, why string) error {
	var n int
	if err := s.rowW(ctx, `SELECT count(*) FROM outbox WHERE id = ?`, id).Scan(&n); err != nil {
		return fmt.Errorf("read outbox %d: %w", id, err)
	}
	if n == 0 {
		return finding.Errorf(finding.ENOTFOUND, "待发消息 %d 不存在", id)
	}
	return finding.Errorf(finding.ECONFLICT, "待发消息 %d 的状态已变（%s）", id, why)
}

// OutboxMessages lists messages, oldest first.
func (s *Core) OutboxMessages(ctx context.Context, filter finding.OutboxFilter) ([]finding.OutboxMessage, error) {
	if err := filter.Validate(); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT `+OutboxCols+` FROM outbox
		WHERE (? = '' OR ? = CASE WHEN delivered IS NOT NULL THEN 'delivered' WHEN failed IS NOT NULL THEN 'failed' ELSE 'pending' END)
			AND (? = '' OR kind = ?) AND (? = '' OR key = ?)
		ORDER BY id LIMIT ?`, filter.State, filter.State, filter.Kind, filter.Kind, filter.Key, filter.Key, s.limit(filter.Limit))
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	return Collect(rows, "outbox", ScanOutbox)
}

// CountOutboxPending counts the messages neither delivered nor given up.
func (s *Core) CountOutboxPending(ctx context.Context) (int, error) {
	var n int
	if err := s.row(ctx, `SELECT count(*) FROM outbox WHERE delivered IS NULL AND failed IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return n, nil
}

// SortDue puts claimed messages in the order they fell due, as RETURNING does not.
func SortDue(out []finding.OutboxMessage) {
	slices.SortFunc(out, func(a, b finding.OutboxMessage) int {
		return cmp.Or(a.NextAttempt.Compare(b.NextAttempt), cmp.Compare(a.ID, b.ID))
	})
}

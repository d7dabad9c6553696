package finding

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"
)

// OutboxStore keeps the messages tiyan owes people (Slack digests, overdue reminders, operations
// alerts) until they are delivered. A message is written once per Key, claimed under a lease by
// one deliverer at a time, and leaves the queue only when it is marked delivered, so nothing is
// lost while Slack is down and nothing is sent twice by two processes; or when it is marked
// failed, because Slack refused it for good (an unknown channel) attempt after attempt.
//
// Times the deliverer passes in (now, next) come from its own clock, so backoff and leases are
// testable without sleeping.
type OutboxStore interface {
	// EnqueueOutbox stores m unless a message with its Key is already there; created says
	// which. Either way it returns the stored message. A zero Created is the store's now, a zero
	// NextAttempt is Created (due at once).
	EnqueueOutbox(ctx context.Context, m OutboxMessage) (stored OutboxMessage, created bool, err error)
	// ClaimOutbox leases up to limit undelivered messages due at now (next attempt reached, no
	// live lease) until now+lease, oldest due first, and counts an attempt on each. Concurrent
	// claims, in this process or another, never return the same message while its lease lives.
	// Each returned message carries the lease token that MarkOutboxFailed needs.
	ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]OutboxMessage, error)
	// MarkOutboxDelivered records that Slack accepted the message at at, with Slack's receipt
	// (the message ts). It holds whoever's lease is current, because the message did go out;
	// a message already delivered is ECONFLICT, an unknown one ENOTFOUND.
	MarkOutboxDelivered(ctx context.Context, id int64, at time.Time, receipt string) error
	// MarkOutboxFailed releases the lease lease on an undelivered message, records why it
	// failed and makes it due again at next. When the lease is no longer the message's (it
	// expired and another deliverer claimed it, or it was delivered) nothing changes and the
	// error is ECONFLICT.
	MarkOutboxFailed(ctx context.Context, id int64, lease string, next time.Time, reason string) error
	// GiveUpOutbox marks the undelivered message id, held under lease, as failed at at for
	// reason: it leaves the queue and is never claimed again. A lease no longer the message's
	// is ECONFLICT, as for MarkOutboxFailed.
	GiveUpOutbox(ctx context.Context, id int64, lease string, at time.Time, reason string) error
	// PruneOutbox deletes the messages delivered, or given up, before before, and returns how
	// many. Pending messages are never pruned.
	PruneOutbox(ctx context.Context, before time.Time) (int, error)
	// OutboxMessages lists messages, oldest first.
	OutboxMessages(ctx context.Context, filter OutboxFilter) ([]OutboxMessage, error)
	// CountOutboxPending counts the messages neither delivered nor given up yet, due or not.
	CountOutboxPending(ctx context.Context) (int, error)
}

// OutboxMessage is one message waiting in (or delivered from) the outbox. Its text is complete
// and already free of personal data when it is enqueued: the outbox stores what goes out.
type OutboxMessage struct {
	ID      int64  `json:"id"`
	Kind    string `json:"kind"`    // what it is for: "digest", "overdue", "ops"
	Channel string `json:"channel"` // the Slack channel it goes to, resolved when enqueued
	// Key identifies the message: the same digest, reminder or alert is enqueued once.
	Key string `json:"key"`
	// Text is the plain fallback and notification text; Blocks the Slack Block Kit JSON
	// array, nil for text only.
	Text   string          `json:"text"`
	Blocks json.RawMessage `json:"blocks"`

	Created     time.Time `json:"created"`
	NextAttempt time.Time `json:"next_attempt"` // due from then on
	Attempts    int       `json:"attempts"`     // claims so far
	// Lease is the token of the claim that holds the message; LeaseUntil when the claim
	// lapses. Both are empty when nobody holds it.
	Lease      string    `json:"-"`
	LeaseUntil time.Time `json:"lease_until"`
	LastError  string    `json:"last_error"` // why the last attempt failed; "" once delivered
	Delivered  time.Time `json:"delivered"`  // zero until Slack accepts it
	Receipt    string    `json:"receipt"`    // Slack's ts of the posted message
	// Failed is when the message was given up, LastError saying why; zero while it is pending
	// or once delivered.
	Failed time.Time `json:"failed"`
}

// Pending reports whether the message still waits for delivery.
func (m *OutboxMessage) Pending() bool { return m.Delivered.IsZero() && m.Failed.IsZero() }

// Validate checks a message before it is stored.
func (m *OutboxMessage) Validate() error {
	switch {
	case strings.TrimSpace(m.Key) == "":
		return Errorf(EINVALID, "待发消息缺少去重键（key）")
	case strings.TrimSpace(m.Kind) == "":
		return Errorf(EINVALID, "待发消息 %s 缺少类型", m.Key)
	case strings.TrimSpace(m.Channel) == "":
		return Errorf(EINVALID, "待发消息 %s 没有 Slack 频道：请设置 TIYAN_SLACK_CHANNEL 或在 tiyan.yaml 的 slack 下配置频道", m.Key)
	case strings.TrimSpace(m.Text) == "" && len(m.Blocks) == 0:
		return Errorf(EINVALID, "待发消息 %s 没有内容", m.Key)
	case len(m.Blocks) > 0 && !json.Valid(m.Blocks):
		return Errorf(EINVALID, "待发消息 %s 的 blocks 不是合法的 JSON", m.Key)
	}
	return nil
}

// Outbox message states for OutboxFilter.
const (
	OutboxPending   = "pending"
	OutboxDelivered = "delivered"
	OutboxFailed    = "failed" // given up: Slack refused it for good
)

// OutboxFilter selects outbox messages. Zero fields select everything.
type OutboxFilter struct {
	State string // OutboxPending, OutboxDelivered or OutboxFailed; "" for all
	Kind  string
	Key   string
	Limit int // 0: no limit
}

// NewLease returns a fresh lease token for one ClaimOutbox call.
func NewLease() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// Validate checks a filter before a store reads with it.
func (f *OutboxFilter) Validate() error {
	if f.State != "" && f.State != OutboxPending && f.State != OutboxDelivered && f.State != OutboxFailed {
		return Errorf(EINVALID, "待发消息状态应为 %s、%s 或 %s，收到 %q", OutboxPending, OutboxDelivered, OutboxFailed, f.State)
	}
	return nil
}

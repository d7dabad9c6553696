package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"tiyan/internal/finding"
)

// bookkeeping bounds the store writes after an attempt, which must happen even when the
// caller's context is done: a message Slack accepted has to be marked delivered.
const bookkeeping = 15 * time.Second

// Deliver sends the messages due now, one at a time, until none is due, and returns how many
// Slack accepted. A message is marked delivered only after Slack accepts it; one that fails is
// rescheduled with backoff and the error joins the returned one. When Slack itself is out of
// reach (network, 5xx, rate limit, bad token) Deliver stops at the first failure instead of
// trying every message against a Slack that is down.
//
// Concurrent Deliver calls, in one process or many, never send the same message: each claims
// its message under a lease in the store.
func (n *Notifier) Deliver(ctx context.Context) (sent int, err error) {
	if !n.Enabled() {
		return 0, nil
	}
	var errs []error
	for ctx.Err() == nil {
		ms, err := n.out.ClaimOutbox(ctx, n.now(), n.lease, 1)
		if err != nil {
			return sent, errors.Join(append(errs, fmt.Errorf("claim notifications: %w", err))...)
		}
		if len(ms) == 0 {
			break
		}
		err = n.attempt(ctx, ms[0])
		if err == nil {
			sent++
			continue
		}
		errs = append(errs, err)
		if outage(err) {
			break
		}
	}
	if ctx.Err() != nil {
		errs = append(errs, ctx.Err()) // stopped early: what is due waits for the next call
	}
	return sent, errors.Join(errs...)
}

// attempt sends one claimed message and records the outcome.
func (n *Notifier) attempt(ctx context.Context, m finding.OutboxMessage) error {
	receipt, sendErr := n.send(ctx, m)
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), bookkeeping)
	defer cancel()
	if sendErr == nil {
		if err := n.out.MarkOutboxDelivered(bctx, m.ID, n.now(), receipt); err != nil {
			// Slack has it; the lease will lapse and it may be sent again. Loud, because
			// that is the one way a message goes out twice.
			n.log.ErrorContext(ctx, "通知已发送但未能标记为已发送，可能重发", "key", m.Key, "id", m.ID, "err", err)
			return fmt.Errorf("mark %s delivered: %w", m.Key, err)
		}
		return nil
	}
	if refused(sendErr) && m.Attempts >= n.attempts {
		return n.giveUp(ctx, bctx, m, sendErr)
	}
	next := n.now().Add(n.backoff.after(m.Attempts, sendErr))
	if err := n.out.MarkOutboxFailed(bctx, m.ID, m.Lease, next, sendErr.Error()); err != nil {
		n.log.ErrorContext(ctx, "未能记录通知发送失败", "key", m.Key, "id", m.ID, "err", err)
	}
	n.log.WarnContext(ctx, "Slack 通知发送失败，稍后重试", "key", m.Key, "channel", m.Channel,
		"attempt", m.Attempts, "next", finding.FormatTime(next), "err", sendErr)
	return &sendError{key: m.Key, err: sendErr}
}

// giveUp marks a message Slack has refused for good, attempt after attempt, as failed: it stays
// in the outbox with the reason (until pruned) and is never sent. Loud, because someone has to
// fix a channel or a token for the next one to arrive.
func (n *Notifier) giveUp(ctx, bctx context.Context, m finding.OutboxMessage, sendErr error) error {
	if err := n.out.GiveUpOutbox(bctx, m.ID, m.Lease, n.now(), sendErr.Error()); err != nil {
		n.log.ErrorContext(ctx, "未能记录通知发送失败", "key", m.Key, "id", m.ID, "err", err)
		return &sendError{key: m.Key, err: sendErr}
	}
	n.log.ErrorContext(ctx, "Slack 多次拒收通知，已放弃发送：请检查频道是否存在、机器人是否已加入频道、令牌是否有效",
		"key", m.Key, "channel", m.Channel, "attempts", m.Attempts, "reason", sendErr)
	return &sendError{key: m.Key, err: sendErr, gaveUp: true}
}

// send posts m to its channel and returns Slack's timestamp of the message.
func (n *Notifier) send(ctx context.Context, m finding.OutboxMessage) (string, error) {
	opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false), slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
		// The key travels with the message, so whoever suspects a double can find it in Slack.
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "tiyan_notification", EventPayload: map[string]any{"key": m.Key}})}
	if len(m.Blocks) > 0 {
		var blocks slack.Blocks
		if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
			return "", &badMessageError{fmt.Errorf("decode blocks: %w", err)}
		}
		opts = append(opts, slack.MsgOptionBlocks(blocks.BlockSet...))
	}
	// However the HTTP client is set up, the request ends well within the lease, so no other
	// deliverer can take the message while this one may still be sending it.
	ctx, cancel := context.WithTimeout(ctx, n.lease/2)
	defer cancel()
	_, ts, err := n.slack.PostMessageContext(ctx, m.Channel, opts...)
	return ts, err
}

// sendError is a message Slack did not take.
type sendError struct {
	key    string
	err    error
	gaveUp bool // the message is marked failed: no more attempts
}

func (e *sendError) Error() string {
	if e.gaveUp {
		return fmt.Sprintf("send %s: %v (given up)", e.key, e.err)
	}
	return fmt.Sprintf("send %s: %v", e.key, e.err)
}
func (e *sendError) Unwrap() error { return e.err }

// badMessageError is a stored message that cannot be sent as it is: no attempt will do better.
type badMessageError struct{ err error }

func (e *badMessageError) Error() string { return e.err.Error() }
func (e *badMessageError) Unwrap() error { return e.err }

// pruneEvery is how often Run prunes the outbox.
const pruneEvery = time.Hour

// Prune deletes the messages delivered or given up more than KeepFor ago and returns how many.
func (n *Notifier) Prune(ctx context.Context) (int, error) {
	return n.out.PruneOutbox(ctx, n.now().Add(-n.keep))
}

// Run delivers what is due every interval (0 is 30 seconds) until ctx is done: the loop of
// tiyan serve and tiyan worker. Failures are logged; the messages wait in the outbox. Once an
// hour, and when it starts, it prunes what was delivered or given up more than KeepFor ago.
func (n *Notifier) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = 30 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	var pruned time.Time
	for {
		if time.Since(pruned) >= pruneEvery {
			pruned = time.Now()
			if k, err := n.Prune(ctx); err != nil && ctx.Err() == nil {
				n.log.WarnContext(ctx, "未能清理已发送或已放弃的旧通知", "err", err)
			} else if k > 0 {
				n.log.InfoContext(ctx, "已清理旧通知", "deleted", k, "older_than", n.keep)
			}
		}
		if sent, err := n.Deliver(ctx); err != nil && ctx.Err() == nil {
			n.log.WarnContext(ctx, "部分 Slack 通知未能发送，将按退避时间重试", "sent", sent, "err", err)
		} else if sent > 0 {
			n.log.InfoContext(ctx, "Slack 通知已发送", "sent", sent)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

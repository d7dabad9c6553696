package jobs

import (
	"context"
	"log/slog"

	"tiyan/internal/notify"
)

// Notifier tells people what jobs found: *notify.Notifier, which keeps every message in the
// store's outbox until Slack has it, so a job that hands one over twice (a retry) or while
// Slack is down loses nothing and sends nothing twice.
type Notifier interface {
	// Notify accepts a message (an overdue reminder) for delivery. It returns once the message
	// is safely kept; an error makes the job retry, with the same key.
	Notify(ctx context.Context, m notify.Message) error
	// EnqueueRun accepts the digest of a finished run (and an alert to operations when the
	// prober failed on some pages). Calling it again for the same run adds nothing.
	EnqueueRun(ctx context.Context, src notify.RunSource, runID string) error
}

var _ Notifier = (*notify.Notifier)(nil)

// LogNotifier logs what it is given instead of sending it: the default when no Notifier is
// configured.
type LogNotifier struct {
	Logger *slog.Logger // nil is slog.Default()
}

// Notify logs m.
func (n LogNotifier) Notify(ctx context.Context, m notify.Message) error {
	n.logger().InfoContext(ctx, "notification", "kind", m.Kind, "channel", m.Channel, "key", m.Key, "title", m.Title, "findings", len(m.Findings))
	return nil
}

// EnqueueRun logs that a run's digest is due.
func (n LogNotifier) EnqueueRun(ctx context.Context, _ notify.RunSource, runID string) error {
	n.logger().InfoContext(ctx, "run digest", "run", runID)
	return nil
}

func (n LogNotifier) logger() *slog.Logger {
	if n.Logger == nil {
		return slog.Default()
	}
	return n.Logger
}

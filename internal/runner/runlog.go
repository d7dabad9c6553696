package runner

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
)

// runLog is a run's slog handler (STYLE rule 5): it passes every record on to the Runner's
// logger, and also keeps it as a line of text, so that the run's own log travels with its Result
// as evidence. Nothing logged by the runner holds a secret, and Result.Log is masked again at the
// end of the run all the same.
type runLog struct {
	next slog.Handler // the Runner's logger, with the run's scenario and channel
	keep slog.Handler // text lines into kept, at every level
	kept *keptLines
}

// newRunLog returns the handler of one run and the lines it keeps.
func newRunLog(next slog.Handler) (*runLog, *keptLines) {
	kept := &keptLines{}
	keep := slog.NewTextHandler(kept, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: shortTime})
	return &runLog{next: next, keep: keep, kept: kept}, kept
}

// shortTime writes a line's time as 15:04:05.000: a run lasts minutes, and its Result has the date.
func shortTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey && a.Value.Kind() == slog.KindTime {
		return slog.String(slog.TimeKey, a.Value.Time().Format("15:04:05.000"))
	}
	return a
}

func (h *runLog) Enabled(context.Context, slog.Level) bool { return true }

func (h *runLog) Handle(ctx context.Context, r slog.Record) error {
	err := h.keep.Handle(ctx, r)
	if h.next.Enabled(ctx, r.Level) {
		err = errors.Join(err, h.next.Handle(ctx, r))
	}
	return err
}

func (h *runLog) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &runLog{next: h.next.WithAttrs(attrs), keep: h.keep.WithAttrs(attrs), kept: h.kept}
}

func (h *runLog) WithGroup(name string) slog.Handler {
	return &runLog{next: h.next.WithGroup(name), keep: h.keep.WithGroup(name), kept: h.kept}
}

// keptLines collects what the text handler writes, one record per Write.
type keptLines struct {
	mu    sync.Mutex
	lines []string
}

func (k *keptLines) Write(p []byte) (int, error) {
	k.mu.Lock()
	k.lines = append(k.lines, strings.TrimSuffix(string(p), "\n"))
	k.mu.Unlock()
	return len(p), nil
}

// masked returns the lines so far with mask applied to each.
func (k *keptLines) masked(mask func(string) string) []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]string, len(k.lines))
	for i, l := range k.lines {
		out[i] = mask(l)
	}
	return out
}

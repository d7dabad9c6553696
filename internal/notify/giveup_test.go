package notify_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/notify"
)

// syncBuffer is a log sink the delivery goroutine and the test may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// hygienicNotifier is newNotifier with MaxAttempts and a log the test reads.
func hygienicNotifier(t *testing.T, st finding.OutboxStore, srv *slackServer, clk *clock, attempts int) (*notify.Notifier, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	n := must[*notify.Notifier](t)(notify.New(notify.Config{Outbox: st, Token: "xoxb-test", APIURL: srv.URL, DefaultChannel: "#tiyan",
		Now: clk.Now, Rand: func() float64 { return 0 }, MaxAttempts: attempts, HTTPClient: &http.Client{Timeout: 5 * time.Second},
		Logger: slog.New(slog.NewTextHandler(logs, nil))}))
	return n, logs
}

// TestRefusedMessageGivenUp: a reminder to a channel Slack does not know is tried MaxAttempts
// times, an hour apart at most, then marked failed with Slack's reason and logged; it is never
// tried again, and the other messages go out meanwhile.
func TestRefusedMessageGivenUp(t *testing.T) {
	ctx := t.Context()
	st, srv, clk := openSQLite(t), newSlack(t), newClock()
	srv.setFail(func(f url.Values) int {
		if f.Get("channel") == "#gone" {
			return http.StatusOK // {"ok":false,"error":"channel_not_found"}
		}
		return 0
	})
	n, logs := hygienicNotifier(t, st, srv, clk, 4)
	must[bool](t)(n.Enqueue(ctx, notify.Message{Kind: notify.KindOverdue, Channel: "#gone", Key: "overdue:gone", Title: "超期提醒"}))
	for i := range 6 {
		must[bool](t)(n.Enqueue(ctx, notify.Message{Kind: notify.KindOps, Key: "ops:" + string(rune('a'+i)), Title: "测试"}))
		_, _ = n.Deliver(ctx)
		clk.Add(time.Hour)
	}
	failed := must[[]finding.OutboxMessage](t)(st.OutboxMessages(ctx, finding.OutboxFilter{State: finding.OutboxFailed}))
	if len(failed) != 1 || failed[0].Key != "overdue:gone" || failed[0].Attempts != 4 || !strings.Contains(failed[0].LastError, "channel_not_found") {
		t.Fatalf("failed = %+v; want the reminder given up after 4 attempts with Slack's reason", failed)
	}
	if got := srv.tries(); got != 4+6 {
		t.Errorf("Slack saw %d posts, want 4 for the refused reminder and 6 others", got)
	}
	if pending := must[int](t)(st.CountOutboxPending(ctx)); pending != 0 {
		t.Errorf("pending = %d, want none", pending)
	}
	if len(srv.posts()) != 6 {
		t.Errorf("Slack accepted %d messages, want the 6 others", len(srv.posts()))
	}
	log := logs.String()
	if !strings.Contains(log, "已放弃发送") || !strings.Contains(log, "overdue:gone") || !strings.Contains(log, "channel_not_found") {
		t.Errorf("the log does not report the message given up:\n%s", log)
	}
}

// TestOutageNeverGivesUp: Slack down (500s) is not a refusal: the message waits however many
// attempts it takes, and arrives once Slack is back.
func TestOutageNeverGivesUp(t *testing.T) {
	ctx := t.Context()
	st, srv, clk := openSQLite(t), newSlack(t), newClock()
	srv.setFail(func(url.Values) int { return http.StatusInternalServerError })
	n, _ := hygienicNotifier(t, st, srv, clk, 2)
	must[bool](t)(n.Enqueue(ctx, notify.Message{Kind: notify.KindOps, Key: "ops:down", Title: "测试"}))
	for range 5 {
		_, _ = n.Deliver(ctx)
		clk.Add(time.Hour)
	}
	srv.setFail(nil)
	if sent, err := n.Deliver(ctx); sent != 1 || err != nil {
		t.Fatalf("deliver after the outage = %d, %v; want the message sent", sent, err)
	}
	m := must[[]finding.OutboxMessage](t)(st.OutboxMessages(ctx, finding.OutboxFilter{Key: "ops:down"}))[0]
	if m.Attempts != 6 || !m.Failed.IsZero() || m.Delivered.IsZero() {
		t.Errorf("message = %+v; want delivered on the 6th attempt, never given up", m)
	}
}

// TestPruneOutbox: delivered and given-up messages go after 30 days; pending ones stay, however
// old.
func TestPruneOutbox(t *testing.T) {
	ctx := t.Context()
	st, srv, clk := openSQLite(t), newSlack(t), newClock()
	srv.setFail(func(f url.Values) int {
		switch f.Get("channel") {
		case "#gone":
			return http.StatusOK
		case "#down":
			return http.StatusInternalServerError
		}
		return 0
	})
	n, _ := hygienicNotifier(t, st, srv, clk, 1)
	for _, ch := range []string{"#tiyan", "#gone", "#down"} {
		must[bool](t)(n.Enqueue(ctx, notify.Message{Kind: notify.KindOps, Channel: ch, Key: "ops:" + ch, Title: "测试"}))
	}
	for range 3 { // Deliver stops at the outage: one call per message
		_, _ = n.Deliver(ctx)
	}
	clk.Add(29 * 24 * time.Hour)
	if k := must[int](t)(n.Prune(ctx)); k != 0 {
		t.Errorf("pruned %d after 29 days, want none", k)
	}
	clk.Add(2 * 24 * time.Hour)
	if k := must[int](t)(n.Prune(ctx)); k != 2 {
		t.Errorf("pruned %d after 31 days, want the delivered and the given-up message", k)
	}
	left := must[[]finding.OutboxMessage](t)(st.OutboxMessages(ctx, finding.OutboxFilter{}))
	if len(left) != 1 || left[0].Key != "ops:#down" || !left[0].Pending() {
		t.Errorf("left = %+v; want the pending message alone", left)
	}
}

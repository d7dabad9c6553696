package storetest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"tiyan/internal/finding"
)

// outboxTests are the outbox's part of the suite, run by Run.
var outboxTests = []struct {
	name string
	fn   func(*testing.T, finding.OutboxStore)
}{
	{"OutboxEnqueue", testOutboxEnqueue},
	{"OutboxClaim", testOutboxClaim},
	{"OutboxFailDeliver", testOutboxFailDeliver},
	{"OutboxConcurrentClaims", testOutboxConcurrentClaims},
	{"OutboxGiveUpPrune", testOutboxGiveUpPrune},
}

// runOutbox runs outboxTests, each on a store of its own: every finding.Store keeps an outbox.
func runOutbox(t *testing.T, open Opener) {
	for _, tc := range outboxTests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// message returns a digest message with key, due at t0+offset.
func message(key string, offset time.Duration) finding.OutboxMessage {
	return finding.OutboxMessage{Kind: "digest", Channel: "#tiyan", Key: key, Text: "【体验汇总】发现 3 个问题",
		Blocks:  json.RawMessage(`[{"type":"section","text":{"type":"mrkdwn","text":"新发现 3 个"}}]`),
		Created: t0, NextAttempt: t0.Add(offset)}
}

func enqueue(t testing.TB, s finding.OutboxStore, m finding.OutboxMessage) finding.OutboxMessage {
	t.Helper()
	got, created, err := s.EnqueueOutbox(ctx(t), m)
	if err != nil || !created {
		t.Fatalf("enqueue %s: created %v, %v", m.Key, created, err)
	}
	return got
}

func outboxIDs(ms []finding.OutboxMessage) []int64 {
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func testOutboxEnqueue(t *testing.T, s finding.OutboxStore) {
	c := ctx(t)
	m := enqueue(t, s, message("digest:run:1", 0))
	if m.ID == 0 || m.Attempts != 0 || !m.Pending() || m.Lease != "" || m.Text != "【体验汇总】发现 3 个问题" {
		t.Fatalf("enqueued = %+v", m)
	}
	sameTime(t, "created", m.Created, t0)
	sameTime(t, "next attempt", m.NextAttempt, t0)
	sameJSON(t, "blocks", m.Blocks, message("", 0).Blocks)

	again := message("digest:run:1", 0)
	again.Text = "另一份"
	dup, created, err := s.EnqueueOutbox(c, again)
	if err != nil || created || dup.ID != m.ID || dup.Text != m.Text {
		t.Errorf("enqueue the same key again: created %v, %+v, %v; want the first message kept", created, dup, err)
	}
	textOnly := message("ops:run:1", 0)
	textOnly.Blocks, textOnly.NextAttempt = nil, time.Time{}
	plain := enqueue(t, s, textOnly)
	if plain.Blocks != nil {
		t.Errorf("text-only message has blocks %s", plain.Blocks)
	}
	sameTime(t, "default next attempt", plain.NextAttempt, t0)

	for _, bad := range []func(*finding.OutboxMessage){
		func(m *finding.OutboxMessage) { m.Key = "" },
		func(m *finding.OutboxMessage) { m.Channel = " " },
		func(m *finding.OutboxMessage) { m.Text, m.Blocks = "", nil },
		func(m *finding.OutboxMessage) { m.Blocks = json.RawMessage(`[{`) },
	} {
		m := message("bad", 0)
		bad(&m)
		_, _, err := s.EnqueueOutbox(c, m)
		wantCode(t, err, finding.EINVALID)
	}
	eq(t, "pending", must[int](t)(s.CountOutboxPending(c)), 2)
	eqSlice(t, "by key", outboxIDs(must[[]finding.OutboxMessage](t)(s.OutboxMessages(c, finding.OutboxFilter{Key: "ops:run:1"}))), []int64{plain.ID})
	eqSlice(t, "pending", outboxIDs(must[[]finding.OutboxMessage](t)(s.OutboxMessages(c, finding.OutboxFilter{State: finding.OutboxPending}))), []int64{m.ID, plain.ID})
	eq(t, "delivered", len(must[[]finding.OutboxMessage](t)(s.OutboxMessages(c, finding.OutboxFilter{State: finding.OutboxDelivered}))), 0)
	eq(t, "limited", len(must[[]finding.OutboxMessage](t)(s.OutboxMessages(c, finding.OutboxFilter{Limit: 1}))), 1)
	_, err = s.OutboxMessages(c, finding.OutboxFilter{State: "lost"})
	wantCode(t, err, finding.EINVALID)
}

func testOutboxClaim(t *testing.T, s finding.OutboxStore) {
	c := ctx(t)
	later := enqueue(t, s, message("b", time.Minute))
	first := enqueue(t, s, message("a", -time.Minute))
	now := enqueue(t, s, message("c", 0))
	future := enqueue(t, s, message("d", time.Hour))

	got := must[[]finding.OutboxMessage](t)(s.ClaimOutbox(c, t0, 2*time.Minute, 10))
	eqSlice(t, "claimed at t0", outboxIDs(got), []int64{first.ID, now.ID})
	for _, m := range got {
		if m.Attempts != 1 || m.Lease == "" || m.Lease != got[0].Lease {
			t.Errorf("claimed %d: attempts %d, lease %q", m.ID, m.Attempts, m.Lease)
		}
		sameTime(t, "lease until", m.LeaseUntil, t0.Add(2*time.Minute))
	}
	// A minute on, a and c are still leased and d is not due: only b.
	eqSlice(t, "claimed a minute on", outboxIDs(must[[]finding.OutboxMessage](t)(s.ClaimOutbox(c, t0.Add(time.Minute), time.Minute, 10))), []int64{later.ID})
	eq(t, "limit 0", len(must[[]finding.OutboxMessage](t)(s.ClaimOutbox(c, t0.Add(time.Hour), time.Minute, 0))), 0)

	// A lease that lapsed (its holder died) frees the message for another claim.
	again := must[[]finding.OutboxMessage](t)(s.ClaimOutbox(c, t0.Add(3*time.Minute), time.Minute, 1))
	if len(again) != 1 || again[0].ID != first.ID || again[0].Attempts != 2 || again[0].Lease == got[0].Lease {
		t.Fatalf("claim after the lease lapsed = %+v, want message %d with a new lease", again, first.ID)
	}
	wantCode(t, s.MarkOutboxFailed(c, first.ID, got[0].Lease, t0.Add(time.Hour), "超时"), finding.ECONFLICT)
	if err := s.MarkOutboxFailed(c, first.ID, again[0].Lease, t0.Add(time.Hour), "超时"); err != nil {
		t.Errorf("fail with the current lease: %v", err)
	}
	eq(t, "pending", must[int](t)(s.CountOutboxPending(c)), 4)
	eq(t, "future claimed early", len(must[[]finding.OutboxMessage](t)(s.OutboxMessages(c, finding.OutboxFilter{Key: future.Key}))[0].Lease), 0)
}

func testOutboxFailDeliver(t *testing.T, s finding.OutboxStore) {
	c := ctx(t)
	m := enqueue(t, s, message("digest:run:2", 0))
	claimed := must[[]finding.OutboxMessage](t)(s.ClaimOutbox(c, t0, time.Minute, 1))[0]
	if err := s.MarkOutboxFailed(c, m.ID, claimed.Lease, t0.Add(30*time.Second), "slack server error: 500"); err != nil {
		t.Fatal(err)
	}
	failed := must[[]finding.OutboxMessage](t)(s.OutboxMessages(c, finding.OutboxFilter{Key: m.Key}))[0]
	if failed.Lease != "" || !failed.LeaseUntil.IsZero() || failed.LastError != "slack server error: 500" || failed.Attempts != 1 {
		t.Errorf("after a failure = %+v", failed)
	}
	sameTime(t, "next attempt", failed.NextAttempt, t0.Add(30*time.Second))
	eq(t, "claimed before the next attempt", len(must[[]finding.OutboxMessage](t)(s.ClaimOutbox(c, t0.Add(29*time.Second), time.Minute, 5))), 0)
	retry := must[[]finding.OutboxMessage](t)(s.ClaimOutbox(c, t0.Add(30*time.Second), time.Minute, 5))
	if len(retry) != 1 || retry[0].Attempts != 2 {
		t.Fatalf("retry = %+v", retry)
	}

	if err := s.MarkOutboxDelivered(c, m.ID, t0.Add(31*time.Second), "1727661631.000100"); err != nil {
		t.Fatal(err)
	}
	done := must[[]finding.OutboxMessage](t)(s.OutboxMessages(c, finding.OutboxFilter{State: finding.OutboxDelivered}))
	if len(done) != 1 || done[0].Pending() || done[0].Receipt != "1727661631.000100" || done[0].LastError != "" || done[0].Lease != "" {
		t.Fatalf("delivered = %+v", done)
	}
	sameTime(t, "delivered", done[0].Delivered, t0.Add(31*time.Second))
	eq(t, "pending", must[int](t)(s.CountOutboxPending(c)), 0)
	eq(t, "claimed after delivery", len(must[[]finding.OutboxMessage](t)(s.ClaimOutbox(c, t0.Add(time.Hour), time.Minute, 5))), 0)
	wantCode(t, s.MarkOutboxDelivered(c, m.ID, t0.Add(time.Hour), "x"), finding.ECONFLICT)
	wantCode(t, s.MarkOutboxFailed(c, m.ID, retry[0].Lease, t0.Add(time.Hour), "x"), finding.ECONFLICT)
	wantCode(t, s.MarkOutboxDelivered(c, m.ID+1000, t0, "x"), finding.ENOTFOUND)
	wantCode(t, s.MarkOutboxFailed(c, m.ID+1000, "x", t0, "x"), finding.ENOTFOUND)
}

// testOutboxConcurrentClaims claims from many goroutines at once: every message must be handed
// out exactly once.
func testOutboxConcurrentClaims(t *testing.T, s finding.OutboxStore) {
	const messages, claimers = 60, 6
	for i := range messages {
		enqueue(t, s, message(fmt.Sprintf("m%02d", i), time.Duration(i)*time.Millisecond))
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range claimers {
		wg.Go(func() {
			for {
				got, err := s.ClaimOutbox(ctx(t), t0.Add(time.Second), time.Hour, 4)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, m := range got {
					seen[m.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	eq(t, "messages claimed", len(seen), messages)
	for id, n := range seen {
		if n != 1 {
			t.Errorf("message %d claimed %d times", id, n)
		}
	}
}

// testOutboxGiveUpPrune gives a message up (Slack refused it for good): it is never claimed
// again and lists as failed with the reason. Pruning deletes what was delivered or given up
// before the cut, and never a pending message, however old.
func testOutboxGiveUpPrune(t *testing.T, s finding.OutboxStore) {
	c := ctx(t)
	gone := enqueue(t, s, message("overdue:gone", 0))
	sent := enqueue(t, s, message("digest:sent", 0))
	old := enqueue(t, s, message("digest:old", 0))
	claimed := must[[]finding.OutboxMessage](t)(s.ClaimOutbox(c, t0, time.Minute, 3))
	eq(t, "claimed", len(claimed), 3)
	lease := claimed[0].Lease
	wantCode(t, s.GiveUpOutbox(c, gone.ID, "not-the-lease", t0, "channel_not_found"), finding.ECONFLICT)
	if err := s.GiveUpOutbox(c, gone.ID, lease, t0.Add(time.Second), "channel_not_found"); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkOutboxDelivered(c, sent.ID, t0.Add(2*time.Second), "1.2"); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkOutboxFailed(c, old.ID, lease, t0.Add(time.Minute), "slack server error: 500"); err != nil {
		t.Fatal(err)
	}
	failed := must[[]finding.OutboxMessage](t)(s.OutboxMessages(c, finding.OutboxFilter{State: finding.OutboxFailed}))
	if len(failed) != 1 || failed[0].ID != gone.ID || failed[0].Pending() || failed[0].LastError != "channel_not_found" || failed[0].Lease != "" {
		t.Fatalf("failed = %+v", failed)
	}
	sameTime(t, "failed at", failed[0].Failed, t0.Add(time.Second))
	eqSlice(t, "pending", outboxIDs(must[[]finding.OutboxMessage](t)(s.OutboxMessages(c, finding.OutboxFilter{State: finding.OutboxPending}))), []int64{old.ID})
	eq(t, "count pending", must[int](t)(s.CountOutboxPending(c)), 1)
	eq(t, "claimed after giving up", len(must[[]finding.OutboxMessage](t)(s.ClaimOutbox(c, t0.Add(time.Hour), time.Minute, 5))), 1)
	wantCode(t, s.MarkOutboxDelivered(c, gone.ID, t0.Add(time.Hour), "x"), finding.ECONFLICT)

	eq(t, "pruned at the cut", must[int](t)(s.PruneOutbox(c, t0.Add(time.Second))), 0)
	eq(t, "pruned", must[int](t)(s.PruneOutbox(c, t0.Add(30*24*time.Hour))), 2)
	eqSlice(t, "left", outboxIDs(must[[]finding.OutboxMessage](t)(s.OutboxMessages(c, finding.OutboxFilter{}))), []int64{old.ID})
}

// sameJSON fails t unless got and want are the same JSON value (a store may reformat it).
func sameJSON(t testing.TB, what string, got, want json.RawMessage) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v in %s", what, err, got)
	}
	_ = json.Unmarshal(want, &w)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"

	"tiyan/internal/finding"
	"tiyan/internal/store/sqlite"
)

// finishedRun opens a store with one finished sweep in it and returns the store and the run.
func finishedRun(t *testing.T) (*sqlite.Store, string) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "tiyan.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	now := time.Now()
	run, err := s.CreateRun(ctx, finding.Run{Kind: finding.RunSweep, Started: now.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	run.Status, run.Finished = finding.RunDone, now
	if err := s.UpdateRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	return s, run.ID
}

func TestDigestAfterRun(t *testing.T) {
	srv := slacktest.NewTestServer()
	srv.Start()
	defer srv.Stop()
	t.Setenv("TIYAN_SLACK_TOKEN", "xoxb-test")
	t.Setenv("TIYAN_SLACK_CHANNEL", "#tiyan")
	t.Setenv("TIYAN_SLACK_API_URL", srv.GetAPIURL())
	s, runID := finishedRun(t)
	var stderr bytes.Buffer
	if err := digestAfterRun(t.Context(), s, runID, &stderr); err != nil || stderr.Len() > 0 {
		t.Fatalf("digest: %v; stderr %q", err, stderr.String())
	}
	ms, err := s.OutboxMessages(t.Context(), finding.OutboxFilter{})
	if err != nil || len(ms) != 1 || ms[0].Pending() || ms[0].Key != "digest:run:"+runID || ms[0].Channel != "#tiyan" {
		t.Fatalf("outbox = %+v, %v; want the digest delivered", ms, err)
	}
}

// TestDigestAfterRunSlackDown: Slack unreachable is a note, and the digest waits in the outbox.
func TestDigestAfterRunSlackDown(t *testing.T) {
	t.Setenv("TIYAN_SLACK_TOKEN", "xoxb-test")
	t.Setenv("TIYAN_SLACK_CHANNEL", "#tiyan")
	t.Setenv("TIYAN_SLACK_API_URL", "http://127.0.0.1:1/")
	s, runID := finishedRun(t)
	var stderr bytes.Buffer
	if err := digestAfterRun(t.Context(), s, runID, &stderr); err != nil {
		t.Fatalf("Slack down failed the command: %v", err)
	}
	if !strings.Contains(stderr.String(), "待发队列") {
		t.Errorf("stderr = %q", stderr.String())
	}
	if n, err := s.CountOutboxPending(t.Context()); n != 1 || err != nil {
		t.Errorf("pending = %d, %v", n, err)
	}
}

func TestDigestAfterRunSlackOff(t *testing.T) {
	t.Setenv("TIYAN_SLACK_TOKEN", "")
	s, runID := finishedRun(t)
	if err := digestAfterRun(t.Context(), s, runID, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountOutboxPending(t.Context()); n != 0 {
		t.Errorf("pending = %d with Slack off", n)
	}
}

package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/jobs"
	"tiyan/internal/store"
)

func TestRunsListAndShow(t *testing.T) {
	ctx := context.Background()
	url := "sqlite:" + filepath.Join(t.TempDir(), "tiyan.db")
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 9, 30, 1, 0, 0, 0, finding.Zone)
	_, err = st.CreateRun(ctx, finding.Run{ID: "20260930-010000-aaaaaa", Kind: finding.RunSweep, Site: "wanshitong", Channels: []string{"pc", "h5"},
		Status: finding.RunDone, Started: start, Finished: start.Add(42 * time.Minute), Total: 600, Done: 600, Findings: 37,
		Workers: map[string]int{"host-a-11": 310, "host-b-22": 290}, Errors: []string{"X1 pc guide：超时"}})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	queued, err := jobs.EnqueueSweep(ctx, url, jobs.SweepArgs{Target: jobs.Target{Site: "wanshitong"}})
	if err != nil {
		t.Fatal(err)
	}

	out, err := run(t, "runs", "list", "--database", url)
	if err != nil || !strings.Contains(out, "20260930-010000-aaaaaa") || !strings.Contains(out, "全量体验") || !strings.Contains(out, "600/600") ||
		!strings.Contains(out, queued) || !strings.Contains(out, "排队中") {
		t.Errorf("runs list: %v\n%s", err, out)
	}
	out, err = run(t, "runs", "show", "20260930-010000-aaaaaa", "--database", url)
	for _, want := range []string{"已完成", "共 600 个，已完成 600 个（100.0%）", "37 个", "host-a-11", "310", "host-b-22", "X1 pc guide：超时", "42m0s"} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("runs show lacks %q: %v\n%s", want, err, out)
		}
	}
	out, err = run(t, "runs", "show", queued, "--database", url, "--format", "json")
	var got finding.Run
	if err != nil || json.Unmarshal([]byte(out), &got) != nil || got.Status != "queued" || got.ID != queued {
		t.Errorf("runs show of a queued sweep: %v\n%s", err, out)
	}
	if _, err := run(t, "runs", "show", "no-such-run", "--database", url); err == nil || exitCode(err) != 1 {
		t.Errorf("unknown run: %v", err)
	}
}

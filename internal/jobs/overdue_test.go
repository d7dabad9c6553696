package jobs

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"tiyan/internal/finding"
	"tiyan/internal/loop"
	"tiyan/internal/notify"
)

// notes records what it is asked to notify.
type notes struct {
	mu   sync.Mutex
	ms   []notify.Message
	runs []string
}

func (n *notes) Notify(_ context.Context, m notify.Message) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.ms = append(n.ms, m)
	return nil
}

func (n *notes) EnqueueRun(_ context.Context, _ notify.RunSource, runID string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.runs = append(n.runs, runID)
	return nil
}

// digests returns the runs whose digest was enqueued.
func (n *notes) digests() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return slices.Clone(n.runs)
}

// TestOverdueScanRemindsTheUnit feeds a problem back to a unit with its own Slack channel, then
// scans two months later: the unit gets one reminder in its channel, naming the problem.
func TestOverdueScanRemindsTheUnit(t *testing.T) {
	ctx := context.Background()
	url := sqliteURL(t)
	lp := openLoop(t, url)
	unit, err := lp.Store().CreateUnit(ctx, finding.Unit{Name: "六安市市场监督管理局", Jurisdiction: "341500", SlackChannel: "#scjg"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := lp.Report(ctx, loop.Report{Title: "办事指南缺少收费标准", Category: finding.CatGuide, Severity: finding.Major,
		ItemCode: "11341500MB1234567X4000117001", ItemName: "个体工商户设立登记", UnitID: unit.ID, Channel: finding.PC, Actor: "测试"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lp.Feedback(ctx, f.ID, loop.Feedback{Actor: "测试"}); err != nil {
		t.Fatal(err)
	}
	later, err := loop.New(loop.Config{Store: lp.Store(), Now: func() time.Time { return time.Now().AddDate(0, 2, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	n := &notes{}
	j := openJobs(t, Config{DatabaseURL: url, Work: true, Loop: later, Notifier: n})
	job := &river.Job[OverdueScanArgs]{JobRow: &rivertype.JobRow{ID: 1}}
	if err := (&overdueWorker{j: j}).Work(ctx, job); err != nil {
		t.Fatal(err)
	}
	if len(n.ms) != 1 {
		t.Fatalf("%d messages, want 1: %+v", len(n.ms), n.ms)
	}
	m := n.ms[0]
	if m.Kind != notify.KindOverdue || m.Channel != "#scjg" || m.UnitID != unit.ID || !slices.Equal(m.Findings, []int64{f.ID}) ||
		!strings.Contains(m.Title, unit.Name) || !strings.Contains(m.Text, "个体工商户设立登记") || !strings.HasPrefix(m.Key, "overdue:") {
		t.Errorf("message = %+v", m)
	}
}

// Package storetest is the conformance suite every finding.Store passes: internal/store/sqlite
// and internal/store/postgres run it from their tests with Run, and their benchmarks with
// BenchIngest and BenchInbox.
package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tiyan/internal/finding"
)

// Opener returns a new, empty store for one test; it closes the store when t ends.
type Opener func(t testing.TB) finding.Store

// Run runs the conformance suite, each test on a store of its own.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, finding.Store)
	}{
		{"Units", testUnits},
		{"EnsureUnits", testEnsureUnits},
		{"Officers", testOfficers},
		{"Activities", testActivities},
		{"CreateFinding", testCreateFinding},
		{"CreateFindingRefs", testCreateFindingRefs},
		{"Transition", testTransition},
		{"TransitionConflict", testTransitionConflict},
		{"IngestNew", testIngestNew},
		{"IngestDedupe", testIngestDedupe},
		{"IngestRecurrence", testIngestRecurrence},
		{"IngestDismissed", testIngestDismissed},
		{"IngestBatch", testIngestBatch},
		{"IngestConcurrent", testIngestConcurrent},
		{"IngestScope", testIngestScope},
		{"Filters", testFilters},
		{"InboxOrder", testInboxOrder},
		{"Overdue", testOverdue},
		{"Runs", testRuns},
		{"RunFindings", testRunFindings},
		{"Availability", testAvailability},
		{"ScenarioResults", testScenarioResults},
	}
	tests = append(tests, accessTests()...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
	runOutbox(t, open)
}

// t0 is a fixed instant the suite's times are built from (2026-09-30 10:00 in Asia/Shanghai),
// with a nanosecond part stores must cut to microseconds.
var t0 = time.Date(2026, 9, 30, 10, 0, 0, 123456789, finding.Zone)

func ctx(t testing.TB) context.Context { return t.Context() }

// wantCode fails t unless err carries the finding error code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := finding.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func must[T any](t testing.TB) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// sameTime fails t unless got is want cut to microseconds.
func sameTime(t testing.TB, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want.Truncate(time.Microsecond)) {
		t.Errorf("%s = %v, want %v", what, got, want.Truncate(time.Microsecond))
	}
}

// sighting returns a probe sighting of fingerprint fp seen at t0+offset in run.
func sighting(fp, run string, offset time.Duration) finding.Sighting {
	return finding.Sighting{
		Rule: "LAYOUT-OVERFLOW", Title: "页面横向溢出", Detail: "正文宽度超出视口 40px",
		Category: finding.CatLayout, Severity: finding.Minor,
		ItemCode: "11341500MB1234567X4000117001", ItemName: "个体工商户设立登记", Unit: "六安市市场监督管理局",
		Jurisdiction: "341500", Channel: finding.H5, URL: "https://www.ahzwfw.gov.cn/item/" + fp,
		Fingerprint: fp, Source: finding.SourceProbe, RunID: run,
		Measured: map[string]any{"overflow_px": 40.0}, SeenAt: t0.Add(offset),
	}
}

// manual returns a manual finding ready for CreateFinding.
func manual(title string) finding.Finding {
	return finding.Finding{
		Kind: finding.Problem, Status: finding.Found, Category: finding.CatService, Severity: finding.Major,
		Source: finding.SourceOfficer, Title: title, Detail: "窗口人员不在岗", Channel: finding.Offline,
		Occurrences: 1, FirstSeen: t0, LastSeen: t0,
	}
}

func foundBy(actor string) finding.Event {
	return finding.Event{Action: finding.ActFound, To: finding.Found, Actor: actor, At: t0, Note: "人工报告"}
}

// create stores a manual finding.
func create(t testing.TB, s finding.Store, f finding.Finding) finding.Finding {
	t.Helper()
	return must[finding.Finding](t)(s.CreateFinding(ctx(t), f, foundBy("王芳"), nil))
}

// move applies a transition from the finding's current status.
func move(t testing.TB, s finding.Store, f finding.Finding, to finding.Status, action finding.Action, mod func(*finding.Transition)) finding.Finding {
	t.Helper()
	tr := finding.Transition{ID: f.ID, From: f.Status, To: to, Event: finding.Event{Action: action, Actor: "李强", At: t0.Add(time.Hour)}}
	if mod != nil {
		mod(&tr)
	}
	return must[finding.Finding](t)(s.Transition(ctx(t), tr))
}

func ids(fs []finding.Finding) []int64 {
	out := make([]int64, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}

func eq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func eqSlice[T comparable](t testing.TB, what string, got, want []T) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

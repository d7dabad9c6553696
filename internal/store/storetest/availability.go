package storetest

import (
	"context"
	"testing"
	"time"

	"tiyan/internal/finding"
)

func testAvailability(t *testing.T, s finding.Store) {
	ctx := context.Background()
	day := time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)
	var outs []finding.ProbeOutcome
	for i := range 10 {
		outs = append(outs, finding.ProbeOutcome{RunID: "r", ItemCode: "A", Channel: finding.PC, At: day.Add(time.Duration(i) * 24 * time.Hour), OK: i != 8})
	}
	outs = append(outs, finding.ProbeOutcome{RunID: "r", ItemCode: "A", Channel: finding.H5, At: day, OK: false})
	if err := s.RecordProbes(ctx, outs); err != nil {
		t.Fatal(err)
	}
	st, err := s.ProbeStats(ctx, "A", finding.PC, day.Add(3*24*time.Hour))
	if err != nil || st != (finding.ProbeStats{Total: 7, Failed: 1}) {
		t.Errorf("stats since day 3: %+v, %v; want 7 probes, 1 failed", st, err)
	}
	if st, _ := s.ProbeStats(ctx, "B", finding.PC, day); st.Total != 0 {
		t.Errorf("an item never probed: %+v", st)
	}
}

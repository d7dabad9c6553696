package storetest

import (
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"tiyan/internal/finding"
)

// BenchRows is how many findings the inbox benchmark seeds: TIYAN_BENCH_ROWS, or 1,000,000.
// Benchmarks that seed this many are skipped with -short.
func BenchRows(b *testing.B) int {
	if testing.Short() {
		b.Skip("the 1M-row benchmark is skipped with -short")
	}
	if n, err := strconv.Atoi(os.Getenv("TIYAN_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// BenchUnits is how many units seeded findings spread over. Each store's benchmark seeds the
// same mix, in blocks of ten consecutive findings per unit: 60% verified, 10% dismissed, 10%
// found (no deadline), 15% fed back and 5% handled, with deadlines from 30 days ago to 30 days
// ahead.
const BenchUnits = 200

// BenchInbox measures a unit's inbox, the first page of 50 of its open findings by deadline,
// for random units, and reports the latency percentiles.
func BenchInbox(b *testing.B, s finding.Store, units []int64) {
	rng := rand.New(rand.NewPCG(1, 2))
	lat := make([]time.Duration, 0, 4096)
	var rows int
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		fs, err := s.Findings(b.Context(), finding.Inbox(units[rng.IntN(len(units))], 50, 0))
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		rows += len(fs)
	}
	b.StopTimer()
	if rows == 0 {
		b.Fatal("the inbox query returned nothing")
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[int(float64(len(lat)-1)*p)].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(rows)/float64(len(lat)), "rows/op")
}

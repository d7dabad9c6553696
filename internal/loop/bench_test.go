package loop

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/store/postgres/pgtest"
	"tiyan/internal/store/sqlite"
)

// sweepSize is the number of sightings in one benchmarked sweep.
const sweepSize = 100_000

// sweep returns one night's sightings: 50,000 items on two channels over 200 units, the
// fingerprints prefixed with prefix.
func sweep(prefix, run string, at time.Time) []finding.Sighting {
	ss := make([]finding.Sighting, sweepSize)
	for i := range ss {
		ch := finding.PC
		if i%2 == 1 {
			ch = finding.H5
		}
		item := fmt.Sprintf("11341500MB%08dX40001", i/2)
		ss[i] = finding.Sighting{
			Rule: "GUIDE-FEE-MISSING", Title: "办事指南缺少收费标准", Detail: "“收费标准”一栏为空",
			Category: finding.CatGuide, Severity: finding.Minor, ItemCode: item, ItemName: "事项" + item,
			Unit: fmt.Sprintf("六安市测试单位%03d", i/2%200), Jurisdiction: "341500", Channel: ch,
			URL:         "https://www.ahzwfw.gov.cn/bog-bsdt/static/workProcess.html?ssqdCode=" + item,
			Fingerprint: fmt.Sprintf("%s-%d", prefix, i), RunID: run, SeenAt: at,
			Measured: map[string]any{"fields_missing": 1},
		}
	}
	return ss
}

// benchStores runs fn on a new SQLite file and on a new PostgreSQL schema.
func benchStores(b *testing.B, fn func(b *testing.B, l *Loop)) {
	b.Run("sqlite", func(b *testing.B) {
		s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		fn(b, benchLoop(b, s))
	})
	b.Run("postgres", func(b *testing.B) {
		fn(b, benchLoop(b, pgtest.Open(b)))
	})
}

func benchLoop(b *testing.B, s finding.Store) *Loop {
	l, err := New(Config{Store: s})
	if err != nil {
		b.Fatal(err)
	}
	return l
}

// BenchmarkIngest files a sweep of 100,000 sightings: new opens 100,000 findings each time;
// dedupe files a sweep the store has already seen, so every sighting updates an open finding.
func BenchmarkIngest(b *testing.B) {
	if testing.Short() {
		b.Skip("skipped with -short")
	}
	night := time.Date(2026, 9, 30, 2, 0, 0, 0, finding.Zone)
	benchStores(b, func(b *testing.B, l *Loop) {
		round := 0 // the benchmark function runs more than once: fingerprints must stay new
		b.Run("new", func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				round++
				ss := sweep(fmt.Sprintf("new%d", round), "night", night)
				b.StartTimer()
				ingestAll(b, l, ss, true)
			}
			b.ReportMetric(float64(sweepSize*b.N)/b.Elapsed().Seconds(), "sightings/s")
		})
		b.Run("dedupe", func(b *testing.B) {
			round++
			prefix := fmt.Sprintf("seen%d", round)
			ingestAll(b, l, sweep(prefix, "night-0", night), true)
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				ss := sweep(prefix, fmt.Sprintf("night-%d", i+1), night.AddDate(0, 0, i+1))
				b.StartTimer()
				ingestAll(b, l, ss, false)
			}
			b.ReportMetric(float64(sweepSize*b.N)/b.Elapsed().Seconds(), "sightings/s")
		})
	})
}

func ingestAll(b *testing.B, l *Loop, ss []finding.Sighting, wantNew bool) {
	out, err := l.Ingest(context.Background(), ss)
	if err != nil {
		b.Fatal(err)
	}
	if len(out) != len(ss) || out[0].New != wantNew || out[len(out)-1].New != wantNew {
		b.Fatalf("ingest: %d outcomes, first %+v", len(out), out[0])
	}
}

package storetest

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"tiyan/internal/finding"
)

// BenchZones are the jurisdictions seeded units belong to, unit i to BenchZones[i % 8]: 六安市
// and its seven districts and counties.
var BenchZones = []string{"341500", "341502", "341503", "341504", "341522", "341523", "341524", "341525"}

// BenchOfficers is how many officers the seeded manual reports (one finding in 20) spread over.
const BenchOfficers = 50

// BenchQueries measures what one page of the web UI's inbox costs the store, for each kind of
// viewer and a few filters: one grouped count by status (the tabs) and one page of 50 by
// deadline, as internal/web asks them. units and officers are the seeded IDs.
func BenchQueries(b *testing.B, s finding.Store, units, officers []int64) {
	var qs finding.QueryStore = s
	now := time.Now()
	unitStatuses := []finding.Status{finding.FedBack, finding.Handled, finding.Verified}
	cases := []struct {
		name string
		q    func(rng *rand.Rand) finding.Query
	}{
		{"admin", func(*rand.Rand) finding.Query { return finding.Query{} }},
		{"admin-found", func(*rand.Rand) finding.Query {
			return finding.Query{FindingFilter: finding.FindingFilter{Status: []finding.Status{finding.Found}}}
		}},
		{"admin-fed_back", func(*rand.Rand) finding.Query {
			return finding.Query{FindingFilter: finding.FindingFilter{Status: []finding.Status{finding.FedBack}}}
		}},
		{"admin-category", func(*rand.Rand) finding.Query {
			return finding.Query{FindingFilter: finding.FindingFilter{Category: finding.CatGuide}}
		}},
		{"admin-found-category-source", func(*rand.Rand) finding.Query {
			return finding.Query{FindingFilter: finding.FindingFilter{Status: []finding.Status{finding.Found}, Category: finding.CatGuide, Source: finding.SourceOfficer}}
		}},
		{"admin-overdue", func(*rand.Rand) finding.Query {
			return finding.Query{FindingFilter: finding.FindingFilter{OverdueAt: now}}
		}},
		{"staff-city", func(*rand.Rand) finding.Query { return finding.Query{Zone: "341500"} }},
		{"staff-city-found", func(*rand.Rand) finding.Query {
			return finding.Query{Zone: "341500", FindingFilter: finding.FindingFilter{Status: []finding.Status{finding.Found}}}
		}},
		{"staff-county", func(rng *rand.Rand) finding.Query { return finding.Query{Zone: BenchZones[1+rng.IntN(7)]} }},
		{"staff-county-found", func(rng *rand.Rand) finding.Query {
			return finding.Query{Zone: BenchZones[1+rng.IntN(7)], FindingFilter: finding.FindingFilter{Status: []finding.Status{finding.Found}}}
		}},
		{"staff-county-h5-major", func(rng *rand.Rand) finding.Query {
			return finding.Query{Zone: BenchZones[1+rng.IntN(7)], FindingFilter: finding.FindingFilter{Channel: finding.H5, Severity: finding.Major}}
		}},
		{"unit", func(rng *rand.Rand) finding.Query {
			return finding.Query{FindingFilter: finding.FindingFilter{UnitID: units[rng.IntN(len(units))], Status: unitStatuses}}
		}},
		{"officer", func(rng *rand.Rand) finding.Query { return finding.Query{OfficerID: officers[rng.IntN(len(officers))]} }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			lat := make([]time.Duration, 0, 1024)
			var rows int
			for b.Loop() {
				q := c.q(rng)
				start := time.Now()
				if _, err := qs.CountByStatus(b.Context(), q); err != nil {
					b.Fatal(err)
				}
				q.Order, q.Limit = finding.ByDeadline, 50
				fs, err := qs.QueryFindings(b.Context(), q)
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				rows += len(fs)
			}
			reportLatency(b, lat)
			b.ReportMetric(float64(rows)/float64(len(lat)), "rows/op")
		})
	}
}

func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(float64(len(lat)-1)*p)].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
}

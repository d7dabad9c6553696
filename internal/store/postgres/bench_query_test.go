package postgres_test

import (
	"testing"

	"tiyan/internal/store/postgres/pgtest"
	"tiyan/internal/store/storetest"
)

// BenchmarkQueries is the web UI's inbox at storetest.BenchRows findings (1,000,000 unless
// TIYAN_BENCH_ROWS says otherwise): go test ./internal/store/postgres -run '^$' -bench Queries.
func BenchmarkQueries(b *testing.B) {
	n := storetest.BenchRows(b)
	s := pgtest.Open(b)
	units, officers := pgtest.Seed(b, s, n)
	storetest.BenchQueries(b, s, units, officers)
}

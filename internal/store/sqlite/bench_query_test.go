package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"tiyan/internal/store/sqlite"
	"tiyan/internal/store/storetest"
)

// seedScoped fills an empty store with n findings as pgtest.Seed does for PostgreSQL, and
// returns the unit and officer IDs.
func seedScoped(b *testing.B, s *sqlite.Store, n int) (units, officers []int64) {
	ctx := context.Background()
	start := time.Now()
	now := time.Now().UnixMicro()
	day := int64(24 * time.Hour / time.Microsecond)
	zones := `CASE (g % 8) WHEN 0 THEN '341500' WHEN 1 THEN '341502' WHEN 2 THEN '341503' WHEN 3 THEN '341504'
		WHEN 4 THEN '341522' WHEN 5 THEN '341523' WHEN 6 THEN '341524' ELSE '341525' END`
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for _, st := range []struct {
		sql  string
		args []any
	}{
		{`WITH RECURSIVE g(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM g WHERE g < ?)
			INSERT INTO units (name, jurisdiction, created) SELECT '单位' || g, ` + zones + `, ? FROM g`, []any{storetest.BenchUnits, now}},
		{`WITH RECURSIVE g(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM g WHERE g < ?)
			INSERT INTO officers (name, category, term_start, term_end, review_on, created)
			SELECT '体验官' || g, 'citizen', '2026-01-01', '2026-12-31', '2026-12-31', ? FROM g`, []any{storetest.BenchOfficers, now}},
		{`WITH RECURSIVE g(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM g WHERE g < ?),
			gs AS (SELECT g, CASE WHEN g % 10 < 6 THEN 'verified' WHEN g % 10 = 6 THEN 'dismissed' WHEN g % 10 = 7 THEN 'found'
				WHEN g % 20 = 9 THEN 'handled' ELSE 'fed_back' END AS st FROM g)
			INSERT INTO findings (kind, status, rule, category, severity, source, item_code, channel, unit_id, jurisdiction,
				officer_id, title, fingerprint, deadline, occurrences, first_seen, last_seen, created, updated)
			SELECT 'problem', st, 'LAYOUT-OVERFLOW',
				CASE (g / 10) % 5 WHEN 0 THEN 'layout' WHEN 1 THEN 'guide' WHEN 2 THEN 'channel' WHEN 3 THEN 'service' ELSE 'suggestion' END,
				CASE (g / 50) % 4 WHEN 0 THEN 'blocker' WHEN 1 THEN 'major' WHEN 2 THEN 'minor' ELSE 'advice' END,
				CASE WHEN (g / 7) % 20 = 3 THEN 'officer' ELSE 'probe' END, 'item-' || g,
				CASE (g / 3) % 2 WHEN 0 THEN 'pc' ELSE 'h5' END,
				(g / 11) % ? + 1, (SELECT jurisdiction FROM units WHERE id = (g / 11) % ? + 1),
				CASE WHEN (g / 7) % 20 = 3 THEN (g / 140) % ? + 1 END,
				'页面横向溢出', 'fp-' || g,
				CASE WHEN st IN ('verified', 'fed_back', 'handled') THEN ? + ((g * 7919) % 61 - 30) * ? END,
				1, ? - (g % 365) * ?, ?, ?, ?
			FROM gs`, []any{n, storetest.BenchUnits, storetest.BenchUnits, storetest.BenchOfficers, now, day, now, day, now, now, now}},
	} {
		if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
			b.Fatalf("%.60s: %v", st.sql, err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d findings in %v", n, time.Since(start).Round(time.Millisecond))
	for i := range storetest.BenchUnits {
		units = append(units, int64(i+1))
	}
	for i := range storetest.BenchOfficers {
		officers = append(officers, int64(i+1))
	}
	return units, officers
}

// BenchmarkQueries is the web UI's inbox at storetest.BenchRows findings (1,000,000 unless
// TIYAN_BENCH_ROWS says otherwise): go test ./internal/store/sqlite -run '^$' -bench Queries.
func BenchmarkQueries(b *testing.B) {
	n := storetest.BenchRows(b)
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	units, officers := seedScoped(b, s, n)
	storetest.BenchQueries(b, s, units, officers)
}

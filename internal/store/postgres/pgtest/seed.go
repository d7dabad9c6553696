package pgtest

import (
	"context"
	"testing"
	"time"

	"tiyan/internal/store/postgres"
	"tiyan/internal/store/storetest"
)

// Seed fills an empty schema with n findings over storetest.BenchUnits units in the
// zones of storetest.BenchZones, one in 20 a manual report by one of storetest.BenchOfficers
// officers, with the loop mix of seed, and returns the unit and officer IDs.
func Seed(b testing.TB, s *postgres.Store, n int) (units, officers []int64) {
	ctx := context.Background()
	start := time.Now()
	pool := s.Pool()
	for _, st := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO units (name, jurisdiction, created)
			SELECT '单位' || g, ($2::text[])[1 + g % 8], now() FROM generate_series(1, $1::int) g`,
			[]any{storetest.BenchUnits, storetest.BenchZones}},
		{`INSERT INTO officers (name, category, term_start, term_end, review_on, created)
			SELECT '体验官' || g, 'citizen', current_date, current_date + 364, current_date + 364, now()
			FROM generate_series(1, $1::int) g`,
			[]any{storetest.BenchOfficers}},
		// Finding g: its status by g % 10 (60% verified, 10% dismissed, 10% found, 20% fed back
		// or handled), a deadline once fed back, the rest of its facts by other divisors of g so
		// that they vary independently; unit (g/11) % units, in that unit's zone.
		{`INSERT INTO findings (kind, status, rule, category, severity, source, item_code, channel, unit_id, jurisdiction,
				officer_id, title, fingerprint, deadline, occurrences, first_seen, last_seen, created, updated)
			SELECT 'problem', st, 'LAYOUT-OVERFLOW', (ARRAY['layout','guide','channel','service','suggestion'])[1 + (g / 10) % 5],
				(ARRAY['blocker','major','minor','advice'])[1 + (g / 50) % 4],
				CASE WHEN (g / 7) % 20 = 3 THEN 'officer' ELSE 'probe' END, 'item-' || g, (ARRAY['pc','h5'])[1 + (g / 3) % 2],
				u.first + (g / 11) % $4, ($2::text[])[1 + ((g / 11) % $4 + 1) % 8],
				CASE WHEN (g / 7) % 20 = 3 THEN o.first + (g / 140) % $3 END,
				'页面横向溢出', 'fp-' || g,
				CASE WHEN st IN ('verified', 'fed_back', 'handled') THEN now() + ((g::bigint * 7919) % 61 - 30) * interval '1 day' END,
				1, now() - (g % 365) * interval '1 day', now(), now(), now()
			FROM (SELECT g, CASE WHEN g % 10 < 6 THEN 'verified' WHEN g % 10 = 6 THEN 'dismissed' WHEN g % 10 = 7 THEN 'found'
					WHEN g % 20 = 9 THEN 'handled' ELSE 'fed_back' END AS st FROM generate_series(1, $1::int) g) gs,
				(SELECT min(id) AS first FROM units) u, (SELECT min(id) AS first FROM officers) o`,
			[]any{n, storetest.BenchZones, storetest.BenchOfficers, storetest.BenchUnits}},
		{`VACUUM ANALYZE findings`, nil},
	} {
		if _, err := pool.Exec(ctx, st.sql, st.args...); err != nil {
			b.Fatalf("%.60s: %v", st.sql, err)
		}
	}
	b.Logf("seeded %d findings in %v", n, time.Since(start).Round(time.Millisecond))
	for _, t := range []struct {
		table string
		ids   *[]int64
	}{{"units", &units}, {"officers", &officers}} {
		rows, err := pool.Query(ctx, `SELECT id FROM `+t.table+` ORDER BY id`)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				b.Fatal(err)
			}
			*t.ids = append(*t.ids, id)
		}
		rows.Close()
	}
	return units, officers
}

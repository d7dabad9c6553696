package postgres_test

import (
	"context"
	"testing"
	"time"

	"tiyan/internal/store/postgres"
	"tiyan/internal/store/postgres/pgtest"
	"tiyan/internal/store/storetest"
)

// seed fills an empty schema with n findings over storetest.BenchUnits units, generated inside
// PostgreSQL by generate_series, and returns the unit IDs.
func seed(b *testing.B, s *postgres.Store, n int) []int64 {
	ctx := context.Background()
	start := time.Now()
	pool := s.Pool()
	if _, err := pool.Exec(ctx, `INSERT INTO units (name, jurisdiction, created)
		SELECT '单位' || g, '341500', now() FROM generate_series(1, $1::int) g`, storetest.BenchUnits); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO findings (kind, status, rule, category, severity, source, item_code, channel,
			unit_id, jurisdiction, title, fingerprint, deadline, occurrences, first_seen, last_seen, created, updated)
		SELECT 'problem',
			CASE WHEN g % 10 < 6 THEN 'verified' WHEN g % 10 = 6 THEN 'dismissed' WHEN g % 10 = 7 THEN 'found'
				WHEN g % 20 = 9 THEN 'handled' ELSE 'fed_back' END,
			'LAYOUT-OVERFLOW', 'layout', 'minor', 'probe', 'item-' || g, 'pc', u.first + (g / 10) % $2, '341500',
			'页面横向溢出', 'fp-' || g,
			CASE WHEN g % 10 >= 8 THEN now() + ((g::bigint * 7919) % 61 - 30) * interval '1 day' END,
			1, now(), now(), now(), now()
		FROM generate_series(1, $1::int) g, (SELECT min(id) AS first FROM units) u`, n, storetest.BenchUnits); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE findings`); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d findings in %v", n, time.Since(start).Round(time.Millisecond))
	rows, err := pool.Query(ctx, `SELECT id FROM units ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var units []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		units = append(units, id)
	}
	return units
}

func BenchmarkInbox(b *testing.B) {
	n := storetest.BenchRows(b)
	s := pgtest.Open(b)
	storetest.BenchInbox(b, s, seed(b, s, n))
}

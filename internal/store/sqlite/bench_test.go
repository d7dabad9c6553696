package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"tiyan/internal/store/sqlite"
	"tiyan/internal/store/storetest"
)

// seed fills an empty store with n findings over storetest.BenchUnits units in one
// transaction, generated inside SQLite by a recursive CTE, and returns the unit IDs.
func seed(b *testing.B, s *sqlite.Store, n int) []int64 {
	ctx := context.Background()
	start := time.Now()
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	now := time.Now().UnixMicro()
	day := int64(24 * time.Hour / time.Microsecond)
	if _, err := tx.ExecContext(ctx, `WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ?)
		INSERT INTO units (name, jurisdiction, created) SELECT '单位' || n, '341500', ? FROM g`, storetest.BenchUnits, now); err != nil {
		b.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ?)
		INSERT INTO findings (kind, status, rule, category, severity, source, item_code, channel, unit_id, jurisdiction,
			title, fingerprint, deadline, occurrences, first_seen, last_seen, created, updated)
		SELECT 'problem',
			CASE WHEN n % 10 < 6 THEN 'verified' WHEN n % 10 = 6 THEN 'dismissed' WHEN n % 10 = 7 THEN 'found'
				WHEN n % 20 = 9 THEN 'handled' ELSE 'fed_back' END,
			'LAYOUT-OVERFLOW', 'layout', 'minor', 'probe', 'item-' || n, 'pc', (n / 10) % ? + 1, '341500',
			'页面横向溢出', 'fp-' || n,
			CASE WHEN n % 10 >= 8 THEN ? + ((n * 7919) % 61 - 30) * ? END,
			1, ?, ?, ?, ?
		FROM g`, n, storetest.BenchUnits, now, day, now, now, now, now); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d findings in %v", n, time.Since(start).Round(time.Millisecond))
	units := make([]int64, storetest.BenchUnits)
	for i := range units {
		units[i] = int64(i + 1)
	}
	return units
}

func BenchmarkInbox(b *testing.B) {
	n := storetest.BenchRows(b)
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchInbox(b, s, seed(b, s, n))
}

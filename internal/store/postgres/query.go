package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tiyan/internal/finding"
	"tiyan/internal/store/sqlcore"
)

var _ finding.QueryStore = (*Store)(nil)

// queryWhere turns a Query into conditions: the filter's, the zone as a range of codes (compared
// bytewise, as the findings_zone index is), the officer.
func queryWhere(q finding.Query) *where {
	f := q.FindingFilter
	f.Status = nil
	w := whereClause(f)
	// One status is written as an equality, not "= ANY", so that the planner can read the
	// status tabs in order from findings_status_deadline.
	switch st := q.Status; len(st) {
	case 0:
	case 1:
		w.add("f.status = %s", string(st[0]))
	default:
		ss := make([]string, len(st))
		for i, s := range st {
			ss[i] = string(s)
		}
		w.add("f.status = ANY(%s)", ss)
	}
	if lo, hi, ok := finding.ZoneRange(q.Zone); ok {
		w.add(`f.jurisdiction COLLATE "C" >= %s AND f.jurisdiction COLLATE "C" < %s`, lo, hi)
	}
	if q.OfficerID != 0 {
		w.add("f.officer_id = %s", q.OfficerID)
	}
	return w
}

// QueryFindings lists findings like Findings, narrowed by zone and officer.
func (s *Store) QueryFindings(ctx context.Context, q finding.Query) ([]finding.Finding, error) {
	w := queryWhere(q)
	sql := `SELECT ` + sqlcore.FindingCols + sqlcore.FindingFrom + w.sql() + orderClause(q.Order)
	if q.Limit > 0 {
		sql += fmt.Sprintf(` LIMIT %d`, q.Limit)
	}
	if q.Offset > 0 {
		sql += fmt.Sprintf(` OFFSET %d`, q.Offset)
	}
	return s.SelectFindings(ctx, sql, w.args...)
}

// CountByStatus counts the findings q matches by status.
func (s *Store) CountByStatus(ctx context.Context, q finding.Query) ([]finding.StatusCount, error) {
	w := queryWhere(q)
	from, count := sqlcore.CountFrom(q)
	rows, err := s.pool.Query(ctx, `SELECT f.status, `+count+`::bigint`+from+w.sql()+` GROUP BY f.status HAVING `+count+` > 0 ORDER BY f.status`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("count findings by status: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (finding.StatusCount, error) {
		var c finding.StatusCount
		err := row.Scan(&c.Status, &c.Count)
		return c, err
	})
}

// CountByUnit counts the findings q matches by unit, the most first.
func (s *Store) CountByUnit(ctx context.Context, q finding.Query) ([]finding.UnitCount, error) {
	w := queryWhere(q)
	from, count := sqlcore.CountFrom(q)
	rows, err := s.pool.Query(ctx, `SELECT coalesce(c.unit_id, 0), coalesce(u.name, ''), c.n
		FROM (SELECT nullif(f.unit_id, 0) AS unit_id, `+count+`::bigint AS n`+from+w.sql()+` GROUP BY 1 HAVING `+count+` > 0) c
		LEFT JOIN units u ON u.id = c.unit_id ORDER BY c.n DESC, c.unit_id NULLS LAST`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("count findings by unit: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (finding.UnitCount, error) {
		var c finding.UnitCount
		err := row.Scan(&c.UnitID, &c.Unit, &c.Count)
		return c, err
	})
}

// zoneDay is the SQL of the day (in Asia/Shanghai, as days since the epoch) a timestamptz
// column falls on. China keeps UTC+8 all year, so a fixed offset is exact.
func zoneDay(col string) string {
	return fmt.Sprintf("floor((extract(epoch FROM %s) + %d) / 86400)::bigint", col, 8*60*60)
}

// FoundPerDay counts the findings q matches by the day they were first seen, and category.
func (s *Store) FoundPerDay(ctx context.Context, q finding.Query, since time.Time) ([]finding.DayCount, error) {
	w := queryWhere(q)
	w.add("f.first_seen >= %s", ts(since))
	return s.dayCounts(ctx, `SELECT `+zoneDay("f.first_seen")+` AS d, f.category, count(*) FROM findings f`+w.sql()+
		` GROUP BY d, f.category ORDER BY d, f.category`, w.args, func(c *finding.DayCount) any { return &c.Category })
}

// SightedPerDay counts by day and channel the distinct items whose findings matching q were
// sighted by runs started since then.
func (s *Store) SightedPerDay(ctx context.Context, q finding.Query, since time.Time) ([]finding.DayCount, error) {
	w := queryWhere(q)
	w.add("r.started >= %s", ts(since))
	return s.dayCounts(ctx, `SELECT `+zoneDay("si.seen_at")+` AS d, f.channel, count(DISTINCT f.item_code)
		FROM runs r JOIN sightings si ON si.run_id = r.id JOIN findings f ON f.id = si.finding_id`+w.sql()+
		` GROUP BY d, f.channel ORDER BY d, f.channel`, w.args, func(c *finding.DayCount) any { return &c.Channel })
}

// dayCounts runs a query of (day, key, count) rows; key says where the middle column goes.
func (s *Store) dayCounts(ctx context.Context, sql string, args []any, key func(*finding.DayCount) any) ([]finding.DayCount, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("count per day: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (finding.DayCount, error) {
		var c finding.DayCount
		var d int64
		err := row.Scan(&d, key(&c), &c.Count)
		c.Day = sqlcore.FromZoneDay(d)
		return c, err
	})
}

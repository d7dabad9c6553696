package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/store/sqlcore"
)

var _ finding.QueryStore = (*Store)(nil)

// queryConds turns a Query into conditions joined by AND (or "" for none) and their arguments.
func queryConds(q finding.Query) (string, []any) {
	where, args := whereClause(q.FindingFilter)
	conds := []string{}
	if where != "" {
		conds = append(conds, strings.TrimPrefix(where, " WHERE "))
	}
	if lo, hi, ok := finding.ZoneRange(q.Zone); ok {
		conds = append(conds, "f.jurisdiction >= ? AND f.jurisdiction < ?")
		args = append(args, lo, hi)
	}
	if q.OfficerID != 0 {
		conds = append(conds, "f.officer_id = ?")
		args = append(args, q.OfficerID)
	}
	return strings.Join(conds, " AND "), args
}

// queryWhere is queryConds as " WHERE …", or "".
func queryWhere(q finding.Query) (string, []any) {
	conds, args := queryConds(q)
	if conds == "" {
		return "", args
	}
	return " WHERE " + conds, args
}

// QueryFindings lists findings like Findings, narrowed by zone and officer.
func (s *Store) QueryFindings(ctx context.Context, q finding.Query) ([]finding.Finding, error) {
	where, args := queryWhere(q)
	sql := `SELECT ` + sqlcore.FindingCols + sqlcore.FindingFrom + where + orderClause(q.Order)
	if q.Limit > 0 || q.Offset > 0 {
		limit := q.Limit
		if limit <= 0 {
			limit = -1
		}
		sql += ` LIMIT ? OFFSET ?`
		args = append(args, limit, q.Offset)
	}
	return s.SelectFindings(ctx, sql, args...)
}

// CountByStatus counts the findings q matches by status.
func (s *Store) CountByStatus(ctx context.Context, q finding.Query) ([]finding.StatusCount, error) {
	where, args := queryWhere(q)
	from, count := sqlcore.CountFrom(q)
	rows, err := s.r.QueryContext(ctx, `SELECT f.status, `+count+from+where+` GROUP BY f.status HAVING `+count+` > 0 ORDER BY f.status`, args...)
	if err != nil {
		return nil, fmt.Errorf("count findings by status: %w", err)
	}
	defer rows.Close()
	var out []finding.StatusCount
	for rows.Next() {
		var c finding.StatusCount
		if err := rows.Scan(&c.Status, &c.Count); err != nil {
			return nil, fmt.Errorf("scan status count: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CountByUnit counts the findings q matches by unit, the most first.
func (s *Store) CountByUnit(ctx context.Context, q finding.Query) ([]finding.UnitCount, error) {
	where, args := queryWhere(q)
	from, count := sqlcore.CountFrom(q)
	rows, err := s.r.QueryContext(ctx, `SELECT coalesce(c.unit_id, 0), coalesce(u.name, ''), c.n
		FROM (SELECT nullif(f.unit_id, 0) AS unit_id, `+count+` AS n`+from+where+` GROUP BY 1 HAVING `+count+` > 0) c
		LEFT JOIN units u ON u.id = c.unit_id ORDER BY c.n DESC, c.unit_id IS NULL, c.unit_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("count findings by unit: %w", err)
	}
	defer rows.Close()
	var out []finding.UnitCount
	for rows.Next() {
		var c finding.UnitCount
		if err := rows.Scan(&c.UnitID, &c.Unit, &c.Count); err != nil {
			return nil, fmt.Errorf("scan unit count: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// zoneDay is the SQL of the day (in Asia/Shanghai, as days since the epoch) a microsecond
// column falls on.
func zoneDay(col string) string {
	return fmt.Sprintf("((%s / 1000000 + %d) / 86400)", col, 8*60*60)
}

// FoundPerDay counts the findings q matches by the day they were first seen, and category.
func (s *Store) FoundPerDay(ctx context.Context, q finding.Query, since time.Time) ([]finding.DayCount, error) {
	conds, args := queryConds(q)
	sql := `SELECT ` + zoneDay("f.first_seen") + ` AS d, f.category, count(*) FROM findings f WHERE f.first_seen >= ?`
	args = append([]any{since.UnixMicro()}, args...)
	if conds != "" {
		sql += " AND " + conds
	}
	return s.dayCounts(ctx, sql+` GROUP BY d, f.category ORDER BY d, f.category`, args, func(c *finding.DayCount) any { return &c.Category })
}

// SightedPerDay counts by day and channel the distinct items whose findings matching q were
// sighted by runs started since then.
func (s *Store) SightedPerDay(ctx context.Context, q finding.Query, since time.Time) ([]finding.DayCount, error) {
	conds, args := queryConds(q)
	sql := `SELECT ` + zoneDay("si.seen_at") + ` AS d, f.channel, count(DISTINCT f.item_code)
		FROM runs r JOIN sightings si ON si.run_id = r.id JOIN findings f ON f.id = si.finding_id
		WHERE r.started >= ?`
	args = append([]any{since.UnixMicro()}, args...)
	if conds != "" {
		sql += " AND " + conds
	}
	return s.dayCounts(ctx, sql+` GROUP BY d, f.channel ORDER BY d, f.channel`, args, func(c *finding.DayCount) any { return &c.Channel })
}

// dayCounts runs a query of (day, key, count) rows; key says where the middle column goes.
func (s *Store) dayCounts(ctx context.Context, sql string, args []any, key func(*finding.DayCount) any) ([]finding.DayCount, error) {
	rows, err := s.r.QueryContext(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("count per day: %w", err)
	}
	defer rows.Close()
	var out []finding.DayCount
	for rows.Next() {
		var c finding.DayCount
		var d int64
		if err := rows.Scan(&d, key(&c), &c.Count); err != nil {
			return nil, fmt.Errorf("scan day count: %w", err)
		}
		c.Day = sqlcore.FromZoneDay(d)
		out = append(out, c)
	}
	return out, rows.Err()
}

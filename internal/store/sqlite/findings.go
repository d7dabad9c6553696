package sqlite

import (
	"context"
	"fmt"

	"tiyan/internal/finding"
	"tiyan/internal/store/sqlcore"
)

// Findings lists findings, without events and evidence.
func (s *Store) Findings(ctx context.Context, filter finding.FindingFilter) ([]finding.Finding, error) {
	where, args := whereClause(filter)
	q := `SELECT ` + sqlcore.FindingCols + sqlcore.FindingFrom + where + orderClause(filter.Order)
	if filter.Limit > 0 || filter.Offset > 0 {
		limit := filter.Limit
		if limit <= 0 {
			limit = -1
		}
		q += ` LIMIT ? OFFSET ?`
		args = append(args, limit, filter.Offset)
	}
	return s.SelectFindings(ctx, q, args...)
}

// CountFindings counts what Findings would list without paging.
func (s *Store) CountFindings(ctx context.Context, filter finding.FindingFilter) (int, error) {
	where, args := whereClause(filter)
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM findings f`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count findings: %w", err)
	}
	return n, nil
}

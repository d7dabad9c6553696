package postgres

import (
	"context"
	"fmt"

	"tiyan/internal/finding"
	"tiyan/internal/store/sqlcore"
)

// Findings lists findings, without events and evidence.
func (s *Store) Findings(ctx context.Context, filter finding.FindingFilter) ([]finding.Finding, error) {
	w := whereClause(filter)
	q := `SELECT ` + sqlcore.FindingCols + sqlcore.FindingFrom + w.sql() + orderClause(filter.Order)
	if filter.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, filter.Limit)
	}
	if filter.Offset > 0 {
		q += fmt.Sprintf(` OFFSET %d`, filter.Offset)
	}
	return s.SelectFindings(ctx, q, w.args...)
}

// CountFindings counts what Findings would list without paging.
func (s *Store) CountFindings(ctx context.Context, filter finding.FindingFilter) (int, error) {
	w := whereClause(filter)
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM findings f`+w.sql(), w.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count findings: %w", err)
	}
	return n, nil
}

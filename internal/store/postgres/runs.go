package postgres

import (
	"context"

	"tiyan/internal/finding"
)

// RunFindings lists the findings sighted in a run.
func (s *Store) RunFindings(ctx context.Context, runID string) ([]finding.Finding, error) {
	return s.queryFindings(ctx, `SELECT `+findingCols+findingFrom+`
		WHERE f.id IN (SELECT finding_id FROM sightings WHERE run_id = $1) ORDER BY f.id`, runID)
}

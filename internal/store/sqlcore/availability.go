package sqlcore

import (
	"context"
	"fmt"
	"time"

	"tiyan/internal/finding"
)

// ProbeStats counts an item-channel's probe outcomes at or after since.
func (s *Core) ProbeStats(ctx context.Context, itemCode string, ch finding.Channel, since time.Time) (finding.ProbeStats, error) {
	var st finding.ProbeStats
	err := s.row(ctx, `SELECT count(*), coalesce(sum(CASE WHEN ok THEN 0 ELSE 1 END), 0) FROM probe_outcomes
		WHERE item_code = ? AND channel = ? AND at >= ?`, itemCode, string(ch), s.Time(since)).Scan(&st.Total, &st.Failed)
	if err != nil {
		return st, fmt.Errorf("probe stats of %s: %w", itemCode, err)
	}
	return st, nil
}

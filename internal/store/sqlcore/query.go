package sqlcore

import (
	"time"

	"tiyan/internal/finding"
)

// countable reports whether q filters only on what finding_counts counts by, so that its
// counts come from there rather than from counting findings one by one. The other filters
// (overdue, officer, rule, item) select few findings, which their indexes count fast.
func countable(q finding.Query) bool {
	return q.OverdueAt.IsZero() && q.OfficerID == 0 && q.Rule == "" && q.ItemCode == "" && q.Fingerprint == ""
}

// CountFrom is the table and the count expression for counting what q matches.
func CountFrom(q finding.Query) (from, count string) {
	if countable(q) {
		return ` FROM finding_counts f`, `sum(f.n)`
	}
	return ` FROM findings f`, `count(*)`
}

// FromZoneDay turns days since the epoch in Asia/Shanghai back into midnight there.
func FromZoneDay(d int64) time.Time {
	return time.Unix(d*86400-8*60*60, 0).In(finding.Zone)
}

package finding

import (
	"context"
	"strings"
	"time"
)

// Query is a FindingFilter narrowed to what one person may see: the web UI's and the API's
// lists, counts and charts go through it, so that the narrowing happens in the database and
// stays fast at a million findings.
type Query struct {
	FindingFilter
	// Zone keeps findings of this zone and of the zones below it (341500 六安市 keeps 341502
	// 金安区 and 341502001000 too); "" keeps every zone. See ZonePrefix.
	Zone string
	// OfficerID keeps the findings this officer reported; 0 keeps everyone's.
	OfficerID int64
}

// ZonePrefix is the part of a zone code that every zone below it shares: the code without its
// trailing zero levels. 340000 安徽省 → "34", 341500 六安市 → "3415", 341502 金安区 → "341502",
// 341502001000 (a township) → "341502001". A code of all zeros, or "", gives "": everywhere.
func ZonePrefix(code string) string {
	code = strings.TrimSpace(code)
	if len(code) == 12 {
		for _, cut := range []int{9, 6} { // village, then township level
			if strings.Trim(code[cut:], "0") != "" {
				return code[:cut+3]
			}
		}
		code = code[:6]
	}
	for len(code) >= 2 && strings.HasSuffix(code, "00") {
		code = code[:len(code)-2]
	}
	if strings.Trim(code, "0") == "" {
		return ""
	}
	return code
}

// InZone reports whether a finding or unit of zone code lies in zone or below it; every code
// lies in the zone "".
func InZone(code, zone string) bool {
	p := ZonePrefix(zone)
	return p == "" || strings.HasPrefix(code, p)
}

// ZoneRange is the half-open range [lo, hi) of codes in zone and below it, for an index range
// scan; ok is false when zone is everywhere.
func ZoneRange(zone string) (lo, hi string, ok bool) {
	p := ZonePrefix(zone)
	if p == "" {
		return "", "", false
	}
	// Codes are digits, so the next prefix is the last digit plus one; '9'+1 is ':', which
	// still sorts after every digit.
	return p, p[:len(p)-1] + string(p[len(p)-1]+1), true
}

// StatusCount is how many findings a Query matches in one status.
type StatusCount struct {
	Status Status `json:"status"`
	Count  int    `json:"count"`
}

// UnitCount is how many findings a Query matches for one unit (0: no unit yet).
type UnitCount struct {
	UnitID int64  `json:"unit_id"`
	Unit   string `json:"unit"`
	Count  int    `json:"count"`
}

// DayCount is how many findings (or pages) fall on one day in Zone, per category or channel.
type DayCount struct {
	Day      time.Time `json:"day"` // midnight in Zone
	Category Category  `json:"category,omitempty"`
	Channel  Channel   `json:"channel,omitempty"`
	Count    int       `json:"count"`
}

// QueryStore answers the scoped lists, counts and charts of the web UI. Every method honours
// every field of the Query it is given.
type QueryStore interface {
	// QueryFindings lists findings like Findings, narrowed by the Query's Zone and OfficerID.
	QueryFindings(ctx context.Context, q Query) ([]Finding, error)
	// CountByStatus counts the findings q matches, by status (statuses without any left out),
	// ignoring q's Limit and Offset.
	CountByStatus(ctx context.Context, q Query) ([]StatusCount, error)
	// CountByUnit counts the findings q matches, by unit, the most first.
	CountByUnit(ctx context.Context, q Query) ([]UnitCount, error)
	// FoundPerDay counts the findings q matches by the day they were first seen (from since on)
	// and by category.
	FoundPerDay(ctx context.Context, q Query, since time.Time) ([]DayCount, error)
	// SightedPerDay counts, by day and channel, the distinct items whose findings matching q
	// were sighted by a run started since then: the pages that showed such a problem that day.
	SightedPerDay(ctx context.Context, q Query, since time.Time) ([]DayCount, error)
	// RunsSince lists the runs started since then, oldest first.
	RunsSince(ctx context.Context, since time.Time) ([]Run, error)
	// EvidenceFinding returns the ID of the finding a piece of evidence belongs to.
	EvidenceFinding(ctx context.Context, evidenceID int64) (int64, error)
}

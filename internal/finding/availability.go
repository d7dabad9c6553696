package finding

import (
	"context"
	"time"
)

// ProbeOutcome is whether one probe of an item's guide on one channel could open it: the record
// behind the weekly availability (CHANNEL-AVAILABILITY-WEEK).
type ProbeOutcome struct {
	RunID    string
	ItemCode string
	Channel  Channel
	At       time.Time
	OK       bool // the page opened and was a usable guide
}

// ProbeStats counts the probes of an item-channel in a window.
type ProbeStats struct {
	Total, Failed int
}

// AvailabilityStore keeps probe outcomes.
type AvailabilityStore interface {
	// RecordProbes adds outcomes.
	RecordProbes(ctx context.Context, outcomes []ProbeOutcome) error
	// ProbeStats counts the outcomes of an item-channel at or after since.
	ProbeStats(ctx context.Context, itemCode string, ch Channel, since time.Time) (ProbeStats, error)
}

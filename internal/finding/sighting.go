package finding

import (
	"fmt"
	"time"
)

// Sighting is what a probe or a scenario run saw once: the input of loop ingest.
type Sighting struct {
	Rule, Title, Detail string // Title/Detail in Chinese
	Category            Category
	Severity            Severity
	// Unit is the unit NAME as the portal shows it; Jurisdiction is a 6- or 12-digit zone code.
	ItemCode, ItemName, Unit, Jurisdiction string
	Channel                                Channel
	URL                                    string
	Fingerprint                            string         // rule + item + channel + stable locator, hashed by the caller; rule + channel + locator + scope for a site or template finding
	Scope                                  Scope          // "" or item; site or template for a condition shared by many items (ItemCode "")
	Affected                               int            // items a site or template finding affects, listed in Measured[AffectedKey]
	Source                                 Source         // probe
	RunID                                  string         // the sweep/run that saw it ("" allowed)
	Scenario                               string         // scenario id when a scenario run saw it, "" for a sweep
	Measured                               map[string]any // measured values (stored as JSON)
	Evidence                               []Evidence
	SeenAt                                 time.Time
}

// SightingGroup is what a store ingests in one go: the sightings of one fingerprint within a
// batch, oldest first, with the responsible unit already resolved (0 when none is named).
type SightingGroup struct {
	UnitID    int64
	Sightings []Sighting
}

// Ingested is what a store did with one SightingGroup.
type Ingested struct {
	FindingID int64
	// New: the group opened a new finding (its first sighting, or a recurrence).
	New bool
	// RecurrenceOf is the verified finding a new one re-opens (回潮); 0 otherwise.
	RecurrenceOf int64
	// Suppressed: the defect had been dismissed (不予采纳); the sightings were counted on the
	// dismissed finding and nothing was reopened.
	Suppressed bool
}

// Robot is the actor name of tiyan itself in events.
const Robot = "tiyan"

// Finding is the finding a group opens: the first sighting's facts, the last one's run and
// measured values, every sighting counted.
func (g SightingGroup) Finding(recurrenceOf int64) Finding {
	first, last := g.Sightings[0], g.Sightings[len(g.Sightings)-1]
	return Finding{
		Kind: Problem, Status: Found, Rule: first.Rule, Category: first.Category,
		Severity: first.Severity, Source: first.Source, ItemCode: first.ItemCode, ItemName: first.ItemName,
		Channel: first.Channel, UnitID: g.UnitID, Jurisdiction: first.Jurisdiction, Scope: first.Scope.Or(), Affected: last.Affected, Title: first.Title,
		Detail: first.Detail, URL: first.URL, Fingerprint: first.Fingerprint, Scenario: first.Scenario,
		RunID: last.RunID, Measured: last.Measured, RecurrenceOf: recurrenceOf,
		Occurrences: len(g.Sightings), FirstSeen: g.FirstSeen(), LastSeen: g.LastSeen(),
	}
}

// FoundEvent is the event that opens a finding tiyan files.
func FoundEvent(f Finding) Event {
	note := "自动体验发现"
	if f.RecurrenceOf != 0 {
		note = fmt.Sprintf("回潮：已整改的问题 #%d 再次出现", f.RecurrenceOf)
	}
	return Event{Action: ActFound, To: Found, Actor: Robot, At: f.FirstSeen, Note: note}
}

// FirstSeen is the earliest sighting's time.
func (g SightingGroup) FirstSeen() time.Time {
	t := g.Sightings[0].SeenAt
	for _, s := range g.Sightings[1:] {
		if s.SeenAt.Before(t) {
			t = s.SeenAt
		}
	}
	return t
}

// LastSeen is the latest sighting's time.
func (g SightingGroup) LastSeen() time.Time {
	t := g.Sightings[0].SeenAt
	for _, s := range g.Sightings[1:] {
		if s.SeenAt.After(t) {
			t = s.SeenAt
		}
	}
	return t
}

// StampedEvidence returns the sighting's evidence, dated when it was seen if undated, with
// sizes and its run filled in.
func (s Sighting) StampedEvidence() []Evidence {
	out := make([]Evidence, len(s.Evidence))
	for i, e := range s.Evidence {
		if e.Created.IsZero() {
			e.Created = s.SeenAt
		}
		e.Size, e.RunID = len(e.Data), s.RunID
		out[i] = e
	}
	return out
}

package finding

import (
	"encoding/json"
	"time"
)

// Finding is one problem (or praise) about one service item, or about the whole site or a page
// template (Scope): what is wrong, where, who must fix
// it by when, and everything that happened to it since it was found.
type Finding struct {
	ID       int64    `json:"id"`
	Kind     Kind     `json:"kind"`
	Status   Status   `json:"status"`
	Rule     string   `json:"rule"` // the probe rule that fired, e.g. GUIDE-MATERIAL-MISMATCH; "" for manual reports
	Category Category `json:"category"`
	Severity Severity `json:"severity"`
	Source   Source   `json:"source"`

	ItemCode     string  `json:"item_code"`
	ItemName     string  `json:"item_name"`
	Channel      Channel `json:"channel"`
	UnitID       int64   `json:"unit_id"`      // the responsible unit; 0 when not known yet
	Unit         string  `json:"unit"`         // the unit's name
	Jurisdiction string  `json:"jurisdiction"` // 6- or 12-digit zone code

	// Scope is item (""/ScopeItem), site or template; a site or template finding has no item and
	// no unit by default (it goes to the portal operator). Affected is how many items it
	// affects (0 for an item's finding); Measured[AffectedKey] lists them.
	Scope    Scope `json:"scope"`
	Affected int   `json:"affected"`

	Title  string `json:"title"` // in Chinese
	Detail string `json:"detail"`
	URL    string `json:"url"`

	// Fingerprint identifies the defect across sweeps (rule + item + channel + stable locator,
	// hashed by the prober); "" for manual reports, which are never deduplicated.
	Fingerprint string         `json:"fingerprint"`
	Scenario    string         `json:"scenario"` // the scenario whose run found it; "" for a sweep or a person
	RunID       string         `json:"run_id"`   // the last run that saw it
	Measured    map[string]any `json:"measured"` // the values measured when last seen

	RecurrenceOf int64  `json:"recurrence_of"` // the verified finding this one re-opens (回潮); 0 for none
	OfficerID    int64  `json:"officer_id"`    // the officer who reported it; 0 for none
	Officer      string `json:"officer"`       // the officer's name
	ActivityID   int64  `json:"activity"`      // the experience activity it was reported in; 0 for none

	// Deadline is the end of the last working day the unit has; zero until fed back.
	Deadline time.Time `json:"deadline"`
	// DeadlineNote says how the deadline was counted when that needs saying (a year the
	// holiday calendar does not know).
	DeadlineNote string `json:"deadline_note"`
	// Overdue is derived from Deadline and the clock when the finding is read through the loop;
	// it is never stored.
	Overdue bool `json:"overdue"`

	Occurrences int       `json:"occurrences"` // sightings so far, the first included
	FirstSeen   time.Time `json:"first_seen"`
	LastSeen    time.Time `json:"last_seen"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`

	Events   []Event    `json:"events"`   // oldest first; filled by Store.Finding, not by lists
	Evidence []Evidence `json:"evidence"` // metadata only (no Data); filled by Store.Finding
}

// Open reports whether the finding is a problem still in the loop.
func (f *Finding) Open() bool { return f.Kind == Problem && f.Status.Open() }

// OverdueAt reports whether the finding is overdue at now: a problem fed back to its unit whose
// deadline has passed. A handled finding waits on the evaluator, not on the unit, so it is not
// overdue.
func (f *Finding) OverdueAt(now time.Time) bool {
	return f.Kind == Problem && f.Status == FedBack && !f.Deadline.IsZero() && now.After(f.Deadline)
}

// MarshalJSON writes the finding in a stable field order, absent deadlines and references as
// null rather than zero values, and times in Zone.
func (f Finding) MarshalJSON() ([]byte, error) {
	return json.Marshal(findingJSON{
		ID: f.ID, Kind: f.Kind, Status: f.Status, Rule: f.Rule, Category: f.Category, Severity: f.Severity,
		Source: f.Source, ItemCode: f.ItemCode, ItemName: f.ItemName, Channel: f.Channel, UnitID: nullID(f.UnitID),
		Unit: f.Unit, Jurisdiction: f.Jurisdiction, Scope: f.Scope.Or(), Affected: f.Affected, Title: f.Title, Detail: f.Detail, URL: f.URL,
		Deadline: nullTime(f.Deadline), DeadlineNote: f.DeadlineNote, Overdue: f.Overdue, Occurrences: f.Occurrences,
		FirstSeen: f.FirstSeen.In(Zone), LastSeen: f.LastSeen.In(Zone), Fingerprint: f.Fingerprint,
		Scenario: f.Scenario, RunID: f.RunID, Measured: f.Measured, RecurrenceOf: nullID(f.RecurrenceOf),
		OfficerID: nullID(f.OfficerID), Officer: f.Officer, ActivityID: nullID(f.ActivityID),
		Created: f.Created.In(Zone), Updated: f.Updated.In(Zone), Events: nonNil(f.Events), Evidence: nonNil(f.Evidence),
	})
}

// findingJSON is the JSON shape of a Finding, field by field in the order people read them.
type findingJSON struct {
	ID           int64          `json:"id"`
	Kind         Kind           `json:"kind"`
	Status       Status         `json:"status"`
	Rule         string         `json:"rule"`
	Category     Category       `json:"category"`
	Severity     Severity       `json:"severity"`
	Source       Source         `json:"source"`
	ItemCode     string         `json:"item_code"`
	ItemName     string         `json:"item_name"`
	Channel      Channel        `json:"channel"`
	UnitID       *int64         `json:"unit_id"`
	Unit         string         `json:"unit"`
	Jurisdiction string         `json:"jurisdiction"`
	Scope        Scope          `json:"scope"`
	Affected     int            `json:"affected"`
	Title        string         `json:"title"`
	Detail       string         `json:"detail"`
	URL          string         `json:"url"`
	Deadline     *time.Time     `json:"deadline"`
	DeadlineNote string         `json:"deadline_note"`
	Overdue      bool           `json:"overdue"`
	Occurrences  int            `json:"occurrences"`
	FirstSeen    time.Time      `json:"first_seen"`
	LastSeen     time.Time      `json:"last_seen"`
	Fingerprint  string         `json:"fingerprint"`
	Scenario     string         `json:"scenario"`
	RunID        string         `json:"run_id"`
	Measured     map[string]any `json:"measured"`
	RecurrenceOf *int64         `json:"recurrence_of"`
	OfficerID    *int64         `json:"officer_id"`
	Officer      string         `json:"officer"`
	ActivityID   *int64         `json:"activity"`
	Created      time.Time      `json:"created"`
	Updated      time.Time      `json:"updated"`
	Events       []Event        `json:"events"`
	Evidence     []Evidence     `json:"evidence"`
}

// Event is one step in a finding's history. Events are appended, never changed.
type Event struct {
	ID     int64     `json:"id"`
	Action Action    `json:"action"`
	From   Status    `json:"from"` // "" for the event that created the finding
	To     Status    `json:"to"`
	Actor  string    `json:"actor"` // "tiyan" for the robot, otherwise a person's name
	At     time.Time `json:"at"`
	Note   string    `json:"note"`
}

// MarshalJSON writes the time in Zone.
func (e Event) MarshalJSON() ([]byte, error) {
	type plain Event
	e.At = e.At.In(Zone)
	return json.Marshal(plain(e))
}

// Evidence kinds.
const (
	EvidenceScreenshot = "screenshot"
	EvidenceDOM        = "dom"
	EvidenceRequests   = "requests"
	EvidenceMeasured   = "measured"
	EvidenceLog        = "log"
	EvidencePhoto      = "photo"
	EvidenceFile       = "file"
)

// Evidence is one piece of proof attached to a finding (or to one sighting of it).
type Evidence struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`         // "screenshot" | "dom" | "requests" | "measured" | "log" | "photo" | "file"
	Name        string    `json:"name"`         // file name shown to people, e.g. "screenshot.png"
	ContentType string    `json:"content_type"` // "image/png", "text/html", "application/json", "text/plain", …
	Data        []byte    `json:"-"`
	Size        int       `json:"size"`   // len(Data), kept when Data is not loaded
	RunID       string    `json:"run_id"` // the run whose sighting brought it; "" otherwise
	EventID     int64     `json:"event"`  // the event it came with (handled, reopened); 0 for sightings
	Created     time.Time `json:"created"`
}

// MarshalJSON writes the time in Zone.
func (e Evidence) MarshalJSON() ([]byte, error) {
	type plain Evidence
	e.Created = e.Created.In(Zone)
	return json.Marshal(plain(e))
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.In(Zone)
	return &t
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

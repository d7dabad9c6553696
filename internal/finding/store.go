package finding

import (
	"context"
	"io"
	"time"
)

// Store keeps findings, units, officers, activities and runs. internal/store opens one by URL;
// internal/store/storetest is the conformance suite every implementation passes.
//
// Errors are *Error where a person can act on them: ENOTFOUND for a missing record, ECONFLICT
// for a change that no longer fits (a finding whose status moved meanwhile, a unit name taken),
// EINVALID for a record the store refuses.
type Store interface {
	FindingStore
	UnitStore
	PeopleStore
	RunStore
	AvailabilityStore
	OutboxStore
	ScenarioStore
	UserStore
	QueryStore
	io.Closer
}

// SweepLedger is the bookkeeping of sweeps that run as jobs (internal/jobs), kept in the store's
// database beside the findings: one row per probed item-channel of a run, the claim of each
// item's cross-channel comparison, and the heartbeat of a process that sweeps by itself and
// holds the one-sweep-at-a-time lock. Both stores implement it; internal/store hands it out.
type SweepLedger interface {
	// RecordProbe writes p once. It reports false when the item-channel was already recorded
	// (by an earlier run of the same job, or a duplicate of it).
	RecordProbe(ctx context.Context, p ProbeRecord) (bool, error)
	// Probed reports whether an item-channel of a run is recorded.
	Probed(ctx context.Context, runID, itemCode, channel string) (bool, error)
	// ProbeResults returns the Result of each recorded channel of one item, by channel.
	ProbeResults(ctx context.Context, runID, itemCode string) ([][]byte, error)
	// ProbedItems lists the item codes a run has recorded, in order.
	ProbedItems(ctx context.Context, runID string) ([]string, error)
	// ClaimCompare claims the cross-channel comparison of an item for jobID unless another job
	// claimed it first, and returns the job that holds the claim.
	ClaimCompare(ctx context.Context, runID, itemCode string, jobID int64) (owner int64, err error)
	// Compared stores how many findings an item's comparison filed.
	Compared(ctx context.Context, runID, itemCode string, findings int) error
	// SweepProgress counts a run's recorded item-channels, per worker, with their findings
	// (the comparisons' included) and the Errors of each record, in item and channel order.
	SweepProgress(ctx context.Context, runID string) (SweepProgress, error)
	// ForgetSweep deletes a run's records and claims.
	ForgetSweep(ctx context.Context, runID string) error
	// BeatHold records that holder holds the sweep lock for runID, alive at at.
	BeatHold(ctx context.Context, runID, holder string, at time.Time) error
	// DropHold deletes runID's heartbeat.
	DropHold(ctx context.Context, runID string) error
	// HoldAlive reports whether the holder of runID's lock has beaten after since.
	HoldAlive(ctx context.Context, runID string, since time.Time) (bool, error)
	// HoldFindings keeps an item-channel's findings until the run's end, where they may be
	// grouped into site or template findings. It replaces what the same item-channel of the run
	// held before (a probe job run again).
	HoldFindings(ctx context.Context, h HeldFindings) error
	// HeldFindings returns what a run holds, in item and channel order.
	HeldFindings(ctx context.Context, runID string) ([]HeldFindings, error)
	// DropHeldFindings deletes what a run holds.
	DropHeldFindings(ctx context.Context, runID string) error
}

// HeldFindings are one item-channel's findings of a sweep run kept back for the run's end.
type HeldFindings struct {
	RunID, ItemCode, Channel string
	// Usable says the item-channel's guide page could be checked: it counts towards the share
	// of pages a template finding needs.
	Usable bool
	// Findings are the findings, encoded by the caller (possibly none: Usable still counts).
	Findings []byte
}

// ProbeRecord is what one probe job of a sweep leaves for its run.
type ProbeRecord struct {
	RunID, ItemCode, Channel, Worker string
	Findings                         int
	Reachable                        bool
	Duration                         time.Duration
	Errors                           []string
	// Result is what the item's cross-channel comparison needs, encoded by the caller.
	Result []byte
}

// SweepProgress is a run as its probe records tell it.
type SweepProgress struct {
	Done     int
	Findings int
	Workers  map[string]int // item-channels done per worker
	Errors   []string
}

// FindingStore keeps findings, their events and evidence.
type FindingStore interface {
	// CreateFinding stores a new finding with its first event and evidence (a manual report),
	// all or nothing, and returns it as Finding would.
	CreateFinding(ctx context.Context, f Finding, first Event, evidence []Evidence) (Finding, error)
	// Finding returns one finding with its events (oldest first) and evidence metadata.
	Finding(ctx context.Context, id int64) (Finding, error)
	// Findings lists findings, without events and evidence.
	Findings(ctx context.Context, filter FindingFilter) ([]Finding, error)
	// CountFindings counts what Findings would list without Limit and Offset.
	CountFindings(ctx context.Context, filter FindingFilter) (int, error)
	// Transition moves a finding from t.From to t.To, appends t.Event, attaches t.Evidence to
	// it and applies the other changes, all or nothing. When the finding is no longer in
	// t.From it changes nothing and returns ECONFLICT.
	Transition(ctx context.Context, t Transition) (Finding, error)
	// Ingest files sighting groups, each of a distinct fingerprint: a group whose fingerprint
	// has an open finding updates it (last seen, occurrences, run, measured values, evidence);
	// one whose latest finding was verified opens a new finding linked to it; one whose latest
	// finding was dismissed is counted on it; any other opens a new finding with a found
	// event by tiyan. Every sighting is linked to its run. Results are in the order of groups.
	Ingest(ctx context.Context, groups []SightingGroup) ([]Ingested, error)
	// Evidence returns one piece of evidence with its data.
	Evidence(ctx context.Context, id int64) (Evidence, error)
}

// UnitStore keeps window units.
type UnitStore interface {
	// CreateUnit adds a unit; a name already taken is ECONFLICT.
	CreateUnit(ctx context.Context, u Unit) (Unit, error)
	// EnsureUnits returns the units of the given names, creating those that do not exist yet
	// with the jurisdiction given. Results are in the order of units.
	EnsureUnits(ctx context.Context, units []Unit) ([]Unit, error)
	Unit(ctx context.Context, id int64) (Unit, error)
	UnitByName(ctx context.Context, name string) (Unit, error)
	// Units lists every unit by ID.
	Units(ctx context.Context) ([]Unit, error)
}

// PeopleStore keeps experience officers and their activities.
type PeopleStore interface {
	CreateOfficer(ctx context.Context, o Officer) (Officer, error)
	Officer(ctx context.Context, id int64) (Officer, error)
	Officers(ctx context.Context, filter OfficerFilter) ([]Officer, error)
	// DismissOfficer ends an active officer's service; an officer already dismissed is
	// ECONFLICT.
	DismissOfficer(ctx context.Context, id int64, at time.Time, reason string) (Officer, error)

	// CreateActivity adds an activity with its participants (officer IDs that must exist).
	CreateActivity(ctx context.Context, a Activity) (Activity, error)
	Activity(ctx context.Context, id int64) (Activity, error)
	Activities(ctx context.Context, filter ActivityFilter) ([]Activity, error)
}

// RunStore keeps sweep, scenario and verification runs.
type RunStore interface {
	// CreateRun adds a run; an empty ID is filled in (NewRunID).
	CreateRun(ctx context.Context, r Run) (Run, error)
	// UpdateRun overwrites everything but the ID and kind.
	UpdateRun(ctx context.Context, r Run) error
	Run(ctx context.Context, id string) (Run, error)
	// Runs lists runs, newest first.
	Runs(ctx context.Context, filter RunFilter) ([]Run, error)
	// RunFindings lists the findings sighted in a run, by ID.
	RunFindings(ctx context.Context, runID string) ([]Finding, error)
}

// Order is how Findings sorts.
type Order int

// Orders.
const (
	// ByID lists oldest first.
	ByID Order = iota
	// ByNewest lists newest first.
	ByNewest
	// ByDeadline lists the nearest deadline first, findings without one last, then by ID: a
	// unit's inbox.
	ByDeadline
)

// FindingFilter selects findings. Zero fields select everything.
type FindingFilter struct {
	Kind        Kind
	Status      []Status // any of these
	Open        bool     // problems still in the loop (found, fed_back, handled)
	UnitID      int64
	Category    Category
	Severity    Severity
	Source      Source
	Channel     Channel
	Rule        string
	ItemCode    string
	Fingerprint string
	// OverdueAt, when set, keeps problems fed back whose deadline had passed at that instant.
	OverdueAt time.Time
	Order     Order
	Limit     int // 0: no limit
	Offset    int
}

// Inbox is the filter for a unit's inbox: its open problems, nearest deadline first.
func Inbox(unitID int64, limit, offset int) FindingFilter {
	return FindingFilter{UnitID: unitID, Open: true, Order: ByDeadline, Limit: limit, Offset: offset}
}

// Transition is one move of a finding through the loop, as Store.Transition applies it.
type Transition struct {
	ID   int64
	From Status // the status the move was decided on
	To   Status
	// Event is appended; its From and To are set from the transition.
	Event Event
	// UnitID, when non-zero, assigns the finding to that unit.
	UnitID int64
	// SetDeadline replaces the deadline (and its note) with Deadline and DeadlineNote.
	SetDeadline  bool
	Deadline     time.Time
	DeadlineNote string
	// Evidence is attached to the finding and to the event.
	Evidence []Evidence
}

// OfficerFilter selects officers.
type OfficerFilter struct {
	Name   string // exact name
	Status string // OfficerActive or OfficerDismissed; "" for both
}

// ActivityFilter selects activities.
type ActivityFilter struct {
	From, To  time.Time // days, inclusive; zero for open ends
	OfficerID int64     // activities this officer took part in
}

// RunFilter selects runs.
type RunFilter struct {
	Kind   string
	Status string
	Limit  int
}

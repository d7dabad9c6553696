package jobs

import (
	"encoding/json"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"tiyan/probes"
)

// Job kinds, as River stores them.
const (
	KindSweepStart  = "sweep_start"
	KindProbe       = "probe"
	KindSweepFinish = "sweep_finish"
	KindScenarioRun = "scenario_run"
	KindOverdueScan = "overdue_scan"
	KindVerify      = "verify"
)

// Queues. Probes and scenario runs each hold a Chromium tab, so they have queues of their own
// sized to the browser; the rest is bookkeeping.
const (
	queueDefault  = river.QueueDefault
	queueProbe    = "probe"
	queueScenario = "scenario"
)

// inFlight are the states of a job that has not finished. River requires the first four in a
// uniqueness set; retryable keeps a failing job unique until it is retried or discarded.
var inFlight = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateScheduled, rivertype.JobStateRetryable,
}

// Target is the portal a sweep probes: a site profile by name, read from the worker's own
// sites folder, with the base URL and the catalogue to compare guides with.
type Target struct {
	Site      string   `json:"site"`
	BaseURL   string   `json:"base_url,omitempty"`  // "" is the profile's
	Catalogue string   `json:"catalogue,omitempty"` // 实施清单 JSON file or URL; "" skips the comparison
	Channels  []string `json:"channels,omitempty"`  // "" is every channel of the site
}

// SweepArgs start a sweep: list the items, then probe each on each channel.
type SweepArgs struct {
	// RunID is the run record to create; "" makes a new one when the job runs (a schedule's).
	RunID string `json:"run_id,omitempty"`
	Target
	Zone  string   `json:"zone,omitempty"`  // "" is the profile's
	Items []string `json:"items,omitempty"` // only these item codes; empty is all
	Limit int      `json:"limit,omitempty"` // at most this many items; 0 is all
}

// Kind is sweep_start.
func (SweepArgs) Kind() string { return KindSweepStart }

// InsertOpts make a sweep start unique while one is queued or starting: a second request, or
// a schedule firing meanwhile, is the same sweep.
func (SweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByState: inFlight}}
}

// ProbeArgs probe one item on one channel for a sweep run.
type ProbeArgs struct {
	RunID   string      `json:"run_id" river:"unique"`
	Code    string      `json:"code" river:"unique"`
	Channel string      `json:"channel" river:"unique"`
	Item    probes.Item `json:"item"`
	Target  Target      `json:"target"`
	// Channels is how many channels the run probes this item on: the last to finish compares
	// the item's guides across them.
	Channels int `json:"channels"`
}

// Kind is probe.
func (ProbeArgs) Kind() string { return KindProbe }

// InsertOpts make an item-channel unique within its run, in every state but discarded: however
// often the sweep start is retried, each item-channel is queued once.
func (ProbeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueProbe, MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true,
		ByState: append([]rivertype.JobState{rivertype.JobStateCompleted}, inFlight...)}}
}

// SweepFinishArgs watch a sweep run until its probes are done, then close the run. While one is
// in flight a sweep is running: it is the lock that keeps two sweeps from running at once.
type SweepFinishArgs struct {
	RunID string `json:"run_id"`
	Total int    `json:"total"`
	// Target is the sweep's portal: the handled findings of the items it probed are verified
	// on it once the run is closed.
	Target Target `json:"target"`
	// Held marks the lock of a sweep a process runs by itself (tiyan sweep): the job only
	// watches that the process is alive (hold.go).
	Held bool `json:"held,omitempty"`
}

// Kind is sweep_finish.
func (SweepFinishArgs) Kind() string { return KindSweepFinish }

// InsertOpts make sweep_finish unique by kind alone while in flight: one sweep at a time.
func (SweepFinishArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByState: inFlight}}
}

// ScenarioArgs run one scripted scenario on its channels.
type ScenarioArgs struct {
	ID   string `json:"id" river:"unique"`
	File string `json:"file"`
	// RunID is the run record to fill, made by whoever queued the run so that its page can
	// follow it (立即回放 in the web pages); "" makes a new one when the job runs (a schedule's).
	// Part of the uniqueness: a replay never waits behind a scheduled run, nor is it merged
	// into one.
	RunID string `json:"run_id,omitempty" river:"unique"`
	// Timeout bounds the whole job: the scenario's timeout times its channels, and a margin.
	Timeout time.Duration `json:"timeout,omitempty"`
}

// Kind is scenario_run.
func (ScenarioArgs) Kind() string { return KindScenarioRun }

// InsertOpts keep one scheduled run of a scenario in flight at a time (each replay is its own).
func (ScenarioArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueScenario, MaxAttempts: 2, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: inFlight}}
}

// VerifyArgs verify one handled automated finding by probing again what found it (loop.Verify):
// verified when the defect is gone, back to its unit when it is still there.
type VerifyArgs struct {
	FindingID int64  `json:"finding_id" river:"unique"`
	RunID     string `json:"run_id"` // the verify run record the job keeps
	Target    Target `json:"target"` // the portal to probe
}

// Kind is verify.
func (VerifyArgs) Kind() string { return KindVerify }

// InsertOpts keep one verification of a finding in flight, on the probe queue: it holds a
// Chromium tab like a probe.
func (VerifyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueProbe, MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: inFlight}}
}

// OverdueScanArgs list the problems past their deadline and remind their units.
type OverdueScanArgs struct{}

// Kind is overdue_scan.
func (OverdueScanArgs) Kind() string { return KindOverdueScan }

// InsertOpts keep one scan in flight.
func (OverdueScanArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByState: inFlight}}
}

// runMeta is the metadata that ties a job to its run, so a run's jobs can be listed.
func runMeta(runID string) []byte {
	b, _ := json.Marshal(map[string]string{"run_id": runID})
	return b
}

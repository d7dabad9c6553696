package finding

import "time"

// Run kinds.
const (
	RunSweep    = "sweep"    // a catalogue sweep
	RunScenario = "scenario" // scripted scenario runs
	RunVerify   = "verify"   // replays that verify handled findings
)

// Run statuses.
const (
	RunRunning = "running"
	RunDone    = "done"
	RunFailed  = "failed"
)

// Run is one sweep, scenario run or verification: what it looked at, how far it got, and what
// went wrong on our side (errors, as opposed to findings about the portal).
type Run struct {
	ID       string         `json:"id"`
	Kind     string         `json:"kind"` // RunSweep, RunScenario or RunVerify
	Site     string         `json:"site"`
	Channels []string       `json:"channels"`
	Status   string         `json:"status"` // RunRunning, RunDone or RunFailed
	Started  time.Time      `json:"started"`
	Finished time.Time      `json:"finished"` // zero while running
	Total    int            `json:"total"`    // pages (item × channel) or scenario runs planned
	Done     int            `json:"done"`
	Findings int            `json:"findings"` // sightings filed
	Errors   []string       `json:"errors"`   // what kept us from looking
	Workers  map[string]int `json:"workers"`  // pages done per worker
}

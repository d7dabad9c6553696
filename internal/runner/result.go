package runner

import (
	"time"

	"tiyan/scenarios"
)

// Result is the record of one run of a scenario on one channel.
type Result struct {
	Scenario    string            `json:"scenario"` // the scenario's id
	Title       string            `json:"title"`
	Channel     scenarios.Channel `json:"channel"`
	Started     time.Time         `json:"started"`
	Duration    time.Duration     `json:"duration"`
	Passed      bool              `json:"passed"` // every step passed
	Steps       []StepResult      `json:"steps"`  // the steps that ran, in order; the last failed when !Passed
	Error       string            `json:"error,omitempty"`
	BrowserDied bool              `json:"browser_died"` // the run ended because Chromium died: we could not look
}

// StepResult is what one step did.
type StepResult struct {
	Index          int            `json:"index"` // 0-based position in Scenario.Steps
	Kind           scenarios.Kind `json:"kind"`
	Line           int            `json:"line"`        // where the step is written in the scenario file
	Description    string         `json:"description"` // in Chinese, e.g. 点击“在线办理”; never a secret
	Passed         bool           `json:"passed"`
	Duration       time.Duration  `json:"duration"`
	Screenshot     []byte         `json:"screenshot,omitempty"` // PNG of the viewport after the step
	ConsoleErrors  []string       `json:"console_errors,omitempty"`
	FailedRequests []string       `json:"failed_requests,omitempty"` // "404 GET http://…", "blocked http://…", "net::ERR_… http://…"
	Error          string         `json:"error,omitempty"`           // in Chinese, with the English detail
	DOMExcerpt     string         `json:"dom_excerpt,omitempty"`     // on failure: outerHTML around the target, or the body; ≤ 4 KB
	URL            string         `json:"url,omitempty"`             // the page's URL after the step

	died bool // Chromium died during the step
}

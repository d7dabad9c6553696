package finding

import (
	"context"
	"time"
)

// Scenario result statuses: how one scripted scenario went on one channel.
const (
	ScenarioRunning = "running"
	ScenarioPassed  = "passed"
	ScenarioFailed  = "failed"
)

// ScenarioResult is one scripted scenario played on one channel within a run: what its step
// report shows. A scenario run (tiyan run, a scheduled scenario, a 立即回放 from the web pages)
// has one per scenario and channel, written as it goes: started, a step at a time, finished.
type ScenarioResult struct {
	ID       int64         `json:"id"`
	RunID    string        `json:"run_id"`
	Scenario string        `json:"scenario"` // the scenario's id, e.g. getihu-guide
	Title    string        `json:"title"`
	Channel  Channel       `json:"channel"`
	Site     string        `json:"site"`     // the portal's name, e.g. 皖事通办
	BaseURL  string        `json:"base_url"` // where it was played
	Status   string        `json:"status"`   // ScenarioRunning, ScenarioPassed or ScenarioFailed
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"-"` // the whole play; 0 while running
	// Error is why it failed when no single step is to blame (setup, deadline); a step's own
	// failure is in the step.
	Error string `json:"error,omitempty"`
	// BrowserDied means Chromium exited under the run: its outcome says nothing of the portal.
	BrowserDied bool           `json:"browser_died"`
	Steps       []ScenarioStep `json:"steps"`
}

// ScenarioStep is one step of a ScenarioResult and what was seen while it ran.
type ScenarioStep struct {
	Index          int           `json:"index"` // 0-based position in the scenario
	Line           int           `json:"line"`  // where it is written in the scenario file
	Kind           string        `json:"kind"`  // e.g. click
	Description    string        `json:"description"`
	Passed         bool          `json:"passed"`
	Duration       time.Duration `json:"-"`
	URL            string        `json:"url,omitempty"`
	Error          string        `json:"error,omitempty"`
	DOMExcerpt     string        `json:"dom_excerpt,omitempty"`
	ConsoleErrors  []string      `json:"console_errors,omitempty"`
	FailedRequests []string      `json:"failed_requests,omitempty"`
	// Screenshot is the page after the step (JPEG or PNG), as AddScenarioStep stores it;
	// lists leave it nil and ScenarioScreenshot returns it.
	Screenshot []byte `json:"-"`
	// HasScreenshot says a screenshot is stored with the step.
	HasScreenshot bool `json:"has_screenshot"`
}

// FailedStep returns the step a failed result failed at: its last step, when that did not pass.
func (r ScenarioResult) FailedStep() (ScenarioStep, bool) {
	if r.Status != ScenarioFailed || len(r.Steps) == 0 || r.Steps[len(r.Steps)-1].Passed {
		return ScenarioStep{}, false
	}
	return r.Steps[len(r.Steps)-1], true
}

// Validate checks a result before it is stored.
func (r *ScenarioResult) Validate() error {
	switch {
	case r.RunID == "":
		return Errorf(EINVALID, "场景结果缺少运行编号")
	case r.Scenario == "":
		return Errorf(EINVALID, "场景结果缺少场景编号")
	case r.Channel != PC && r.Channel != H5:
		return Errorf(EINVALID, "场景渠道应为 pc 或 h5，收到 %q", r.Channel)
	case r.Status != ScenarioRunning && r.Status != ScenarioPassed && r.Status != ScenarioFailed:
		return Errorf(EINVALID, "场景结果状态应为 running、passed 或 failed，收到 %q", r.Status)
	case r.Started.IsZero():
		return Errorf(EINVALID, "场景结果缺少开始时间")
	}
	return nil
}

// ScenarioStore keeps the step results of scenario runs, screenshots included, for the step
// reports of the web pages.
type ScenarioStore interface {
	// StartScenario adds a result to a run (which must exist), with no steps; an empty status
	// is running, a zero start now. It returns the result with its ID.
	StartScenario(ctx context.Context, r ScenarioResult) (ScenarioResult, error)
	// AddScenarioStep appends a step, with its screenshot, to result resultID; a step index the
	// result has already is ECONFLICT.
	AddScenarioStep(ctx context.Context, resultID int64, s ScenarioStep) error
	// FinishScenario stores the outcome of result r.ID: status, duration, error and browser
	// death. Its steps are left as they are.
	FinishScenario(ctx context.Context, r ScenarioResult) error
	// ScenarioResults lists the results of a run in the order they started, each with its
	// steps in order (without screenshot bytes).
	ScenarioResults(ctx context.Context, runID string) ([]ScenarioResult, error)
	// LatestScenarioResults returns the newest result of every scenario on every channel, with
	// steps as ScenarioResults has them, by scenario and channel.
	LatestScenarioResults(ctx context.Context) ([]ScenarioResult, error)
	// ScenarioScreenshot returns the screenshot of step index of result resultID in run runID;
	// ENOTFOUND when there is none.
	ScenarioScreenshot(ctx context.Context, runID string, resultID int64, index int) ([]byte, error)
}

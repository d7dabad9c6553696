package runner

import (
	"encoding/json"
	"time"

	"tiyan/scenarios"
)

// Result is the record of one run of a scenario on one channel. In JSON, Duration is
// duration_ms, whole milliseconds.
type Result struct {
	Scenario    string            `json:"scenario"` // the scenario's id
	Title       string            `json:"title"`
	Channel     scenarios.Channel `json:"channel"`
	Started     time.Time         `json:"started"`
	Duration    time.Duration     `json:"-"`      // duration_ms in JSON
	Passed      bool              `json:"passed"` // every step passed
	Steps       []StepResult      `json:"steps"`  // the steps that ran, in order; the last failed when !Passed
	Error       string            `json:"error,omitempty"`
	BrowserDied bool              `json:"browser_died"` // the run ended because Chromium died: we could not look
	// Log is the run's own log, one slog text line per record ("time=15:04:05.000 level=INFO
	// msg=step …"): what the runner did and saw, kept as evidence. It never holds a secret.
	Log []string `json:"log,omitempty"`
}

// StepResult is what one step did. In JSON, Duration is duration_ms, whole milliseconds.
type StepResult struct {
	Index          int            `json:"index"` // 0-based position in Scenario.Steps
	Kind           scenarios.Kind `json:"kind"`
	Line           int            `json:"line"`        // where the step is written in the scenario file
	Description    string         `json:"description"` // in Chinese, e.g. 点击“在线办理”; never a secret
	Passed         bool           `json:"passed"`
	Duration       time.Duration  `json:"-"`                    // duration_ms in JSON; the step itself, not its evidence
	Screenshot     []byte         `json:"screenshot,omitempty"` // JPEG of the viewport after the step; secrets typed into fields are masked
	ConsoleErrors  []string       `json:"console_errors,omitempty"`
	FailedRequests []string       `json:"failed_requests,omitempty"` // "404 GET http://…", "blocked http://…", "net::ERR_… http://…"
	// Refused are the state-changing requests the read-only browser refused during the step
	// ("已拦截提交请求：POST http://…"): evidence of what the page tried, never a portal defect.
	Refused    []string `json:"refused,omitempty"`
	Error      string   `json:"error,omitempty"`       // in Chinese, with the English detail
	DOMExcerpt string   `json:"dom_excerpt,omitempty"` // on failure: outerHTML around the target, or the body; ≤ 4 KB
	URL        string   `json:"url,omitempty"`         // the page's URL after the step

	died bool // Chromium died during the step
}

// MarshalJSON writes Duration as duration_ms: people and other tools read milliseconds, not
// Go's nanoseconds.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	return json.Marshal(struct {
		plain
		DurationMS int64 `json:"duration_ms"`
	}{plain(r), r.Duration.Milliseconds()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Result) UnmarshalJSON(b []byte) error {
	type plain Result
	v := struct {
		*plain
		DurationMS int64 `json:"duration_ms"`
	}{plain: (*plain)(r)}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	r.Duration = time.Duration(v.DurationMS) * time.Millisecond
	return nil
}

// MarshalJSON writes Duration as duration_ms, like Result's.
func (s StepResult) MarshalJSON() ([]byte, error) {
	type plain StepResult
	return json.Marshal(struct {
		plain
		DurationMS int64 `json:"duration_ms"`
	}{plain(s), s.Duration.Milliseconds()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *StepResult) UnmarshalJSON(b []byte) error {
	type plain StepResult
	v := struct {
		*plain
		DurationMS int64 `json:"duration_ms"`
	}{plain: (*plain)(s)}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	s.Duration = time.Duration(v.DurationMS) * time.Millisecond
	return nil
}

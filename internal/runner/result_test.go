package runner_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"tiyan/internal/runner"
)

func TestResultJSONHasMilliseconds(t *testing.T) {
	res := runner.Result{Scenario: "s", Duration: 83*time.Second + 412*time.Millisecond, Passed: true,
		Steps: []runner.StepResult{{Index: 0, Kind: "open", Duration: 1234567 * time.Microsecond}},
		Log:   []string{"time=09:00:00.000 level=INFO msg=step"}}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	for _, want := range []string{`"duration_ms":83412`, `"duration_ms":1234`, `"log":["time=09:00:00.000`} {
		if !strings.Contains(js, want) {
			t.Errorf("JSON lacks %s: %s", want, js)
		}
	}
	if strings.Contains(js, `"duration":`) {
		t.Errorf("JSON still has nanoseconds: %s", js)
	}
	var back runner.Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Duration != 83412*time.Millisecond || back.Steps[0].Duration != 1234*time.Millisecond || back.Scenario != "s" || !back.Passed {
		t.Errorf("round trip: %+v", back)
	}
}

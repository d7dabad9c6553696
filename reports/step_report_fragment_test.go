package reports

import (
	"strings"
	"testing"
	"time"

	"tiyan/internal/finding"
)

// TestStepReportFragment renders the body alone, for a page of the web UI: no document around
// it, no inline style, anchors with the prefix, screenshots linked rather than inlined.
func TestStepReportFragment(t *testing.T) {
	r := failingReport(t)
	for i := range r.Steps {
		r.Steps[i].ScreenshotURL = "/runs/r1/shots/7/" + string(rune('0'+i))
	}
	out, err := StepReportFragment(r, "r7-")
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, bad := range []string{"<html", "<style", "<h1", "data:image", `id="failed"`} {
		if strings.Contains(s, bad) {
			t.Errorf("fragment has %q", bad)
		}
	}
	for _, want := range []string{`href="#r7-failed"`, `id="r7-failed"`, `id="r7-step-1"`, `src="/runs/r1/shots/7/0"`,
		"&lt;script&gt;alert(1)&lt;/script&gt;", "<h2>步骤一览</h2>"} {
		if !strings.Contains(s, want) {
			t.Errorf("fragment lacks %q", want)
		}
	}
}

// TestStepReportOf maps a stored result: steps numbered from 1, screenshots by URL, a running
// result neither passed nor failed.
func TestStepReportOf(t *testing.T) {
	res := finding.ScenarioResult{ID: 7, RunID: "r1", Scenario: "getihu-guide", Title: "个体工商户", Channel: finding.H5,
		Site: "皖事通办", Status: finding.ScenarioRunning, Started: time.Date(2026, 6, 1, 1, 0, 0, 0, time.UTC),
		Steps: []finding.ScenarioStep{{Index: 0, Line: 8, Kind: "open", Description: "打开事项", Passed: true, Duration: time.Second, HasScreenshot: true},
			{Index: 1, Line: 9, Kind: "expect", Description: "看到“办事指南”", Passed: true}}}
	r := StepReportOf(res, func(st finding.ScenarioStep) string { return "/shot/" + string(rune('0'+st.Index)) })
	if !r.Running || r.Passed || r.Channel != "h5" || len(r.Steps) != 2 || r.Steps[0].Index != 1 || r.Steps[0].ScreenshotURL != "/shot/0" ||
		r.Steps[1].ScreenshotURL != "" {
		t.Fatalf("report = %+v", r)
	}
	out, err := StepReportFragment(r, "")
	if err != nil {
		t.Fatal(err)
	}
	if s := string(out); !strings.Contains(s, "回放中") || strings.Contains(s, "未通过") || strings.Contains(s, "0.0 秒") {
		t.Errorf("a running report says:\n%s", s)
	}
	res.Status = finding.ScenarioPassed
	if r := StepReportOf(res, nil); !r.Passed || r.Running {
		t.Errorf("passed result: %+v", r)
	}
}

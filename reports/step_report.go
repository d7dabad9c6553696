package reports

import (
	"bytes"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"time"

	"tiyan/internal/finding"
)

// StepReport is one replayed scenario, as the step report shows it.
type StepReport struct {
	Scenario string // scenario code, e.g. "getihu-sheli"
	Title    string // human title of the scenario, in Chinese
	Channel  string // "pc" or "h5"
	Site     string // portal name, e.g. 皖事通办
	BaseURL  string

	Started  time.Time
	Duration time.Duration

	Passed bool
	// Error is why the run failed when no single step is to blame
	// (setup, deadline); a step's own failure travels in Step.Error.
	Error string
	// BrowserDied means the browser process exited under us: the outcome
	// says nothing about the portal.
	BrowserDied bool
	// Running means the replay is still going: the steps so far, no result
	// yet (the web UI's live page).
	Running bool

	Steps []Step
}

// Step is one scripted step and what was observed while it ran.
type Step struct {
	Index       int    // 1-based position in the scenario
	Line        int    // line in the scenario file, 0 if unknown
	Kind        string // step kind, e.g. "click"
	Description string // in Chinese, e.g. 点击“在线办理”

	Passed   bool
	Skipped  bool
	Duration time.Duration

	Screenshot []byte // PNG or JPEG, may be nil
	// ScreenshotURL, when set, is where the screenshot is linked from
	// instead of inlining Screenshot: the web UI serves it from the store.
	ScreenshotURL  string
	ConsoleErrors  []string
	FailedRequests []string

	Error      string
	DOMExcerpt string
}

//go:embed templates/step_report.html.tmpl
var templateFS embed.FS

var stepReportTmpl = template.Must(template.ParseFS(templateFS, "templates/step_report.html.tmpl"))

// shanghai is the portal's (and the officers') time zone. China has kept
// UTC+8 without daylight saving since 1991, so a fixed zone is exact and
// does not depend on the host's tzdata.
var shanghai = time.FixedZone("CST", 8*60*60)

// WriteStepReport writes r as one self-contained HTML page (zh-CN, inline
// CSS, screenshots as data URLs) to w. Nothing is written if rendering fails.
func WriteStepReport(w io.Writer, r StepReport) error {
	var buf bytes.Buffer
	if err := stepReportTmpl.Execute(&buf, newStepReportView(r, "")); err != nil {
		return fmt.Errorf("render step report %s: %w", r.Scenario, err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("write step report %s: %w", r.Scenario, err)
	}
	return nil
}

// stepReportView is StepReport with everything the template would
// otherwise have to compute already decided.
type stepReportView struct {
	StepReport
	FailedID    string // the anchor of the failing step or the run's error
	Channel     string
	Started     string
	Duration    string
	PassedSteps int
	H5          bool
	HasFailed   bool // some element carries id="failed"
	FailedStep  bool // ... and it is a step card, not the run error
	Steps       []stepView
}

type stepView struct {
	Step
	ID         string // anchor: "failed" for the failing step, else "step-N"
	Failed     bool
	Status     string // ✓ ✗ or –
	StatusText string
	Duration   string
	Alt        string
	Src        template.URL // the screenshot: its URL or a data URL; empty if none
}

func newStepReportView(r StepReport, idPrefix string) stepReportView {
	v := stepReportView{
		StepReport: r,
		FailedID:   idPrefix + "failed",
		Channel:    channelName(r.Channel),
		Started:    r.Started.In(shanghai).Format("2006-01-02 15:04:05"),
		Duration:   humanDuration(r.Duration),
		H5:         r.Channel == "h5",
	}
	if r.Running {
		v.Duration = "—"
	}
	for _, s := range r.Steps {
		sv := newStepView(s, idPrefix)
		if sv.Failed && !v.HasFailed {
			sv.ID = v.FailedID
			v.HasFailed, v.FailedStep = true, true
		}
		if s.Passed && !s.Skipped {
			v.PassedSteps++
		}
		v.Steps = append(v.Steps, sv)
	}
	// A run can fail before any step does (setup, deadline): the anchor
	// then points at the run's error so the link at the top still helps.
	if !r.Passed && !r.Running && !v.HasFailed && (r.Error != "" || r.BrowserDied) {
		v.HasFailed = true
	}
	return v
}

func newStepView(s Step, idPrefix string) stepView {
	sv := stepView{
		Step:     s,
		ID:       fmt.Sprintf("%sstep-%d", idPrefix, s.Index),
		Duration: fmt.Sprintf("%d 毫秒", s.Duration.Milliseconds()),
		Alt:      fmt.Sprintf("第%d步截图", s.Index),
	}
	switch {
	case s.Skipped:
		sv.Status, sv.StatusText, sv.Duration = "–", "跳过", "—"
	case s.Passed:
		sv.Status, sv.StatusText = "✓", "通过"
	default:
		sv.Status, sv.StatusText, sv.Failed = "✗", "未通过", true
	}
	switch {
	case s.ScreenshotURL != "":
		// html/template still escapes it as an attribute value; marking it
		// only lets a relative path through as it is.
		sv.Src = template.URL(s.ScreenshotURL)
	case len(s.Screenshot) > 0:
		// Built here from bytes, never from page content, so it is safe to
		// mark as a URL; html/template would otherwise reject data: URLs.
		sv.Src = template.URL("data:" + http.DetectContentType(s.Screenshot) + ";base64," + base64.StdEncoding.EncodeToString(s.Screenshot))
	}
	return sv
}

func channelName(c string) string {
	switch c {
	case "pc":
		return "电脑端"
	case "h5":
		return "皖事通APP"
	}
	return c
}

// humanDuration renders a run's length the way an officer would say it.
func humanDuration(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1f 秒", d.Seconds())
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%d 分 %d 秒", int(d.Minutes()), int(d.Seconds())%60)
}

// StepReportFragment renders the body of r's step report — everything below the report's
// <h1>, without the page around it and without its stylesheet — for a page that embeds it: the
// web UI shows a run's step reports under its own layout and styles their classes itself.
// Anchors start with idPrefix, so that several reports can share one page.
func StepReportFragment(r StepReport, idPrefix string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := stepReportTmpl.ExecuteTemplate(&buf, "body", newStepReportView(r, idPrefix)); err != nil {
		return "", fmt.Errorf("render step report %s: %w", r.Scenario, err)
	}
	// html/template escaped everything the report holds as it rendered it.
	return template.HTML(buf.String()), nil
}

// StepReportOf is the step report of a scenario result as the store keeps it. shotURL, when
// not nil, gives each screenshot's URL (the store returns results without screenshot bytes);
// nil inlines the bytes a step carries.
func StepReportOf(res finding.ScenarioResult, shotURL func(finding.ScenarioStep) string) StepReport {
	r := StepReport{Scenario: res.Scenario, Title: res.Title, Channel: string(res.Channel), Site: res.Site, BaseURL: res.BaseURL,
		Started: res.Started, Duration: res.Duration, Passed: res.Status == finding.ScenarioPassed,
		Running: res.Status == finding.ScenarioRunning, Error: res.Error, BrowserDied: res.BrowserDied}
	for _, st := range res.Steps {
		s := Step{Index: st.Index + 1, Line: st.Line, Kind: st.Kind, Description: st.Description, Passed: st.Passed,
			Duration: st.Duration, Screenshot: st.Screenshot, ConsoleErrors: st.ConsoleErrors,
			FailedRequests: st.FailedRequests, Error: st.Error, DOMExcerpt: st.DOMExcerpt}
		if shotURL != nil && st.HasScreenshot {
			s.ScreenshotURL = shotURL(st)
		}
		r.Steps = append(r.Steps, s)
	}
	return r
}

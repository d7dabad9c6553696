package reports

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tiyan/internal/finding"
)

// RunSource is what LoadRunReport reads; a finding.Store is one.
type RunSource interface {
	Run(ctx context.Context, id string) (finding.Run, error)
	RunFindings(ctx context.Context, runID string) ([]finding.Finding, error)
	Finding(ctx context.Context, id int64) (finding.Finding, error)
	Evidence(ctx context.Context, id int64) (finding.Evidence, error)
}

// RunReportOptions tune LoadRunReport. The zero value makes a standalone report with every
// screenshot inlined.
type RunReportOptions struct {
	// BaseURL is copied to RunReport.BaseURL.
	BaseURL string
	// LinkScreenshots leaves the screenshots in the store and links them as
	// EvidenceURL/evidence/ID instead, for pages the web UI serves.
	LinkScreenshots bool
	// EvidenceURL prefixes linked screenshots; "" links them from the site root.
	EvidenceURL string
	// Now stamps RunReport.Generated; nil is time.Now.
	Now func() time.Time
	// Overdue derives each finding's 超期 flag at this instant; zero leaves Finding.Overdue
	// as stored.
	Overdue time.Time
}

// LoadRunReport reads run id, the findings sighted in it, and for each its newest screenshot
// (preferring one this run took). An unknown id is the store's not-found error.
func LoadRunReport(ctx context.Context, src RunSource, id string, opts RunReportOptions) (RunReport, error) {
	run, err := src.Run(ctx, id)
	if err != nil {
		return RunReport{}, err
	}
	fs, err := src.RunFindings(ctx, id)
	if err != nil {
		return RunReport{}, fmt.Errorf("findings of run %s: %w", id, err)
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	r := RunReport{Run: run, BaseURL: opts.BaseURL, Generated: now(), Findings: make([]RunFinding, 0, len(fs))}
	for _, f := range fs {
		rf, err := loadRunFinding(ctx, src, run, f, opts)
		if err != nil {
			return RunReport{}, err
		}
		r.Findings = append(r.Findings, rf)
	}
	return r, nil
}

func loadRunFinding(ctx context.Context, src RunSource, run finding.Run, f finding.Finding, opts RunReportOptions) (RunFinding, error) {
	// Lists carry no evidence; the finding itself has the metadata (not the bytes).
	full, err := src.Finding(ctx, f.ID)
	if err != nil {
		return RunFinding{}, fmt.Errorf("finding #%d of run %s: %w", f.ID, run.ID, err)
	}
	if !opts.Overdue.IsZero() {
		full.Overdue = full.OverdueAt(opts.Overdue)
	}
	rf := RunFinding{Finding: full, New: openedIn(full, run)}
	shot, ok := pickScreenshot(full.Evidence, run.ID)
	switch {
	case !ok:
	case opts.LinkScreenshots:
		rf.ScreenshotURL = strings.TrimSuffix(opts.EvidenceURL, "/") + "/evidence/" + strconv.FormatInt(shot.ID, 10)
	default:
		e, err := src.Evidence(ctx, shot.ID)
		if err != nil {
			return RunFinding{}, fmt.Errorf("screenshot #%d of finding #%d: %w", shot.ID, f.ID, err)
		}
		rf.Screenshot = e.Data
	}
	return rf, nil
}

// openedIn reports whether run opened f: its first sighting falls within the run. Sightings
// are stamped by the run's own clock, so this holds without a per-run flag in the store.
func openedIn(f finding.Finding, run finding.Run) bool {
	if f.FirstSeen.Before(run.Started) {
		return false
	}
	return run.Finished.IsZero() || !f.FirstSeen.After(run.Finished)
}

// pickScreenshot returns the newest screenshot the run took, else the newest of any run: the
// picture shows the page as this run saw it whenever the store still has it.
func pickScreenshot(evs []finding.Evidence, runID string) (finding.Evidence, bool) {
	var best, bestOfRun finding.Evidence
	var found, ofRun bool
	for _, e := range evs {
		if e.Kind != finding.EvidenceScreenshot {
			continue
		}
		if !found || newer(e, best) {
			best, found = e, true
		}
		if runID != "" && e.RunID == runID && (!ofRun || newer(e, bestOfRun)) {
			bestOfRun, ofRun = e, true
		}
	}
	if ofRun {
		return bestOfRun, true
	}
	return best, found
}

func newer(a, b finding.Evidence) bool {
	if !a.Created.Equal(b.Created) {
		return a.Created.After(b.Created)
	}
	return a.ID > b.ID
}

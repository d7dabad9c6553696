package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
	"tiyan/reports"
)

// runsListed is how many runs the runs page lists, newest first.
const runsListed = 100

// runsView is the runs page.
type runsView struct {
	layout
	Runs []runRow
}

type runRow struct {
	ID, URL, Kind, Site, Channels string
	Status, StatusClass           string
	Started, Finished             string
	Done, Total, Findings, Errors int
}

func (s *Server) runsPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userOf(r)
	if !auth.Allows(u, auth.Runs) {
		s.fail(w, r, auth.Forbidden(u, auth.Runs))
		return
	}
	runs, err := s.store.Runs(r.Context(), finding.RunFilter{Limit: runsListed})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := runsView{layout: s.layout(r, "体验记录", "runs")}
	for _, run := range runs {
		v.Runs = append(v.Runs, s.runRow(run))
	}
	s.render(w, r, http.StatusOK, "runs", v)
}

func (s *Server) runRow(run finding.Run) runRow {
	chs := make([]string, 0, len(run.Channels))
	for _, c := range run.Channels {
		chs = append(chs, finding.Channel(c).Label())
	}
	return runRow{
		ID: run.ID, URL: s.runURL(run), Kind: reports.RunKindLabel(run.Kind),
		Site: run.Site, Channels: strings.Join(chs, "、"),
		Status: reports.RunStatusLabel(run.Status), StatusClass: "run-" + run.Status,
		Started: finding.FormatTime(run.Started), Finished: finding.FormatTime(run.Finished),
		Done: run.Done, Total: run.Total, Findings: run.Findings, Errors: len(run.Errors),
	}
}

// runURL is where a run's report is: a scenario run's step report, any other run's run report.
func (s *Server) runURL(run finding.Run) string {
	if run.Kind == finding.RunScenario {
		return s.scenarioRunURL(run.ID)
	}
	return s.path("/runs/" + url.PathEscape(run.ID))
}

// runReport serves the run report of package reports, the same document `tiyan report run`
// writes, except that screenshots link to /evidence rather than being inlined: a whole sweep's
// screenshots inline would make a page of tens of megabytes.
func (s *Server) runReport(w http.ResponseWriter, r *http.Request) {
	if err := s.checkRunReport(r); err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := reports.LoadRunReport(r.Context(), s.store, r.PathValue("id"), reports.RunReportOptions{
		BaseURL: s.reportBase(), LinkScreenshots: true, EvidenceURL: s.base, Now: s.now, Overdue: s.now(),
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := reports.WriteRunReport(&buf, rep); err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", reportCSP(buf.Bytes()))
	h.Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(w)
}

// checkRunReport lets the user read a run's report only if every finding it lists is one they
// may see: the report is the sweep's whole, not narrowed to a jurisdiction.
func (s *Server) checkRunReport(r *http.Request) error {
	u, _ := userOf(r)
	if !auth.Allows(u, auth.Runs) {
		return auth.Forbidden(u, auth.Runs)
	}
	if u.Role == finding.RoleAdmin {
		return nil
	}
	fs, err := s.store.RunFindings(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	for _, f := range fs {
		if !auth.Visible(u, f) {
			return finding.Errorf(finding.EFORBIDDEN, "运行 %s 的报告包含您管辖范围以外的问题，请在问题清单中查看本辖区的问题，或请管理员查看该报告", r.PathValue("id"))
		}
	}
	return nil
}

// reportBase is what the run report's finding links start with: the whole BaseURL when one is
// configured, else the site root.
func (s *Server) reportBase() string {
	if s.baseURL != "" {
		return s.baseURL
	}
	return s.base + "/"
}

// styleBlock finds the run report's one inline stylesheet.
var styleBlock = regexp.MustCompile(`(?s)<style>(.*?)</style>`)

// reportCSP is the policy for a run report: self-contained, so nothing but its own inline
// stylesheet, allowed by its hash rather than by 'unsafe-inline', and images from here.
func reportCSP(page []byte) string {
	csp := "default-src 'none'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	if m := styleBlock.FindSubmatch(page); m != nil {
		sum := sha256.Sum256(m[1])
		csp += "; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	return csp
}

package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
)

// domLimit bounds the DOM excerpt shown on a finding's page; the whole of it is a download.
const domLimit = 32 << 10

// evidenceListed is how many pieces of evidence a finding's page lists: a finding seen every
// night for months has hundreds, and the newest say the most.
const evidenceListed = 30

// findingView is a finding's page.
type findingView struct {
	layout
	Done                   string // what the action just taken did, shown once after it
	Actions                []actionLink
	Row                    findingRow
	Kind, Rule, Detail     string
	URL, Fingerprint       string
	Jurisdiction, Scenario string
	Officer                string
	Occurrences            int
	FirstSeen              string
	DeadlineNote           string
	RecurrenceOf           int64
	RecurrenceURL          string
	RunID, RunURL          string
	Measured               []measure
	Affected               []finding.AffectedItem // the items a site or template finding affects
	DOM                    string
	DOMClipped             bool
	DOMURL                 string
	Screenshot             *screenshotView
	Evidence               []evidenceRow
	EvidenceTotal          int
	Events                 []eventRow
}

type screenshotView struct {
	URL, Alt, Caption string
	Phone             bool
}

type evidenceRow struct {
	URL, Kind, Name, Size, Created, RunID string
}

type eventRow struct {
	At, Actor, Action, Transition, Note string
}

func (s *Server) findingPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userOf(r)
	f, err := s.visibleFinding(r, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.findingView(r, u, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "finding", v)
}

// visibleFinding returns the finding the path names if u may see it; one u may not see is
// not found, page and API alike.
func (s *Server) visibleFinding(r *http.Request, u finding.User) (finding.Finding, error) {
	id, err := pathID(r, "问题")
	if err != nil {
		return finding.Finding{}, err
	}
	f, err := s.loop.Show(r.Context(), id)
	if err != nil {
		return f, err
	}
	return f, auth.Check(u, auth.View, f)
}

// pathID reads the {id} of the path; anything but a positive number names nothing there.
func pathID(r *http.Request, what string) (int64, error) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(strings.TrimPrefix(raw, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, finding.Errorf(finding.ENOTFOUND, "%s编号 %q 无效，编号应为正整数", what, raw)
	}
	return id, nil
}

func (s *Server) findingView(r *http.Request, u finding.User, f finding.Finding) (findingView, error) {
	ctx := r.Context()
	now := s.now()
	v := findingView{
		layout: s.layout(r, fmt.Sprintf("问题 #%d：%s", f.ID, f.Title), "findings"),
		Done:   doneText[r.URL.Query().Get("done")], Actions: s.offeredActions(u, f),
		Row: s.findingRow(f, now), Kind: f.Kind.Label(), Rule: f.Rule, Detail: f.Detail, URL: f.URL,
		Fingerprint: f.Fingerprint, Jurisdiction: jurisdictionText(f.Jurisdiction), Scenario: f.Scenario,
		Officer: f.Officer, Occurrences: f.Occurrences, FirstSeen: finding.FormatTime(f.FirstSeen),
		DeadlineNote: f.DeadlineNote, RecurrenceOf: f.RecurrenceOf, RunID: f.RunID,
		Measured: measures(f.Measured), Affected: finding.AffectedItems(f.Measured), Screenshot: s.screenshot(f), EvidenceTotal: len(f.Evidence),
	}
	if f.RecurrenceOf != 0 {
		v.RecurrenceURL = s.path("/findings/" + strconv.FormatInt(f.RecurrenceOf, 10))
	}
	if f.RunID != "" {
		v.RunURL = s.path("/runs/" + url.PathEscape(f.RunID))
	}
	v.Evidence = s.evidenceRows(f.Evidence)
	v.Events = eventRows(f.Events)
	if err := s.loadDOM(ctx, f, &v); err != nil {
		return v, err
	}
	return v, nil
}

func jurisdictionText(code string) string {
	if name := finding.JurisdictionName(code); name != "" {
		return name + "（" + code + "）"
	}
	return code
}

// screenshot picks the picture to show large: the newest annotated screenshot, else for a
// manual report the newest photo.
func (s *Server) screenshot(f finding.Finding) *screenshotView {
	e, ok := newest(f.Evidence, func(e finding.Evidence) bool { return e.Kind == finding.EvidenceScreenshot })
	if !ok {
		e, ok = newest(f.Evidence, func(e finding.Evidence) bool {
			return e.Kind == finding.EvidencePhoto && inlineImage(e.ContentType)
		})
	}
	if !ok {
		return nil
	}
	caption := evidenceKindLabel(e.Kind) + "，" + finding.FormatTime(e.Created)
	if e.RunID != "" {
		caption += "，运行 " + e.RunID
	}
	return &screenshotView{
		URL: s.evidenceURL(e.ID), Alt: fmt.Sprintf("问题 #%d 的%s：%s", f.ID, evidenceKindLabel(e.Kind), f.Title),
		Caption: caption, Phone: f.Channel == finding.H5,
	}
}

func (s *Server) evidenceURL(id int64) string {
	return s.path("/evidence/" + strconv.FormatInt(id, 10))
}

// evidenceRows lists the newest evidence first.
func (s *Server) evidenceRows(evs []finding.Evidence) []evidenceRow {
	sorted := slices.Clone(evs)
	slices.SortStableFunc(sorted, func(a, b finding.Evidence) int { return b.Created.Compare(a.Created) })
	out := make([]evidenceRow, 0, min(len(sorted), evidenceListed))
	for _, e := range sorted[:min(len(sorted), evidenceListed)] {
		out = append(out, evidenceRow{
			URL: s.evidenceURL(e.ID), Kind: evidenceKindLabel(e.Kind), Name: e.Name, Size: humanSize(e.Size),
			Created: finding.FormatTime(e.Created), RunID: e.RunID,
		})
	}
	return out
}

func eventRows(evs []finding.Event) []eventRow {
	out := make([]eventRow, 0, len(evs))
	for _, e := range evs {
		row := eventRow{At: finding.FormatTime(e.At), Actor: e.Actor, Action: e.Action.Label(), Note: e.Note}
		// The event that opened the finding has no "from": its action says it all.
		if e.From != "" {
			row.Transition = e.From.Label() + " → " + e.To.Label()
		}
		out = append(out, row)
	}
	return out
}

// loadDOM reads the newest DOM excerpt into v, clipped: the page shows the part around the
// problem, the download has all of it.
func (s *Server) loadDOM(ctx context.Context, f finding.Finding, v *findingView) error {
	meta, ok := newest(f.Evidence, func(e finding.Evidence) bool { return e.Kind == finding.EvidenceDOM })
	if !ok {
		return nil
	}
	e, err := s.store.Evidence(ctx, meta.ID)
	if err != nil {
		return fmt.Errorf("DOM excerpt of finding #%d: %w", f.ID, err)
	}
	v.DOM, v.DOMClipped = clip(string(e.Data), domLimit)
	v.DOMURL = s.evidenceURL(e.ID)
	return nil
}

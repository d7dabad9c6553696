package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
)

// pageSize is how many findings one page of the list shows.
const pageSize = 50

// maxPage bounds the page number: deeper pages are reached by narrowing the filters, and an
// offset of millions would make the database skip millions of rows.
const maxPage = 2000

// listQuery is the findings list's query string, as the filter form and the status tabs send
// it: ?status=&category=&severity=&channel=&source=&unit=&zone=&overdue=1&page=. The API
// reads the same parameters.
type listQuery struct {
	Status   finding.Status
	Category finding.Category
	Severity finding.Severity
	Channel  finding.Channel
	Source   finding.Source
	UnitID   int64
	Zone     string // a jurisdiction code: that zone and the zones below it
	Overdue  bool
	Page     int // 1-based
}

func parseListQuery(q url.Values) (listQuery, error) {
	lq := listQuery{Page: 1}
	for _, err := range []error{
		parseEnum(q, "status", finding.ParseStatus, &lq.Status),
		parseEnum(q, "category", finding.ParseCategory, &lq.Category),
		parseEnum(q, "severity", finding.ParseSeverity, &lq.Severity),
		parseEnum(q, "channel", finding.ParseChannel, &lq.Channel),
		parseEnum(q, "source", finding.ParseSource, &lq.Source),
		parsePositive(q, "unit", "单位编号", &lq.UnitID),
		parseZone(q, "zone", &lq.Zone),
		parseFlag(q, "overdue", "只看超期", &lq.Overdue),
	} {
		if err != nil {
			return lq, err
		}
	}
	var page int64
	if err := parsePositive(q, "page", "页码", &page); err != nil {
		return lq, err
	}
	if page > 0 {
		lq.Page = int(min(page, maxPage))
	}
	return lq, nil
}

// parseEnum reads an optional enum parameter; the domain's parser accepts the code or the
// Chinese label and says in Chinese what is allowed.
func parseEnum[T ~string](q url.Values, key string, parse func(string) (T, error), dst *T) error {
	v := strings.TrimSpace(q.Get(key))
	if v == "" {
		return nil
	}
	t, err := parse(v)
	*dst = t
	return err
}

func parsePositive(q url.Values, key, what string, dst *int64) error {
	v := strings.TrimSpace(q.Get(key))
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return finding.Errorf(finding.EINVALID, "%s %q 应为正整数", what, v)
	}
	*dst = n
	return nil
}

func parseZone(q url.Values, key string, dst *string) error {
	v := strings.TrimSpace(q.Get(key))
	if v == "" {
		return nil
	}
	if !finding.ValidZone(v) {
		return finding.Errorf(finding.EINVALID, "行政区划代码 %q 应为 6 位或 12 位数字（如六安市 341500）", v)
	}
	*dst = v
	return nil
}

func parseFlag(q url.Values, key, what string, dst *bool) error {
	switch v := strings.TrimSpace(q.Get(key)); v {
	case "", "0", "false":
		*dst = false
	case "1", "true", "on":
		*dst = true
	default:
		return finding.Errorf(finding.EINVALID, "“%s”应为 1 或 0，收到 %q", what, v)
	}
	return nil
}

// values is the query string of q, without defaults, so links stay short.
func (q listQuery) values() url.Values {
	v := url.Values{}
	set := func(key, val string) {
		if val != "" {
			v.Set(key, val)
		}
	}
	set("status", string(q.Status))
	set("category", string(q.Category))
	set("severity", string(q.Severity))
	set("channel", string(q.Channel))
	set("source", string(q.Source))
	set("zone", q.Zone)
	if q.UnitID != 0 {
		v.Set("unit", strconv.FormatInt(q.UnitID, 10))
	}
	if q.Overdue {
		v.Set("overdue", "1")
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	return v
}

// query is the store query of q, without paging: nearest deadline first.
func (q listQuery) query(now time.Time) finding.Query {
	f := finding.FindingFilter{Category: q.Category, Severity: q.Severity, Channel: q.Channel, Source: q.Source,
		UnitID: q.UnitID, Order: finding.ByDeadline}
	if q.Status != "" {
		f.Status = []finding.Status{q.Status}
	}
	if q.Overdue {
		f.OverdueAt = now
	}
	return finding.Query{FindingFilter: f, Zone: q.Zone}
}

func (s *Server) listURL(q listQuery) string {
	if v := q.values(); len(v) > 0 {
		return s.path("/findings") + "?" + v.Encode()
	}
	return s.path("/findings")
}

// findingsView is the findings list page.
type findingsView struct {
	layout
	Query                  listQuery
	Tabs                   []statusTab
	Categories, Severities []option
	Channels, Sources      []option
	Units, Zones           []option // nil: the filter is not offered (a unit sees only its own)
	Total                  int      // findings that match, on all pages
	Rows                   []findingRow
	Pager                  pager
	Filtered               bool   // a filter beyond the status is on
	ClearURL               string // the list with the status kept and the other filters off
}

// statusTab is one "status (count)" link above the list.
type statusTab struct {
	Label   string
	Count   int
	URL     string
	Current bool
}

// pager links the pages of the list.
type pager struct {
	Page, Pages int
	Prev, Next  string
}

func (s *Server) findingsPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userOf(r)
	q, err := parseListQuery(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.findingsView(r, u, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "findings", v)
}

// inbox is one page of the findings u may see that q selects, with the counts per status of
// q's other filters: what both the list page and the API answer.
type inbox struct {
	Counts   map[finding.Status]int
	All      int // every status
	Total    int // the status q is on
	Findings []finding.Finding
}

// listInbox answers q for u with two queries: one grouped count and one page of findings, both
// narrowed to what u may see in the database.
func (s *Server) listInbox(ctx context.Context, u finding.User, q listQuery, limit int) (inbox, error) {
	now := s.now()
	in := inbox{Counts: map[finding.Status]int{}}
	all := q.query(now)
	all.Status = nil
	all, ok := auth.Narrow(u, all)
	if !ok {
		return in, nil
	}
	counts, err := s.query.CountByStatus(ctx, all)
	if err != nil {
		return in, err
	}
	for _, c := range counts {
		in.Counts[c.Status] = c.Count
		in.All += c.Count
	}
	in.Total = in.All
	if q.Status != "" {
		in.Total = in.Counts[q.Status]
	}
	page, ok := auth.Narrow(u, q.query(now))
	if !ok || in.Total == 0 {
		return in, nil
	}
	page.Limit, page.Offset = limit, (q.Page-1)*limit
	if in.Findings, err = s.query.QueryFindings(ctx, page); err != nil {
		return in, err
	}
	for i := range in.Findings {
		in.Findings[i].Overdue = in.Findings[i].OverdueAt(now)
	}
	return in, nil
}

func (s *Server) findingsView(r *http.Request, u finding.User, q listQuery) (findingsView, error) {
	ctx := r.Context()
	in, err := s.listInbox(ctx, u, q, pageSize)
	if err != nil {
		return findingsView{}, err
	}
	units, err := s.unitOptions(ctx, u, q.UnitID)
	if err != nil {
		return findingsView{}, err
	}
	v := findingsView{
		layout: s.layout(r, "问题清单", "findings"), Query: q, Tabs: s.statusTabs(u, q, in), Total: in.Total,
		Units: units, Zones: zoneOptions(u, q.Zone),
		Categories: enumOptions(categoryOrder, q.Category), Severities: enumOptions(severityOrder, q.Severity),
		Channels: enumOptions(channelOrder, q.Channel), Sources: enumOptions(sourceOrder, q.Source),
		Pager:    s.pager(q, in.Total),
		Filtered: q.Category != "" || q.Severity != "" || q.Channel != "" || q.Source != "" || q.UnitID != 0 || q.Zone != "" || q.Overdue,
		ClearURL: s.listURL(listQuery{Status: q.Status, Page: 1}),
	}
	now := s.now()
	for _, f := range in.Findings {
		v.Rows = append(v.Rows, s.findingRow(f, now))
	}
	return v, nil
}

// statusTabs are "全部" and one tab per status u may see, each keeping q's other filters.
func (s *Server) statusTabs(u finding.User, q listQuery, in inbox) []statusTab {
	all := q
	all.Status, all.Page = "", 1
	tabs := []statusTab{{Label: "全部", Count: in.All, URL: s.listURL(all), Current: q.Status == ""}}
	for _, st := range statusOrder {
		if _, ok := auth.Narrow(u, finding.Query{FindingFilter: finding.FindingFilter{Status: []finding.Status{st}}}); !ok {
			continue // a unit never sees found or dismissed findings
		}
		tq := all
		tq.Status = st
		tabs = append(tabs, statusTab{Label: st.Label(), Count: in.Counts[st], URL: s.listURL(tq), Current: q.Status == st})
	}
	return tabs
}

// unitOptions are the units u may filter by: all for an admin or an officer, those of their
// jurisdiction for staff, none for a unit (it sees only its own).
func (s *Server) unitOptions(ctx context.Context, u finding.User, selected int64) ([]option, error) {
	if u.Role == finding.RoleUnit {
		return nil, nil
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	out := []option{}
	for _, un := range units {
		if u.Role == finding.RoleStaff && !auth.InScope(u, un.Jurisdiction) {
			continue
		}
		out = append(out, option{Value: strconv.FormatInt(un.ID, 10), Label: un.Name, Selected: un.ID == selected})
	}
	return out, nil
}

// zoneOptions are the jurisdictions u may filter by: 六安市 and its districts and counties,
// those within their own for staff; none for a unit.
func zoneOptions(u finding.User, selected string) []option {
	if u.Role == finding.RoleUnit {
		return nil
	}
	out := []option{}
	for _, j := range finding.Jurisdictions() {
		if !auth.InScope(u, j.Code) {
			continue
		}
		out = append(out, option{Value: j.Code, Label: j.Name, Selected: j.Code == selected})
	}
	return out
}

func (s *Server) pager(q listQuery, total int) pager {
	p := pager{Page: q.Page, Pages: min(max(1, (total+pageSize-1)/pageSize), maxPage)}
	if q.Page > 1 {
		prev := q
		prev.Page = min(q.Page-1, p.Pages)
		p.Prev = s.listURL(prev)
	}
	if q.Page < p.Pages {
		next := q
		next.Page = q.Page + 1
		p.Next = s.listURL(next)
	}
	return p
}

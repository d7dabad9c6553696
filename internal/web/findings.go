package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tiyan/internal/finding"
)

// pageSize is how many findings one page of the list shows.
const pageSize = 50

// listQuery is the findings list's query string, as the filter form and the status tabs send
// it: ?status=&category=&severity=&channel=&unit=&overdue=1&page=.
type listQuery struct {
	Status   finding.Status
	Category finding.Category
	Severity finding.Severity
	Channel  finding.Channel
	UnitID   int64
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
		parsePositive(q, "unit", "单位编号", &lq.UnitID),
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
		lq.Page = int(min(page, 1<<20))
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

// filter is the store filter of q, without paging: nearest deadline first.
func (q listQuery) filter(now time.Time) finding.FindingFilter {
	f := finding.FindingFilter{Category: q.Category, Severity: q.Severity, Channel: q.Channel, UnitID: q.UnitID, Order: finding.ByDeadline}
	if q.Status != "" {
		f.Status = []finding.Status{q.Status}
	}
	if q.Overdue {
		f.OverdueAt = now
	}
	return f
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
	Channels, Units        []option
	Total                  int // findings that match, on all pages
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
	q, err := parseListQuery(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.findingsView(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "findings", v)
}

func (s *Server) findingsView(ctx context.Context, q listQuery) (findingsView, error) {
	now := s.now()
	tabs, total, err := s.statusTabs(ctx, q, now)
	if err != nil {
		return findingsView{}, err
	}
	filter := q.filter(now)
	filter.Limit, filter.Offset = pageSize, (q.Page-1)*pageSize
	fs, err := s.loop.List(ctx, filter)
	if err != nil {
		return findingsView{}, err
	}
	units, err := s.unitOptions(ctx, q.UnitID)
	if err != nil {
		return findingsView{}, err
	}
	v := findingsView{
		layout: s.layout("问题清单", "findings"), Query: q, Tabs: tabs, Total: total, Units: units,
		Categories: enumOptions(categoryOrder, q.Category), Severities: enumOptions(severityOrder, q.Severity),
		Channels: enumOptions(channelOrder, q.Channel), Pager: s.pager(q, total),
		Filtered: q.Category != "" || q.Severity != "" || q.Channel != "" || q.UnitID != 0 || q.Overdue,
		ClearURL: s.listURL(listQuery{Status: q.Status, Page: 1}),
	}
	for _, f := range fs {
		v.Rows = append(v.Rows, s.findingRow(f, now))
	}
	return v, nil
}

// statusTabs counts the findings that match q's other filters in each status, and returns the
// count of the tab q is on.
func (s *Server) statusTabs(ctx context.Context, q listQuery, now time.Time) ([]statusTab, int, error) {
	all := q
	all.Status, all.Page = "", 1
	base := all.filter(now)
	n, err := s.store.CountFindings(ctx, base)
	if err != nil {
		return nil, 0, err
	}
	tabs := []statusTab{{Label: "全部", Count: n, URL: s.listURL(all), Current: q.Status == ""}}
	current := n
	for _, st := range statusOrder {
		f := base
		f.Status = []finding.Status{st}
		c, err := s.store.CountFindings(ctx, f)
		if err != nil {
			return nil, 0, err
		}
		tq := all
		tq.Status = st
		tabs = append(tabs, statusTab{Label: st.Label(), Count: c, URL: s.listURL(tq), Current: q.Status == st})
		if q.Status == st {
			current = c
		}
	}
	return tabs, current, nil
}

func (s *Server) unitOptions(ctx context.Context, selected int64) ([]option, error) {
	units, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]option, 0, len(units))
	for _, u := range units {
		out = append(out, option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name, Selected: u.ID == selected})
	}
	return out, nil
}

func (s *Server) pager(q listQuery, total int) pager {
	p := pager{Page: q.Page, Pages: max(1, (total+pageSize-1)/pageSize)}
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

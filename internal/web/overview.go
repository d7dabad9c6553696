package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
)

// The overview: open and overdue findings by unit, each channel's availability over the last
// 30 days, and findings per category per week, all narrowed to what the viewer may see. The
// charts are inline SVG drawn on the server: no script, and a table beside each says the same
// in words.

const (
	availabilityDays = 30
	trendWeeks       = 12
	unitsShown       = 15
)

// overview is the overview's data; the API answers it as it is.
type overview struct {
	Scope         string                `json:"scope"`
	Open          int                   `json:"open"`
	Overdue       int                   `json:"overdue"`
	OpenByUnit    []finding.UnitCount   `json:"open_by_unit"`
	OverdueByUnit []finding.UnitCount   `json:"overdue_by_unit"`
	Availability  []channelAvailability `json:"availability"`
	Weeks         []weekCount           `json:"found_per_week"`
}

// channelAvailability is one channel's days. A day's availability is the share of the pages
// tiyan's sweeps opened that day on the channel that did not show a blocking channel problem
// (无法访问、报错、入口失效……) within the viewer's reach.
type channelAvailability struct {
	Channel finding.Channel   `json:"channel"`
	Label   string            `json:"label"`
	Days    []availabilityDay `json:"days"`
}

type availabilityDay struct {
	Day         string   `json:"day"`
	Probed      int      `json:"probed"`      // pages opened by sweeps
	Unavailable int      `json:"unavailable"` // of those, pages with a blocking channel problem
	Percent     *float64 `json:"percent"`     // available share; null without probes
}

// weekCount is the findings first seen in one week (Monday to Sunday), by category.
type weekCount struct {
	Week   string                   `json:"week"` // its Monday
	Counts map[finding.Category]int `json:"counts"`
	Total  int                      `json:"total"`
}

func (s *Server) overview(ctx context.Context, u finding.User) (overview, error) {
	now := s.now()
	o := overview{Scope: scopeText(u), OpenByUnit: []finding.UnitCount{}, OverdueByUnit: []finding.UnitCount{}}
	var err error
	if o.OpenByUnit, o.Open, err = s.countByUnit(ctx, u, finding.FindingFilter{Open: true}); err != nil {
		return o, err
	}
	if o.OverdueByUnit, o.Overdue, err = s.countByUnit(ctx, u, finding.FindingFilter{OverdueAt: now}); err != nil {
		return o, err
	}
	if o.Availability, err = s.availability(ctx, u, now); err != nil {
		return o, err
	}
	o.Weeks, err = s.weeks(ctx, u, now)
	return o, err
}

func (s *Server) countByUnit(ctx context.Context, u finding.User, f finding.FindingFilter) ([]finding.UnitCount, int, error) {
	q, ok := auth.Narrow(u, finding.Query{FindingFilter: f})
	if !ok {
		return []finding.UnitCount{}, 0, nil
	}
	cs, err := s.query.CountByUnit(ctx, q)
	total := 0
	for i := range cs {
		total += cs[i].Count
		if cs[i].UnitID == 0 {
			cs[i].Unit = "未确定责任单位"
		}
	}
	if cs == nil {
		cs = []finding.UnitCount{}
	}
	return cs, total, err
}

// availability works out the last 30 days per channel: pages opened from the sweeps' runs,
// unavailable pages from the sightings of blocking channel findings the viewer may see.
func (s *Server) availability(ctx context.Context, u finding.User, now time.Time) ([]channelAvailability, error) {
	first := finding.Day(now).AddDate(0, 0, -(availabilityDays - 1))
	runs, err := s.query.RunsSince(ctx, first)
	if err != nil {
		return nil, err
	}
	probed := map[finding.Channel]map[string]int{}
	for _, run := range runs {
		if run.Kind != finding.RunSweep || len(run.Channels) == 0 {
			continue
		}
		day := finding.FormatDate(run.Started)
		for i, ch := range run.Channels {
			// A sweep opens every item on each of its channels; the remainder of an uneven
			// split goes to the first.
			n := run.Done / len(run.Channels)
			if i == 0 {
				n += run.Done % len(run.Channels)
			}
			c := finding.Channel(ch)
			if probed[c] == nil {
				probed[c] = map[string]int{}
			}
			probed[c][day] += n
		}
	}
	down := map[finding.Channel]map[string]int{}
	if q, ok := auth.Narrow(u, finding.Query{FindingFilter: finding.FindingFilter{Category: finding.CatChannel, Severity: finding.Blocker}}); ok {
		days, err := s.query.SightedPerDay(ctx, q, first)
		if err != nil {
			return nil, err
		}
		for _, d := range days {
			if down[d.Channel] == nil {
				down[d.Channel] = map[string]int{}
			}
			down[d.Channel][finding.FormatDate(d.Day)] += d.Count
		}
	}
	out := []channelAvailability{}
	for _, ch := range []finding.Channel{finding.PC, finding.H5} {
		ca := channelAvailability{Channel: ch, Label: ch.Label()}
		for i := range availabilityDays {
			day := finding.FormatDate(first.AddDate(0, 0, i))
			d := availabilityDay{Day: day, Probed: probed[ch][day], Unavailable: min(down[ch][day], probed[ch][day])}
			if d.Probed > 0 {
				p := float64(d.Probed-d.Unavailable) * 100 / float64(d.Probed)
				d.Percent = &p
			}
			ca.Days = append(ca.Days, d)
		}
		out = append(out, ca)
	}
	return out, nil
}

// weeks counts the findings first seen in each of the last 12 weeks, by category.
func (s *Server) weeks(ctx context.Context, u finding.User, now time.Time) ([]weekCount, error) {
	monday := finding.Day(now)
	monday = monday.AddDate(0, 0, -((int(monday.Weekday()) + 6) % 7))
	first := monday.AddDate(0, 0, -7*(trendWeeks-1))
	out := make([]weekCount, trendWeeks)
	for i := range out {
		out[i] = weekCount{Week: finding.FormatDate(first.AddDate(0, 0, 7*i)), Counts: map[finding.Category]int{}}
	}
	q, ok := auth.Narrow(u, finding.Query{})
	if !ok {
		return out, nil
	}
	days, err := s.query.FoundPerDay(ctx, q, first)
	if err != nil {
		return nil, err
	}
	for _, d := range days {
		i := int(finding.Day(d.Day).Sub(first).Hours()/24) / 7
		if i < 0 || i >= trendWeeks {
			continue
		}
		out[i].Counts[d.Category] += d.Count
		out[i].Total += d.Count
	}
	return out, nil
}

// The page's view: the same data, with the charts' geometry worked out.

type overviewView struct {
	layout
	overview
	FindingsURL   string
	OpenRows      []unitRow
	OverdueRows   []unitRow
	Charts        []availabilityChart
	Trend         trendChart
	CategoryNames []legendEntry
}

type unitRow struct {
	Name, URL string
	Count     int
	Width     string // of its bar, in percent of the largest
}

type availabilityChart struct {
	ID, Label, Summary string
	Bars               []svgBar
	Days               []availabilityDay
	Rows               []availabilityRow
}

type availabilityRow struct{ Day, Percent, Probed, Unavailable string }

type svgBar struct {
	X, Y, W, H string
	Fill       string
	Title      string
}

type trendChart struct {
	Bars   []svgBar
	Labels []svgLabel
	Rows   []trendRow
	Max    int
}

type svgLabel struct{ X, Y, Text string }

type trendRow struct {
	Week   string
	Counts []int
	Total  int
}

type legendEntry struct{ Label, Fill string }

// categoryFill colours each category in the trend chart (each meets 3:1 against white).
var categoryFill = map[finding.Category]string{
	finding.CatChannel: "#a40e26", finding.CatGuide: "#0550ae", finding.CatLayout: "#7d4e00",
	finding.CatService: "#116329", finding.CatSuggestion: "#6639ba",
}

func (s *Server) overviewPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userOf(r)
	o, err := s.overview(r.Context(), u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := overviewView{layout: s.layout(r, "总览", "overview"), overview: o, FindingsURL: s.path("/findings"),
		OpenRows: s.unitRows(o.OpenByUnit, ""), OverdueRows: s.unitRows(o.OverdueByUnit, "&overdue=1"), Trend: trend(o.Weeks)}
	for _, c := range categoryOrder {
		v.CategoryNames = append(v.CategoryNames, legendEntry{Label: c.Label(), Fill: categoryFill[c]})
	}
	for _, ca := range o.Availability {
		v.Charts = append(v.Charts, availabilityChartOf(ca))
	}
	s.render(w, r, http.StatusOK, "overview", v)
}

// unitRows are the first units of counts, each linking to its findings.
func (s *Server) unitRows(counts []finding.UnitCount, extra string) []unitRow {
	var out []unitRow
	top := 1
	for _, c := range counts {
		top = max(top, c.Count)
	}
	for i, c := range counts {
		if i == unitsShown {
			rest := 0
			for _, more := range counts[i:] {
				rest += more.Count
			}
			out = append(out, unitRow{Name: fmt.Sprintf("其他 %d 个单位", len(counts)-i), Count: rest})
			break
		}
		row := unitRow{Name: c.Unit, Count: c.Count, Width: pct(float64(c.Count) * 100 / float64(top))}
		if c.UnitID != 0 {
			row.URL = s.path("/findings?unit=" + strconv.FormatInt(c.UnitID, 10) + extra)
		}
		out = append(out, row)
	}
	return out
}

// availabilityChartOf draws 30 daily bars in a 300×100 box: the bar's height is the day's
// availability from 80% (empty) to 100% (full), so that the dips people must see are not
// flattened against the top; a day without sweeps is a short grey tick.
func availabilityChartOf(ca channelAvailability) availabilityChart {
	c := availabilityChart{ID: "avail-" + string(ca.Channel), Label: ca.Label, Days: ca.Days}
	var sum float64
	var n int
	for i, d := range ca.Days {
		x := pct(float64(i) * 10)
		row := availabilityRow{Day: d.Day, Probed: strconv.Itoa(d.Probed), Unavailable: strconv.Itoa(d.Unavailable), Percent: "无数据"}
		if d.Percent == nil {
			c.Bars = append(c.Bars, svgBar{X: x, Y: "97", W: "8", H: "3", Fill: "#8c959f", Title: d.Day + "：无体验数据"})
			c.Rows = append(c.Rows, row)
			continue
		}
		p := *d.Percent
		sum, n = sum+p, n+1
		h := max(2, min(100, (p-80)*5))
		fill := "#116329"
		if p < 95 {
			fill = "#a40e26"
		}
		row.Percent = fmt.Sprintf("%.1f%%", p)
		c.Bars = append(c.Bars, svgBar{X: x, Y: pct(100 - h), W: "8", H: pct(h), Fill: fill,
			Title: fmt.Sprintf("%s：可用率 %.1f%%（体验 %d 个页面，%d 个不可用）", d.Day, p, d.Probed, d.Unavailable)})
		c.Rows = append(c.Rows, row)
	}
	if n == 0 {
		c.Summary = "近 30 天没有体验数据。"
	} else {
		c.Summary = fmt.Sprintf("近 30 天有 %d 天有体验数据，平均可用率 %.1f%%。", n, sum/float64(n))
	}
	return c
}

// trend draws one stacked bar per week in a 360×120 box, categories in categoryOrder.
func trend(weeks []weekCount) trendChart {
	t := trendChart{Max: 1}
	for _, w := range weeks {
		t.Max = max(t.Max, w.Total)
	}
	for i, w := range weeks {
		x := float64(i)*30 + 4
		y := 110.0
		row := trendRow{Week: w.Week, Total: w.Total}
		for _, c := range categoryOrder {
			n := w.Counts[c]
			row.Counts = append(row.Counts, n)
			if n == 0 {
				continue
			}
			h := float64(n) * 100 / float64(t.Max)
			y -= h
			t.Bars = append(t.Bars, svgBar{X: pct(x), Y: pct(y), W: "22", H: pct(h), Fill: categoryFill[c],
				Title: fmt.Sprintf("%s 当周 %s：%d 个", w.Week, c.Label(), n)})
		}
		t.Rows = append(t.Rows, row)
		if i%2 == 0 {
			t.Labels = append(t.Labels, svgLabel{X: pct(x + 11), Y: "120", Text: w.Week[5:]})
		}
	}
	return t
}

// pct writes a chart coordinate with at most one decimal.
func pct(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

package loop

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"tiyan/internal/finding"
)

//go:embed calendar.yaml
var shippedCalendar []byte

// Calendar knows which days are working days in China: Monday to Friday, except statutory
// holidays, plus the weekend days declared make-up working days (调休上班). It knows the years
// it has data for; in any other year it counts weekends only, and says so.
type Calendar struct {
	// special maps a day (2006-01-02) to whether it is worked: false for a holiday on a
	// weekday, true for a make-up weekend day. Holidays on weekends are kept too (false).
	special map[string]bool
	years   map[int]string // year → source of its data
	sorted  []specialDay   // the special days that change a count, in order (index)
}

// DefaultCalendar returns the shipped calendar: 2025 and 2026.
func DefaultCalendar() *Calendar {
	c, err := ParseCalendar("calendar.yaml", shippedCalendar)
	if err != nil {
		panic("loop: shipped calendar.yaml: " + err.Error()) // a build defect, caught by tests
	}
	return c
}

// LoadCalendar returns the shipped calendar with the years of the YAML file at path added; a
// year the file has replaces the shipped one.
func LoadCalendar(path string) (*Calendar, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("读取节假日日历 %s：%w", path, err)
	}
	extra, err := ParseCalendar(path, data)
	if err != nil {
		return nil, err
	}
	c := DefaultCalendar()
	c.merge(extra)
	return c, nil
}

// Years lists the years the calendar has data for.
func (c *Calendar) Years() []int {
	ys := make([]int, 0, len(c.years))
	for y := range c.years {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

// Knows reports whether the calendar has the holidays of year.
func (c *Calendar) Knows(year int) bool {
	_, ok := c.years[year]
	return ok
}

// Workday reports whether day (in finding.Zone) is a working day, and whether the calendar knows
// its year; for an unknown year only weekends are days off.
func (c *Calendar) Workday(day time.Time) (work, known bool) {
	d := day.In(finding.Zone)
	if w, ok := c.special[d.Format(time.DateOnly)]; ok {
		return w, true
	}
	weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
	return !weekend, c.Knows(d.Year())
}

// AddWorkdays returns the nth working day after from's day (day 1 is the first working day
// after it), and the years it had to count without holiday data, if any. It counts whole weeks
// at a time and then corrects for the holidays and make-up days in between, so its cost grows
// with the years spanned, not the days.
func (c *Calendar) AddWorkdays(from time.Time, n int) (time.Time, []int) {
	d := finding.Day(from)
	if n <= 0 {
		return d, nil
	}
	// Find the first span k (in days) that holds n working days: double until enough, then
	// bisect. The working days in a span only grow with it, so the smallest such k ends on the
	// nth working day.
	hi := n
	for c.workdaysAfter(d, hi) < n {
		hi *= 2
	}
	lo := 0
	for lo+1 < hi {
		mid := lo + (hi-lo)/2
		if c.workdaysAfter(d, mid) >= n {
			hi = mid
		} else {
			lo = mid
		}
	}
	end := d.AddDate(0, 0, hi)
	var unknown []int
	for y := d.AddDate(0, 0, 1).Year(); y <= end.Year(); y++ {
		if !c.Knows(y) {
			unknown = append(unknown, y)
		}
	}
	return end, unknown
}

// workdaysAfter counts the working days among the k days after d: five in each whole week, the
// weekdays of the rest, then one less for each holiday on a weekday and one more for each
// make-up weekend day in the span.
func (c *Calendar) workdaysAfter(d time.Time, k int) int {
	n := k / 7 * 5
	for i := k/7*7 + 1; i <= k; i++ {
		if wd := d.AddDate(0, 0, i).Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	from, to := d.Format(time.DateOnly), d.AddDate(0, 0, k).Format(time.DateOnly)
	i, _ := slices.BinarySearchFunc(c.sorted, from, func(s specialDay, key string) int { return strings.Compare(s.day, key) })
	for ; i < len(c.sorted) && c.sorted[i].day <= to; i++ {
		if c.sorted[i].day > from {
			n += c.sorted[i].delta
		}
	}
	return n
}

// specialDay is a day whose working status differs from its weekday's: delta is -1 for a
// holiday on a weekday, +1 for a make-up working day on a weekend.
type specialDay struct {
	day   string // 2006-01-02
	delta int
}

// index sorts the special days that change a count, for workdaysAfter.
func (c *Calendar) index() {
	c.sorted = c.sorted[:0]
	for day, work := range c.special {
		t, err := time.ParseInLocation(time.DateOnly, day, finding.Zone)
		if err != nil {
			continue
		}
		weekend := t.Weekday() == time.Saturday || t.Weekday() == time.Sunday
		switch {
		case work && weekend:
			c.sorted = append(c.sorted, specialDay{day, +1})
		case !work && !weekend:
			c.sorted = append(c.sorted, specialDay{day, -1})
		}
	}
	slices.SortFunc(c.sorted, func(a, b specialDay) int { return strings.Compare(a.day, b.day) })
}

func (c *Calendar) merge(o *Calendar) {
	for y := range o.years {
		for day := range c.special {
			if strings.HasPrefix(day, fmt.Sprint(y)+"-") {
				delete(c.special, day)
			}
		}
		c.years[y] = o.years[y]
	}
	for day, w := range o.special {
		c.special[day] = w
	}
	c.index()
}

// calendarFile is the YAML shape of a calendar.
type calendarFile struct {
	Years []calendarYear `yaml:"years"`
}

type calendarYear struct {
	Year     yaml.Node   `yaml:"year"`
	Source   string      `yaml:"source"`
	Holidays []yaml.Node `yaml:"holidays"`
	Workdays []yaml.Node `yaml:"workdays"`
}

// ParseCalendar reads a calendar in the YAML shape of the shipped one (name is for messages).
// Unknown keys, malformed days and a day both off and worked are errors naming name:line:col.
func ParseCalendar(name string, data []byte) (*Calendar, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f calendarFile
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("节假日日历 %s：%w", name, err)
	}
	c := &Calendar{special: map[string]bool{}, years: map[int]string{}}
	for _, y := range f.Years {
		if err := c.addYear(name, y); err != nil {
			return nil, err
		}
	}
	c.index()
	return c, nil
}

func (c *Calendar) addYear(name string, y calendarYear) error {
	var year int
	if err := y.Year.Decode(&year); err != nil || year < 2000 || year > 2100 {
		return posErr(name, &y.Year, "year 应为 2000 到 2100 之间的年份，收到 %q", y.Year.Value)
	}
	if _, dup := c.years[year]; dup {
		return posErr(name, &y.Year, "%d 年出现了两次", year)
	}
	c.years[year] = y.Source
	for _, set := range []struct {
		nodes []yaml.Node
		work  bool
	}{{y.Holidays, false}, {y.Workdays, true}} {
		for i := range set.nodes {
			if err := c.addDays(name, year, &set.nodes[i], set.work); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *Calendar) addDays(name string, year int, n *yaml.Node, work bool) error {
	from, to, ok := strings.Cut(n.Value, "..")
	if !ok {
		to = from
	}
	first, err1 := parseDay(year, from)
	last, err2 := parseDay(year, to)
	if n.Kind != yaml.ScalarNode || err1 != nil || err2 != nil || last.Before(first) {
		return posErr(name, n, "日期 %q 无法识别：应为 %d 年内的 MM-DD、YYYY-MM-DD 或 起..止", n.Value, year)
	}
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		key := d.Format(time.DateOnly)
		if prev, dup := c.special[key]; dup && prev != work {
			return posErr(name, n, "%s 既是放假日又是调休上班日", key)
		}
		c.special[key] = work
	}
	return nil
}

func parseDay(year int, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) == len("01-02") {
		s = fmt.Sprintf("%d-%s", year, s)
	}
	d, err := time.ParseInLocation(time.DateOnly, s, finding.Zone)
	if err == nil && d.Year() != year {
		err = fmt.Errorf("%s is not in %d", s, year)
	}
	return d, err
}

func posErr(name string, n *yaml.Node, format string, args ...any) error {
	return fmt.Errorf("%s:%d:%d: %s", name, n.Line, n.Column, fmt.Sprintf(format, args...))
}

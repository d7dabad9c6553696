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
// after it), and the years it had to count without holiday data, if any.
func (c *Calendar) AddWorkdays(from time.Time, n int) (time.Time, []int) {
	d := finding.Day(from)
	var unknown []int
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		work, known := c.Workday(d)
		if !known && !slices.Contains(unknown, d.Year()) {
			unknown = append(unknown, d.Year())
		}
		if work {
			n--
		}
	}
	return d, unknown
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

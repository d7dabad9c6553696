package finding

import "time"

// Zone is China Standard Time (Asia/Shanghai). China has kept UTC+8 without daylight saving
// since 1991, so a fixed zone is exact and needs no tz database. Deadlines end at the end of a
// day in this zone; dates (terms, activities) are days in this zone.
var Zone = time.FixedZone("Asia/Shanghai", 8*60*60)

// DateLayout is how dates are written: 2026-10-13.
const DateLayout = time.DateOnly

// ParseDate reads a date written as 2026-10-13 and returns its midnight in Zone.
func ParseDate(s string) (time.Time, error) {
	d, err := time.ParseInLocation(DateLayout, s, Zone)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "日期 %q 无法识别，应写作 2026-10-13 这样的年-月-日", s)
	}
	return d, nil
}

// Day returns midnight in Zone of the day t falls on there.
func Day(t time.Time) time.Time {
	y, m, d := t.In(Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Zone)
}

// EndOfDay returns the last second of the day t falls on in Zone: what a deadline "on" a day
// means.
func EndOfDay(t time.Time) time.Time {
	return Day(t).AddDate(0, 0, 1).Add(-time.Second)
}

// FormatDate writes t's day in Zone as 2026-10-13; "" for the zero time.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Zone).Format(DateLayout)
}

// FormatTime writes t in Zone to the minute, for people; "" for the zero time.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Zone).Format("2006-01-02 15:04")
}

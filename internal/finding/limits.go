package finding

import (
	"strings"
	"unicode/utf8"
)

// Limits on the text people type, counted in characters (runes): long enough for any honest
// title, account of a problem, note or name, short enough that nobody can fill the store, the
// pages or Slack with one field. The CLI, the web form and the API meet the same limits here.
const (
	MaxTitle  = 200   // a finding's or an activity's title
	MaxDetail = 5_000 // a finding's detail
	MaxNote   = 2_000 // a note on an event, a dismissal's reason, an activity's note
	MaxName   = 100   // a name: a unit, an officer, an account's display name, an actor
)

// CheckLength refuses s when it has more than max characters, naming the field (what) and the
// limit.
func CheckLength(what, s string, max int) error {
	if n := utf8.RuneCountInString(s); n > max {
		return Errorf(EINVALID, "%s过长：%d 字，最多 %d 字，请精简后重试", what, n, max)
	}
	return nil
}

// Clip cuts s to at most max characters, ending with "…" when it was cut; for text a machine
// wrote (a probe's detail), which is shortened rather than refused.
func Clip(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}

// checkLengths checks several fields, the first too long one refused.
func checkLengths(fields ...lengthCheck) error {
	for _, f := range fields {
		if err := CheckLength(f.what, f.s, f.max); err != nil {
			return err
		}
	}
	return nil
}

type lengthCheck struct {
	what, s string
	max     int
}

package scenarios

import (
	"reflect"
	"regexp"
	"strings"

	"github.com/robfig/cron/v3"
)

// checks are the value rules that struct fields name in a `check:"…"` tag. Each returns "" when the
// value is fine and otherwise what was expected, for a "found …, expected …" message.
var checks = map[string]func(v reflect.Value) string{
	"id": func(v reflect.Value) string {
		if !idPattern.MatchString(v.String()) {
			return "an id of lowercase letters, digits and dashes, such as getihu-sheli"
		}
		return ""
	},
	"text": func(v reflect.Value) string {
		if strings.TrimSpace(v.String()) == "" {
			return "non-empty text"
		}
		return ""
	},
	"nonempty": func(v reflect.Value) string {
		if v.Len() == 0 {
			return "at least one entry"
		}
		return ""
	},
	"cron": func(v reflect.Value) string {
		if _, err := cron.ParseStandard(v.String()); err != nil {
			return `a cron schedule of 5 fields (minute hour day month weekday) such as "0 2 * * *" (` + err.Error() + ")"
		}
		return ""
	},
	"zone": func(v reflect.Value) string {
		if !zonePattern.MatchString(v.String()) {
			return `an administrative division code of 6 or 12 digits, such as "341500" or "341500000000"`
		}
		return ""
	},
	"path": func(v reflect.Value) string {
		if !isSitePath(v.String()) {
			return "a path on the site starting with a single /, such as /bog-bsdt/static/workProcess.html"
		}
		return ""
	},
	"jsonpath": func(v reflect.Value) string {
		if !jsonPathPattern.MatchString(v.String()) {
			return "a JSON path of field names joined by dots, such as data.rows"
		}
		return ""
	},
	"envvar": func(v reflect.Value) string {
		if !envNamePattern.MatchString(v.String()) {
			return "an environment variable name such as TIYAN_SSO_ACCOUNT"
		}
		return ""
	},
	"writemethod": func(v reflect.Value) string {
		switch v.String() {
		case "POST", "PUT", "PATCH", "DELETE":
			return ""
		}
		return "POST, PUT, PATCH or DELETE (GET, HEAD and OPTIONS are always allowed)"
	},
	"writepath": func(v reflect.Value) string {
		p := v.String()
		if !isSitePath(p) || p == "/" || strings.ContainsAny(p, "?#*") {
			return "one exact path on the site, such as /bog-bsdt/implement/queryImplements.do (no query, no wildcard)"
		}
		return ""
	},
	"method": func(v reflect.Value) string {
		if s := v.String(); s != "GET" && s != "POST" {
			return "GET or POST"
		}
		return ""
	},
	"inflight": func(v reflect.Value) string {
		if n := v.Int(); n < 1 || n > 16 {
			return "a number of pages from 1 to 16"
		}
		return ""
	},
	"guidepath": func(v reflect.Value) string {
		const expected = "a path starting with / that uses {id} and/or {code}, such as /guide.html?ssqdId={id}&ssqdCode={code}"
		p := v.String()
		found := guidePlaceholder.FindAllString(p, -1)
		if !isSitePath(p) || len(found) == 0 {
			return expected
		}
		for _, f := range found {
			if f != "{id}" && f != "{code}" {
				return expected + "; " + f + " is not one of them"
			}
		}
		return ""
	},
	"pagesize": func(v reflect.Value) string {
		if n := v.Int(); n < 1 || n > 500 {
			return "a page size from 1 to 500"
		}
		return ""
	},
}

var (
	idPattern       = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	zonePattern     = regexp.MustCompile(`^([0-9]{6}|[0-9]{12})$`)
	jsonPathPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$`)
	envNamePattern  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	probePattern    = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)
	// guidePlaceholder finds {…} in a guide path template.
	guidePlaceholder = regexp.MustCompile(`\{[^{}]*\}`)
)

// isSitePath reports whether s is a path on the site itself: it starts with one slash, so that it
// can never name another host (//host/… would).
func isSitePath(s string) bool {
	return strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") && !strings.ContainsAny(s, " \t\n\\")
}

package sweep

import (
	"slices"
	"testing"
)

func TestKeepMostSpecific(t *testing.T) {
	const page = "http://portal/guide?ssqdCode=1"
	f := func(rule, url string) Finding { return Finding{Rule: rule, URL: url} }
	cases := []struct {
		name string
		in   []Finding
		want []string
	}{
		{"dead entrance is filed as a broken entrance only",
			[]Finding{f("CHANNEL-ENTRANCE-BROKEN", "http://portal/apply"), f("CHANNEL-HTTP-ERROR", "http://portal/apply"), f("LAYOUT-OVERFLOW", page)},
			[]string{"CHANNEL-ENTRANCE-BROKEN", "LAYOUT-OVERFLOW"}},
		{"an error page hides what was measured on it",
			[]Finding{f("CHANNEL-SLOW", page), f("CHANNEL-HTTP-ERROR", page), f("GUIDE-ELEMENT-MISSING", page), f("A11Y-color-contrast", page)},
			[]string{"CHANNEL-HTTP-ERROR"}},
		{"a missing entrance on a 全程网办 guide is not also a false online claim",
			[]Finding{f("GUIDE-ONLINE-CLAIM", page), f("CHANNEL-ENTRANCE-BROKEN", page)},
			[]string{"CHANNEL-ENTRANCE-BROKEN"}},
		{"a sign-in loop hides the unread form",
			[]Finding{f("CHANNEL-SIGNIN-BROKEN", "http://portal/sso"), f("GUIDE-MATERIAL-MISMATCH", "http://portal/apply")},
			[]string{"CHANNEL-SIGNIN-BROKEN"}},
		{"unrelated findings all stay",
			[]Finding{f("CHANNEL-SLOW", page), f("LAYOUT-OVERFLOW", page), f("GUIDE-PHONE-MALFORMED", page)},
			[]string{"CHANNEL-SLOW", "LAYOUT-OVERFLOW", "GUIDE-PHONE-MALFORMED"}},
	}
	for _, tc := range cases {
		var got []string
		for _, f := range keepMostSpecific(tc.in, page) {
			got = append(got, f.Rule)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: kept %v, want %v", tc.name, got, tc.want)
		}
	}
}

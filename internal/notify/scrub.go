package notify

import (
	"net/url"
	"regexp"
	"strings"
)

// Patterns of what must not reach Slack. They are read-only after init.
var (
	// urlPattern finds URLs in text, stopping at whitespace, mrkdwn delimiters and Chinese
	// punctuation that ends a sentence.
	urlPattern = regexp.MustCompile(`https?://[^\s<>|"'）)】，。；、]+`)
	// digitRun is a maximal run of digits, with the X an ID-card number may end in.
	digitRun = regexp.MustCompile(`[0-9]+[Xx]?`)
	// spacedMobile is a mobile number written in groups: 138-1234-5678, 138 1234 5678.
	spacedMobile = regexp.MustCompile(`\b1[3-9][0-9][- ][0-9]{4}[- ][0-9]{4}\b`)
	// email is an e-mail address.
	email = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+`)
	// mobile is a mainland mobile number, optionally after the country code 86.
	mobile = regexp.MustCompile(`^(86)?1[3-9][0-9]{9}$`)
	// idCard is a resident identity card number: 18 characters, or the old 15 digits.
	idCard = regexp.MustCompile(`^([0-9]{17}[0-9Xx]|[0-9]{15})$`)
)

// Replacements say what was removed, so a reader knows something was there.
const (
	hiddenMobile = "[手机号已隐去]"
	hiddenID     = "[证件号已隐去]"
	hiddenEmail  = "[邮箱已隐去]"
	hiddenURL    = "[链接已隐去]"
)

// scrub removes personal data and secrets from text bound for Slack: mobile and ID-card
// numbers, e-mail addresses, and the query strings, fragments and user info of URLs (sign-in
// tickets and session IDs travel there). Landline numbers such as a service's public consult
// line (0564-3379000, 12345) are left alone.
//
// Messages are built without personal data in the first place; scrub is the second line, for
// free text that came from elsewhere (an officer's title, an error message).
func scrub(s string) string {
	s = urlPattern.ReplaceAllStringFunc(s, stripURL)
	s = email.ReplaceAllString(s, hiddenEmail)
	s = spacedMobile.ReplaceAllString(s, hiddenMobile)
	return digitRun.ReplaceAllStringFunc(s, scrubDigits)
}

// scrubDigits hides one run of digits if it is a mobile or ID-card number. A run is maximal,
// so the digits of a longer code (a 28-character item code, a zone code) never match.
func scrubDigits(run string) string {
	switch {
	case mobile.MatchString(run):
		return hiddenMobile
	case idCard.MatchString(run):
		return hiddenID
	}
	return run
}

// stripURL keeps a URL's scheme, host and path, without user info, query or fragment.
func stripURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return hiddenURL
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return strings.TrimSuffix(u.String(), "?")
}

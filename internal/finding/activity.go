package finding

import "time"

// ActivityMode says whether officers experienced together or alone.
type ActivityMode string

// Activity modes.
const (
	Group      ActivityMode = "group"      // 集中体验
	Individual ActivityMode = "individual" // 个人体验
)

// ActivityForm says how the experience was done.
type ActivityForm string

// Activity forms.
const (
	Online        ActivityForm = "online"  // 线上
	OnSite        ActivityForm = "offline" // 线下
	OpinionSurvey ActivityForm = "survey"  // 民意调查
)

var (
	activityModes = []enumValue[ActivityMode]{{Group, "集中"}, {Individual, "个人"}}
	activityForms = []enumValue[ActivityForm]{{Online, "线上"}, {OnSite, "线下"}, {OpinionSurvey, "民意调查"}}
)

// Label returns the Chinese name of m.
func (m ActivityMode) Label() string { return label(activityModes, m) }

// Valid reports whether m is a known mode.
func (m ActivityMode) Valid() bool { return valid(activityModes, m) }

// Label returns the Chinese name of f.
func (f ActivityForm) Label() string { return label(activityForms, f) }

// Valid reports whether f is a known form.
func (f ActivityForm) Valid() bool { return valid(activityForms, f) }

// ParseActivityMode reads a mode by value or Chinese label.
func ParseActivityMode(s string) (ActivityMode, error) {
	return parse(activityModes, "体验方式", s)
}

// ParseActivityForm reads a form by value or Chinese label.
func ParseActivityForm(s string) (ActivityForm, error) {
	return parse(activityForms, "体验形式", s)
}

// Activity is one experience activity (体验活动): a day on which officers experienced services,
// together or alone, online, on site or by survey.
type Activity struct {
	ID               int64        `json:"id"`
	Date             time.Time    `json:"date"` // a day in Zone
	Mode             ActivityMode `json:"mode"`
	Form             ActivityForm `json:"form"`
	Title            string       `json:"title"`
	Note             string       `json:"note"`
	Participants     []int64      `json:"participants"`      // officer IDs
	ParticipantNames []string     `json:"participant_names"` // in the order of Participants
	Created          time.Time    `json:"created"`
}

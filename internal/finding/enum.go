package finding

import (
	"strings"
)

// Kind tells a problem from a praise (好经验). A praise never enters the loop.
type Kind string

// Kinds.
const (
	Problem Kind = "problem"
	Praise  Kind = "praise"
)

// Status is where a finding is in the rectification loop.
type Status string

// Statuses: found 发现问题 → fed_back 已反馈 → handled 已处理 → verified 已整改, or dismissed 不予采纳.
const (
	Found     Status = "found"
	FedBack   Status = "fed_back"
	Handled   Status = "handled"
	Verified  Status = "verified"
	Dismissed Status = "dismissed"
)

// OpenStatuses are the statuses of a finding still in the loop, in loop order.
func OpenStatuses() []Status { return []Status{Found, FedBack, Handled} }

// Open reports whether a finding in status s is still in the loop.
func (s Status) Open() bool { return s == Found || s == FedBack || s == Handled }

// Category is what a finding is about.
type Category string

// Categories.
const (
	CatLayout     Category = "layout"     // 页面布局
	CatGuide      Category = "guide"      // 办事指南
	CatChannel    Category = "channel"    // 办理渠道
	CatService    Category = "service"    // 服务态度与效率
	CatSuggestion Category = "suggestion" // 意见建议
)

// Severity says how badly a problem hurts the people who use the service; it sets the default
// deadline.
type Severity string

// Severities.
const (
	Blocker Severity = "blocker"
	Major   Severity = "major"
	Minor   Severity = "minor"
	Advice  Severity = "advice"
)

// Source says who found a finding.
type Source string

// Sources.
const (
	SourceProbe   Source = "probe"   // tiyan's probes and scenario runs
	SourceOfficer Source = "officer" // an experience officer (体验官)
	SourceSurvey  Source = "survey"  // a public opinion survey (民意调查)
)

// Automated reports whether findings from this source are verified by replaying what found them
// (rather than evaluated by a person).
func (s Source) Automated() bool { return s == SourceProbe }

// Channel is where a service is used: the PC portal, the 皖事通 app's H5 pages, or a window.
type Channel string

// Channels.
const (
	PC      Channel = "pc"
	H5      Channel = "h5"
	Offline Channel = "offline"
)

// Action names an event in a finding's history.
type Action string

// Actions. Each is what happened, named after the status it leads to, except reopened: an
// evaluation or a verification that failed and sent the finding back to the unit.
const (
	ActFound     Action = "found"
	ActFedBack   Action = "fed_back"
	ActHandled   Action = "handled"
	ActVerified  Action = "verified"
	ActReopened  Action = "reopened"
	ActDismissed Action = "dismissed"
)

// enumValue is one value of an enumeration with its Chinese label.
type enumValue[T ~string] struct {
	value T
	label string
}

var (
	kinds      = []enumValue[Kind]{{Problem, "问题"}, {Praise, "好经验"}}
	statuses   = []enumValue[Status]{{Found, "发现问题"}, {FedBack, "已反馈"}, {Handled, "已处理"}, {Verified, "已整改"}, {Dismissed, "不予采纳"}}
	categories = []enumValue[Category]{{CatLayout, "页面布局"}, {CatGuide, "办事指南"}, {CatChannel, "办理渠道"}, {CatService, "服务"}, {CatSuggestion, "意见建议"}}
	severities = []enumValue[Severity]{{Blocker, "阻断"}, {Major, "严重"}, {Minor, "一般"}, {Advice, "建议"}}
	sources    = []enumValue[Source]{{SourceProbe, "自动体验"}, {SourceOfficer, "体验官"}, {SourceSurvey, "民意调查"}}
	channels   = []enumValue[Channel]{{PC, "PC 端"}, {H5, "皖事通 H5"}, {Offline, "线下窗口"}}
	actions    = []enumValue[Action]{{ActFound, "发现问题"}, {ActFedBack, "反馈问题"}, {ActHandled, "处理问题"}, {ActVerified, "评价：已整改"}, {ActReopened, "评价：未整改，退回"}, {ActDismissed, "不予采纳"}}
)

func label[T ~string](vs []enumValue[T], v T) string {
	for _, e := range vs {
		if e.value == v {
			return e.label
		}
	}
	return string(v)
}

func valid[T ~string](vs []enumValue[T], v T) bool {
	for _, e := range vs {
		if e.value == v {
			return true
		}
	}
	return false
}

// parse accepts a value or its Chinese label, case-insensitively.
func parse[T ~string](vs []enumValue[T], what, s string) (T, error) {
	s = strings.TrimSpace(s)
	names := make([]string, 0, len(vs))
	for _, e := range vs {
		if strings.EqualFold(string(e.value), s) || e.label == s {
			return e.value, nil
		}
		names = append(names, string(e.value)+"（"+e.label+"）")
	}
	var zero T
	return zero, Errorf(EINVALID, "%s %q 无法识别，可选：%s", what, s, strings.Join(names, "、"))
}

// Label returns the Chinese name of k.
func (k Kind) Label() string { return label(kinds, k) }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return valid(kinds, k) }

// Label returns the Chinese name of s.
func (s Status) Label() string { return label(statuses, s) }

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return valid(statuses, s) }

// Label returns the Chinese name of c.
func (c Category) Label() string { return label(categories, c) }

// Valid reports whether c is a known category.
func (c Category) Valid() bool { return valid(categories, c) }

// Label returns the Chinese name of s.
func (s Severity) Label() string { return label(severities, s) }

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool { return valid(severities, s) }

// Label returns the Chinese name of s.
func (s Source) Label() string { return label(sources, s) }

// Valid reports whether s is a known source.
func (s Source) Valid() bool { return valid(sources, s) }

// Label returns the Chinese name of c.
func (c Channel) Label() string { return label(channels, c) }

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return valid(channels, c) }

// Label returns the Chinese name of a.
func (a Action) Label() string { return label(actions, a) }

// ParseKind reads a kind by value or Chinese label.
func ParseKind(s string) (Kind, error) { return parse(kinds, "类型", s) }

// ParseStatus reads a status by value or Chinese label.
func ParseStatus(s string) (Status, error) { return parse(statuses, "状态", s) }

// ParseCategory reads a category by value or Chinese label.
func ParseCategory(s string) (Category, error) { return parse(categories, "类别", s) }

// ParseSeverity reads a severity by value or Chinese label.
func ParseSeverity(s string) (Severity, error) { return parse(severities, "严重程度", s) }

// ParseSource reads a source by value or Chinese label.
func ParseSource(s string) (Source, error) { return parse(sources, "来源", s) }

// ParseChannel reads a channel by value or Chinese label.
func ParseChannel(s string) (Channel, error) { return parse(channels, "渠道", s) }

package finding

import "time"

// OfficerCategory is the sector an experience officer (体验官) is recruited from.
type OfficerCategory string

// Officer categories.
const (
	OfficerAssociation OfficerCategory = "association" // 行业协会及商会
	OfficerOfficial    OfficerCategory = "official"    // 公职人员
	OfficerMedia       OfficerCategory = "media"       // 新闻宣传
	OfficerBusiness    OfficerCategory = "business"    // 市场主体
	OfficerCitizen     OfficerCategory = "citizen"     // 市民群众
)

var officerCategories = []enumValue[OfficerCategory]{
	{OfficerAssociation, "行业协会及商会"}, {OfficerOfficial, "公职人员"}, {OfficerMedia, "新闻宣传"},
	{OfficerBusiness, "市场主体"}, {OfficerCitizen, "市民群众"},
}

// Label returns the Chinese name of c.
func (c OfficerCategory) Label() string { return label(officerCategories, c) }

// Valid reports whether c is a known category.
func (c OfficerCategory) Valid() bool { return valid(officerCategories, c) }

// ParseOfficerCategory reads a category by value or Chinese label.
func ParseOfficerCategory(s string) (OfficerCategory, error) {
	return parse(officerCategories, "体验官类别", s)
}

// Officer statuses.
const (
	OfficerActive    = "active"    // 在聘
	OfficerDismissed = "dismissed" // 已解聘
)

// Officer is a 政务服务体验官: a member of the public, a business or an official who experiences
// services and reports what they find. A term lasts one year and is reviewed every year.
type Officer struct {
	ID            int64           `json:"id"`
	Name          string          `json:"name"`
	Category      OfficerCategory `json:"category"`
	Phone         string          `json:"phone"`
	Organization  string          `json:"organization"` // 工作单位
	TermStart     time.Time       `json:"term_start"`   // a day in Zone
	TermEnd       time.Time       `json:"term_end"`     // the last day of the term
	ReviewOn      time.Time       `json:"review_on"`    // the annual review (年度考核)
	Status        string          `json:"status"`       // OfficerActive or OfficerDismissed
	DismissedAt   time.Time       `json:"dismissed_at"`
	DismissReason string          `json:"dismiss_reason"`
	Created       time.Time       `json:"created"`
}

// TermFrom returns the one-year term that starts on start: it ends the day before the
// anniversary, which is also the day of the annual review.
func TermFrom(start time.Time) (termStart, termEnd, review time.Time) {
	termStart = Day(start)
	termEnd = termStart.AddDate(1, 0, -1)
	return termStart, termEnd, termEnd
}

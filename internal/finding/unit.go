package finding

import (
	"strings"
	"time"
)

// Unit is a window unit or department (窗口单位) findings are fed back to.
type Unit struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`         // as the portal shows it, e.g. 六安市市场监督管理局; unique
	Jurisdiction string    `json:"jurisdiction"` // zone code, 6 or 12 digits; "" when unknown
	SlackChannel string    `json:"slack_channel"`
	Created      time.Time `json:"created"`
}

// Jurisdiction is an administrative zone (行政区划) by its code.
type Jurisdiction struct {
	Code   string `json:"code"` // 6 digits
	Name   string `json:"name"`
	Parent string `json:"parent"` // the code of the zone it belongs to; "" at the top
}

// Jurisdictions returns 六安市 and its districts and counties.
func Jurisdictions() []Jurisdiction {
	return []Jurisdiction{
		{"341500", "六安市", "340000"},
		{"341502", "金安区", "341500"},
		{"341503", "裕安区", "341500"},
		{"341504", "叶集区", "341500"},
		{"341522", "霍邱县", "341500"},
		{"341523", "舒城县", "341500"},
		{"341524", "金寨县", "341500"},
		{"341525", "霍山县", "341500"},
	}
}

// JurisdictionName returns the name of a zone by its 6- or 12-digit code, "" when it is not one
// of Jurisdictions (or the province, 安徽省).
func JurisdictionName(code string) string {
	code = ShortZone(code)
	if code == "340000" {
		return "安徽省"
	}
	for _, j := range Jurisdictions() {
		if j.Code == code {
			return j.Name
		}
	}
	return ""
}

// ShortZone turns a 12-digit zone code whose last six digits are zero into its 6-digit form.
func ShortZone(code string) string {
	if len(code) == 12 && strings.HasSuffix(code, "000000") {
		return code[:6]
	}
	return code
}

// ValidZone reports whether code looks like a zone code: 6 or 12 digits.
func ValidZone(code string) bool {
	if len(code) != 6 && len(code) != 12 {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

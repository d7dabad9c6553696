package catalog

import "strings"

// Jurisdiction is one 行政区划 the catalogue covers.
type Jurisdiction struct {
	Code   string `json:"code"`             // 12-digit 行政区划代码
	Name   string `json:"name"`             // 安徽省, 六安市, 金寨县 …
	Parent string `json:"parent,omitempty"` // code of the enclosing jurisdiction; empty for the province
}

// Codes the portal's item list is most often asked for.
const (
	ProvinceCode = "340000000000" // 安徽省: the whole catalogue
	LuanCode     = "341500000000" // 六安市, with its districts and counties
)

// zone is a jurisdiction together with what synthetic items need to look local there.
type zone struct {
	Jurisdiction
	centre  string // the 政务服务中心 that receives applications
	address string // its street address
	phone   string // local exchange prefix after 0564-
}

// zones is a read-only registry: 安徽省 as root, 六安 (市本级), its 3 districts and 4 counties.
var zones = []zone{
	{Jurisdiction{ProvinceCode, "安徽省", ""}, "安徽省政务服务中心", "合肥市包河区徽州大道与南京路交口", "000"},
	{Jurisdiction{LuanCode, "六安市", ProvinceCode}, "六安市政务服务中心", "六安市金安区梅山南路与皋城路交叉口", "337"},
	{Jurisdiction{"341502000000", "金安区", LuanCode}, "金安区政务服务中心", "六安市金安区龙河路与淠河路交叉口", "361"},
	{Jurisdiction{"341503000000", "裕安区", LuanCode}, "裕安区政务服务中心", "六安市裕安区解放南路与寿春路交叉口", "331"},
	{Jurisdiction{"341504000000", "叶集区", LuanCode}, "叶集区政务服务中心", "六安市叶集区史河大道与民强路交叉口", "662"},
	{Jurisdiction{"341522000000", "霍邱县", LuanCode}, "霍邱县政务服务中心", "霍邱县城关镇蓼城大道与淮河路交叉口", "602"},
	{Jurisdiction{"341523000000", "舒城县", LuanCode}, "舒城县政务服务中心", "舒城县城关镇龙舒路与桃溪路交叉口", "862"},
	{Jurisdiction{"341524000000", "金寨县", LuanCode}, "金寨县政务服务中心", "金寨县梅山镇红军大道与史河路交叉口", "706"},
	{Jurisdiction{"341525000000", "霍山县", LuanCode}, "霍山县政务服务中心", "霍山县衡山镇迎驾大道288号", "502"},
}

// Jurisdictions lists 安徽省, 六安市 and the districts and counties of 六安, parents first.
func Jurisdictions() []Jurisdiction {
	out := make([]Jurisdiction, len(zones))
	for i, z := range zones {
		out[i] = z.Jurisdiction
	}
	return out
}

// zoneByCode finds a known jurisdiction by its 12-digit code.
func zoneByCode(code string) (zone, bool) {
	for _, z := range zones {
		if z.Code == code {
			return z, true
		}
	}
	return zone{}, false
}

// normalizeZone accepts the 6-digit codes people write (341524) as well as the portal's 12 digits.
func normalizeZone(code string) string {
	if len(code) < 12 && isDigits(code) {
		return code + strings.Repeat("0", 12-len(code))
	}
	return code
}

// zonePrefix is the part of a 12-digit code that every jurisdiction under it shares: 34 for the
// province, 3415 for a city, 341524 for a county, 9 digits for a township, else the whole code.
func zonePrefix(code string) string {
	if len(code) != 12 {
		return code
	}
	switch {
	case code[2:] == "0000000000":
		return code[:2]
	case code[4:] == "00000000":
		return code[:4]
	case code[6:] == "000000":
		return code[:6]
	case code[9:] == "000":
		return code[:9]
	}
	return code
}

// zoneKeys are the index keys an item with this zone code is found under: every prefix a query
// could ask for, and "" for a query without a zone.
func zoneKeys(code string) []string {
	keys := []string{""}
	for _, n := range []int{2, 4, 6, 9, 12} {
		if len(code) >= n {
			keys = append(keys, code[:n])
		}
	}
	return keys
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

package catalog

import (
	"fmt"
	"hash/fnv"
	"strings"
)

// creditChars is the alphabet of the 统一社会信用代码 (GB 32100-2015): digits and capitals
// without I, O, S, V, Z. A character's index is its value.
const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// checkCreditCode accepts the credit code of a public body seated in zoneCode: 18 characters of
// the GB 32100 alphabet, registered by 机构编制 (11 机关, 12 事业单位, 13 群团), with the zone's
// 6-digit 行政区划 in positions 3–8. The check character is not verified, because the code
// published in DESIGN.md for 六安市市场监督管理局 does not carry a valid one.
func checkCreditCode(code, zoneCode string) error {
	if len(code) != 18 {
		return fmt.Errorf("%q has %d characters, want 18", code, len(code))
	}
	for _, r := range code {
		if !strings.ContainsRune(creditChars, r) {
			return fmt.Errorf("%q contains %q, outside the GB 32100 alphabet", code, r)
		}
	}
	if p := code[:2]; p != "11" && p != "12" && p != "13" {
		return fmt.Errorf("%q starts with %s, not 11, 12 or 13 (a public body)", code, p)
	}
	if len(zoneCode) >= 6 && code[2:8] != zoneCode[:6] {
		return fmt.Errorf("%q is registered in %s, not in the item's zone %s", code, code[2:8], zoneCode)
	}
	return nil
}

// creditCheckChar computes the 18th character of a credit code from the first 17.
func creditCheckChar(body string) byte {
	sum := 0
	for i := range 17 {
		sum += strings.IndexByte(creditChars, body[i]) * creditWeights[i]
	}
	return creditChars[(31-sum%31)%31]
}

// deriveCreditCode makes a stable, well-formed code for a unit that items.yaml does not declare,
// such as the 舒城县 counterpart of a city unit a synthetic item is modelled on.
func deriveCreditCode(unit, kind, zoneCode string) string {
	h := fnv.New32a()
	h.Write([]byte(unit))
	body := fmt.Sprintf("%s%sMB%07d", kind, zoneCode[:6], h.Sum32()%10_000_000)
	return body + string(creditCheckChar(body))
}

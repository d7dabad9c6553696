package probes

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Values as people write them on guides: the same phone, requirement, time limit or fee in many
// renderings. Every comparison and validation of guide values goes through this file, so that
// "０５６４－３３７９００５" and "（0564）3379005", 非必要 and 可选, 五个工作日 and 5工作日 are one value.

// halfWidth turns full-width ASCII (Ｕ+FF01–FF5E) and the ideographic space into their
// half-width forms, and unifies dashes and the full-width punctuation guides use.
func halfWidth(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == '\u3000' || r == '\u00a0':
			return ' '
		case r == '—' || r == '–' || r == '‐' || r == '‑' || r == '−' || r == '─':
			return '-'
		}
		return r
	}, s)
	return strings.NewReplacer("，", ",", "；", ";", "：", ":", "（", "(", "）", ")", "。", ".").Replace(s)
}

// cleanText is a value with half-width characters and no whitespace: two renderings of one text
// that differ only in spacing and punctuation width are equal.
func cleanText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, halfWidth(s))
}

// normalize makes two renderings of one element's value comparable; element is the canonical
// element name (法定办结时限, 咨询电话, …), "" for a material name.
func normalize(element, v string) string {
	switch {
	case strings.HasSuffix(element, "电话"):
		numbers, bad := parsePhones(v)
		return strings.Join(append(numbers, bad...), "、")
	case strings.HasSuffix(element, "时限"):
		if l, ok := parseLimit(v); ok {
			return l.String()
		}
	case element == "是否收费":
		return normalizeYesNo(v)
	case element == "收费标准":
		return normalizeFee(v)
	case element == "是否全程网办":
		return normalizeYesNo(v)
	case element == "到现场次数":
		return strings.TrimSuffix(cleanText(v), "次")
	}
	return strings.ReplaceAll(cleanText(v), "个", "")
}

// NormalizeRequirement reads a material's requirement as written (必须, 非必要, 容缺后补, …) as
// 必要, 可选 or 容缺; anything else is returned cleaned, for the guide to be reported as it is.
func NormalizeRequirement(s string) string {
	c := cleanText(s)
	switch {
	case c == "":
		return ""
	case strings.Contains(c, "容缺"):
		return "容缺"
	case strings.ContainsAny(c, "非否") || strings.Contains(c, "可选") || strings.Contains(c, "选填") ||
		strings.Contains(c, "不必") || strings.Contains(c, "选交") || strings.Contains(c, "选择性"):
		return "可选"
	case strings.Contains(c, "必") || c == "是" || c == "需要":
		return "必要"
	}
	return c
}

// requirementWords are the words that alone say a material's requirement.
var requirementWords = []string{"必要", "必须", "必需", "必交", "必填", "必选", "非必要", "非必须", "非必需", "可选", "选填",
	"选交", "容缺", "容缺后补", "容缺受理"}

// feeWords say that an item is free.
var feeWords = []string{"不收费", "免费", "无", "0元", "0", "否", "不收取费用", "不收取", "免收", "无收费", "无费用", "不收费用"}

// normalizeFee reads a 收费标准: every way of saying free is 不收费; other standards are cleaned.
func normalizeFee(s string) string {
	c := strings.TrimSuffix(cleanText(s), ".")
	if slices.Contains(feeWords, c) || strings.HasPrefix(c, "不收费") || strings.HasPrefix(c, "免费") {
		return "不收费"
	}
	return c
}

// normalizeYesNo reads 是否收费 or 是否全程网办: 是 or 否; a fee stated as free is 否.
func normalizeYesNo(s string) string {
	c := cleanText(s)
	switch {
	case c == "是" || c == "收费" || c == "全程网办" || c == "Y":
		return "是"
	case c == "否" || c == "N" || normalizeFee(c) == "不收费" || strings.HasPrefix(c, "否") || strings.HasPrefix(c, "非"):
		return "否"
	case strings.HasPrefix(c, "是"):
		return "是"
	}
	return c
}

// timeLimit is a parsed 办结时限: days in its unit, or instant (即办).
type timeLimit struct {
	days    int
	unit    string // 工作日 | 自然日 | 即办 | "" when the guide gives no unit
	instant bool
}

// String is the canonical rendering: 即办, N个工作日, N个自然日, or N alone without a unit.
func (l timeLimit) String() string {
	if l.instant {
		return "即办"
	}
	return strconv.Itoa(l.days) + map[string]string{"": "", "工作日": "个工作日", "自然日": "个自然日"}[l.unit]
}

// calendarDays approximates the limit in calendar days, to compare limits given in different units.
func (l timeLimit) calendarDays() float64 {
	if l.unit == "工作日" {
		return float64(l.days) * 7 / 5
	}
	return float64(l.days)
}

var (
	limitPattern = regexp.MustCompile(`^(\d+|[零〇一二两三四五六七八九十百]+)(个)?(工作日|自然日|日|天)?$`)
	instantWords = []string{"即办", "即时办结", "当场办结", "当即办结", "立即办结", "即时办理", "当场办理", "即办件"}
)

// parseLimit reads a time limit as written: 5工作日, 5个工作日, 五个工作日, 即办, 当场办结,
// 0个工作日 (即办), 30日 or 30天 (自然日).
func parseLimit(s string) (timeLimit, bool) {
	c := strings.TrimSuffix(cleanText(s), ".")
	if slices.Contains(instantWords, c) {
		return timeLimit{instant: true, unit: "即办"}, true
	}
	m := limitPattern.FindStringSubmatch(c)
	if m == nil {
		return timeLimit{}, false
	}
	n, ok := chineseNumber(m[1])
	if !ok {
		return timeLimit{}, false
	}
	unit := m[3]
	if unit == "日" || unit == "天" {
		unit = "自然日"
	}
	if n == 0 && unit != "" {
		return timeLimit{instant: true, unit: "即办"}, true
	}
	return timeLimit{days: n, unit: unit}, true
}

// chineseNumber reads 20 or 二十 (up to 九百九十九).
func chineseNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	digits := map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	total, cur := 0, 0
	for _, r := range s {
		switch r {
		case '十', '百':
			unit := map[rune]int{'十': 10, '百': 100}[r]
			if cur == 0 {
				cur = 1
			}
			total += cur * unit
			cur = 0
		default:
			d, ok := digits[r]
			if !ok {
				return 0, false
			}
			cur = d
		}
	}
	return total + cur, true
}

// Phones.

var (
	phoneFour       = regexp.MustCompile(`(^|[^\d])([48]00)-?(\d{3})-?(\d{4})`)
	phoneParenArea  = regexp.MustCompile(`\((0\d{2,3})\)-?`)
	phoneSpacedArea = regexp.MustCompile(`(^|[^\d])(0\d{2,3})\s+(\d)`)
	phoneExtension  = regexp.MustCompile(`(?i)\s*(转|分机|ext\.?|x)\s*`)
	phoneToken      = regexp.MustCompile(`[\d#-]+`)
	serviceHotline  = regexp.MustCompile(`^(123\d\d|96\d{3,4})$`)
	mobilePattern   = regexp.MustCompile(`^1[3-9]\d{9}$`)
	localPattern    = regexp.MustCompile(`^[2-9]\d{6,7}$`)
	areaPattern     = regexp.MustCompile(`^0\d{2,3}$`)
	extPattern      = regexp.MustCompile(`^\d{1,6}$`)
	tollFreePattern = regexp.MustCompile(`^[48]00\d{7}$`)
)

// parsePhones reads the numbers in a phone element as written — area codes with -, spaces or
// parentheses, 转/分机/ext extensions, several numbers separated by 、，；/ or spaces (a local
// number after the first takes its area code), 400/800 numbers, mobiles, service hotlines with or
// without an area code, full-width digits — and returns them canonical (0564-3379005,
// 0564-3379005转8001, 12345, 13800000000, 4008001234), sorted, and the tokens that are no
// plausible Chinese number.
func parsePhones(s string) (numbers, bad []string) {
	s = halfWidth(s)
	s = phoneFour.ReplaceAllString(s, "${1}${2}${3}${4}")
	s = phoneParenArea.ReplaceAllString(s, "$1-")
	s = phoneSpacedArea.ReplaceAllString(s, "${1}${2}-${3}")
	s = phoneExtension.ReplaceAllString(s, "#")
	area := ""
	for _, tok := range phoneToken.FindAllString(s, -1) {
		tok = strings.Trim(tok, "-#")
		if tok == "" {
			continue
		}
		n, a, ok := canonicalPhone(tok, area)
		if !ok {
			bad = append(bad, tok)
			continue
		}
		if a != "" {
			area = a
		}
		numbers = append(numbers, n)
	}
	slices.Sort(numbers)
	return slices.Compact(numbers), bad
}

// canonicalPhone reads one number; area is the area code of the number before it in the same
// element. It returns the canonical number and its area code.
func canonicalPhone(tok, area string) (number, areaCode string, ok bool) {
	main, ext, _ := strings.Cut(tok, "#")
	parts := strings.Split(main, "-")
	if ext == "" && len(parts) == 3 {
		ext, parts = parts[2], parts[:2]
	}
	if ext != "" && !extPattern.MatchString(ext) {
		return "", "", false
	}
	var a, local string
	switch {
	case len(parts) == 2 && areaPattern.MatchString(parts[0]):
		a, local = parts[0], parts[1]
	case len(parts) == 2 && (localPattern.MatchString(parts[0]) || isFullLandline(parts[0])) && ext == "":
		main, ext = parts[0], parts[1] // 3379005-8001: an extension
		return canonicalPhone(main+"#"+ext, area)
	case len(parts) == 1:
		local = parts[0]
	default:
		return "", "", false
	}
	with := func(n string) string {
		if ext != "" {
			return n + "转" + ext
		}
		return n
	}
	switch {
	case a == "" && (mobilePattern.MatchString(local) || tollFreePattern.MatchString(local)):
		return with(local), "", true
	case serviceHotline.MatchString(local):
		return local, a, true // 0564-12345 is the local 12345
	case a == "" && isFullLandline(local):
		a, local = splitArea(local)
		return with(a + "-" + local), a, true
	case a == "" && area != "" && localPattern.MatchString(local):
		return with(area + "-" + local), area, true
	case a != "" && localPattern.MatchString(local):
		return with(a + "-" + local), a, true
	}
	return "", "", false
}

// isFullLandline is an area code and a local number written without a separator: 05643379005.
func isFullLandline(s string) bool {
	if !strings.HasPrefix(s, "0") || len(s) < 10 || len(s) > 12 {
		return false
	}
	a, local := splitArea(s)
	return localPattern.MatchString(local) && areaPattern.MatchString(a)
}

// splitArea splits 05643379005 into 0564 and 3379005: the area codes of Beijing (010) and of
// 02x are three digits, the others four.
func splitArea(s string) (string, string) {
	if strings.HasPrefix(s, "01") || strings.HasPrefix(s, "02") {
		return s[:3], s[3:]
	}
	return s[:4], s[4:]
}

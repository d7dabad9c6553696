package probes

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// The words people write in a 实施清单 table, read into the values the JSON export carries.
// Each reader returns the value or a zh-CN sentence saying what was expected, for the cell error.

// requirementWord reads 材料必要性 as people write it (必要, 必须提供, 容缺后补, 非必要, 1 …) into
// 必要 / 容缺 / 可选. It is the one place these words are known, to be merged into the value
// normaliser when that lands.
func requirementWord(v string) (string, bool) {
	switch foldCell(v) {
	case "必要", "必须", "必需", "必交", "必须提供", "必需提供", "必要材料", "必填", "必交材料", "是", "1":
		return "必要", true
	case "容缺", "容缺后补", "可容缺", "容缺受理", "容缺办理", "容缺材料", "2":
		return "容缺", true
	case "可选", "非必要", "非必须", "非必需", "选填", "选交", "可选材料", "按需提供", "否", "3":
		return "可选", true
	}
	return "", false
}

// yesNoWord reads a 是/否 cell (是否收费, 是否全程网办, 空表 …).
func yesNoWord(v string) (bool, bool) {
	switch strings.ToLower(foldCell(v)) {
	case "是", "有", "y", "yes", "true", "1", "√", "提供", "收费":
		return true, true
	case "否", "无", "n", "no", "false", "0", "×", "不提供", "不收费", "免费":
		return false, true
	}
	return false, false
}

var limitCellPattern = regexp.MustCompile(`^(\d+)个?(工作日|自然日)$`)

// limitWord reads a time limit (法定办结时限, 承诺办结时限) into the form the JSON export renders:
// "20个工作日", "30个自然日" or "即办".
func limitWord(v string) (string, bool) {
	f := foldCell(v)
	if f == "即办" || f == "即时办结" || f == "当场办结" {
		return "即办", true
	}
	m := limitCellPattern.FindStringSubmatch(f)
	if m == nil {
		return "", false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n > 100000 {
		return "", false
	}
	return strconv.Itoa(n) + "个" + m[2], true
}

// visitsWord reads 到现场次数: "0", "0次", "1 次".
func visitsWord(v string) (int, bool) {
	v = strings.Join(strings.Fields(narrow(v)), "")
	n, err := strconv.Atoi(strings.TrimSuffix(v, "次"))
	if err != nil || n < 0 || n > 100 {
		return 0, false
	}
	return n, true
}

// zoneWord takes the 行政区划代码 out of a cell: "341500000000", or "六安市（341500000000）".
func zoneWord(v string) (string, bool) {
	digits := regexp.MustCompile(`\d{6,12}`).FindAllString(foldCell(v), -1)
	if len(digits) == 0 {
		return "", false
	}
	return digits[len(digits)-1], true
}

// Expectations, for the cell errors.
const (
	expectLimit    = "应为如“5个工作日”或“即办”"
	expectYesNo    = "应为“是”或“否”"
	expectReq      = "应为“必要”“容缺”或“可选”"
	expectVisits   = "应为次数，如“0”或“1次”"
	expectZone     = "应为行政区划代码，如“341500000000”"
	expectNotEmpty = "不能为空"
)

// narrow turns full-width letters, digits and signs into ASCII (２０ → 20).
func narrow(v string) string {
	return strings.Map(func(r rune) rune {
		if r >= '！' && r <= '～' {
			return r - ('！' - '!')
		}
		return r
	}, v)
}

// foldCell makes a cell comparable: full-width letters and digits narrowed, and spaces and
// punctuation (half- and full-width) dropped.
func foldCell(v string) string {
	return strings.Map(func(r rune) rune {
		if r == '√' || r == '×' {
			return r
		}
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, narrow(v))
}

// quoteCell quotes a cell's text for a message, shortened when it is long.
func quoteCell(v string) string {
	r := []rune(v)
	if len(r) > 40 {
		v = string(r[:40]) + "…"
	}
	return fmt.Sprintf("“%s”", v)
}

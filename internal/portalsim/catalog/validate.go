package catalog

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ItemError is one rule an item breaks. It names the item and the guide element (as GB/T 39046
// names it) so whoever wrote items.yaml or an export can find and fix it.
type ItemError struct {
	Index   int    // 0-based position in the catalogue
	ID      string // ssqdId
	Name    string // 事项名称
	Element string // e.g. 受理条件, 申请材料[2]
	Problem string
}

func (e *ItemError) Error() string {
	name := e.Name
	if name == "" {
		name = "(unnamed)"
	}
	return fmt.Sprintf("item #%d %s (id %s): %s: %s", e.Index+1, name, e.ID, e.Element, e.Problem)
}

// Validate checks every item against the rules a correct guide obeys (every element present,
// limits consistent, materials specific, the online form complete) and the catalogue as a whole
// (unique ids and codes, known zones). It returns all problems joined, each an *ItemError.
func (c *Catalog) Validate() error {
	probs := c.problems()
	errs := make([]error, len(probs))
	for i, p := range probs {
		errs[i] = p
	}
	return errors.Join(errs...)
}

type reportFunc func(element, format string, args ...any)

func (c *Catalog) problems() []*ItemError {
	var out []*ItemError
	firstID := make(map[string]int, len(c.items))
	firstCode := make(map[string]int, len(c.items))
	for i := range c.items {
		it := &c.items[i]
		report := func(element, format string, args ...any) {
			out = append(out, &ItemError{Index: i, ID: it.ID, Name: it.Name, Element: element,
				Problem: fmt.Sprintf(format, args...)})
		}
		checkItem(it, report)
		if j, dup := firstID[it.ID]; dup {
			report("事项ID (id)", "duplicates the id of item #%d", j+1)
		} else {
			firstID[it.ID] = i
		}
		if j, dup := firstCode[it.Code]; dup {
			report("事项编码 (ssqdCode)", "duplicates the code of item #%d", j+1)
		} else {
			firstCode[it.Code] = i
		}
	}
	return out
}

func checkItem(it *Item, report reportFunc) {
	checkIdentity(it, report)
	checkText(it, report)
	checkMaterials(it, report)
	checkProcess(it, report)
	checkLimits(it, report)
	checkFee(it, report)
	checkPhones(it, report)
	checkChannel(it, report)
}

var (
	idPattern       = regexp.MustCompile(`^[0-9a-f]{32}$`)
	itemCodePattern = regexp.MustCompile(`^[0-9]{10}$`)
	phonePattern    = regexp.MustCompile(`^(0\d{2,3}-\d{7,8}|1[3-9]\d{9}|12345)$`)
	fieldPattern    = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
)

var itemTypes = map[string]bool{
	"行政许可": true, "行政确认": true, "行政给付": true, "行政裁决": true,
	"行政奖励": true, "行政征收": true, "其他行政权力": true, "公共服务": true,
}

func checkIdentity(it *Item, report reportFunc) {
	if !idPattern.MatchString(it.ID) {
		report("事项ID (id)", "%q is not 32 lowercase hex digits", it.ID)
	}
	if _, ok := zoneByCode(it.ZoneCode); !ok {
		report("行政区划 (zoneCode)", "%q is not a known jurisdiction", it.ZoneCode)
	}
	if err := checkCreditCode(it.UnitCode, it.ZoneCode); err != nil {
		report("实施主体编码 (unitCode)", "%v", err)
	}
	rest, ok := strings.CutPrefix(it.Code, it.UnitCode)
	if !ok || !itemCodePattern.MatchString(rest) {
		report("事项编码 (ssqdCode)", "%q is not the unit's credit code followed by 10 digits", it.Code)
	}
	if it.ServiceObject != "P" && it.ServiceObject != "C" {
		report("服务对象 (serviceObject)", "%q is neither P (个人) nor C (法人)", it.ServiceObject)
	}
	if it.Type != "" && !itemTypes[it.Type] {
		report("事项类型 (sxlx)", "%q is not a known item type", it.Type)
	}
}

// checkText requires every free-text guide element of GB/T 39046 Table 4.
func checkText(it *Item, report reportFunc) {
	for _, e := range []struct{ element, value string }{
		{"事项名称 (name)", it.Name},
		{"事项类型 (sxlx)", it.Type},
		{"实施主体 (unit)", it.Unit},
		{"设定依据 (sdyj)", it.Basis},
		{"受理条件 (sltj)", it.Conditions},
		{"收费标准 (sfbz)", it.FeeStandard},
		{"办理形式 (blxs)", it.Form},
		{"办理地点 (bldz)", it.Place},
		{"办理时间 (blsj)", it.Hours},
		{"咨询电话 (zxdh)", it.ConsultPhone},
		{"监督投诉电话 (jddh)", it.SupervisePhone},
	} {
		if strings.TrimSpace(e.value) == "" {
			report(e.element, "is empty")
		}
	}
}

// vagueMaterials are the catch-all entries a national spot check found in 13 % of guides; the
// simulator injects them as a defect, so the catalogue itself must never contain them.
var vagueMaterials = []string{"其他材料", "其它材料", "相关材料", "需要提交的其他"}

var uploadTypes = map[string]bool{"pdf": true, "jpg": true, "jpeg": true, "png": true, "ofd": true}

func checkMaterials(it *Item, report reportFunc) {
	if len(it.Materials) == 0 {
		report("申请材料 (materials)", "is empty")
	}
	for i, m := range it.Materials {
		el := fmt.Sprintf("申请材料[%d] %s", i+1, m.Name)
		switch {
		case strings.TrimSpace(m.Name) == "":
			report(el, "has no name")
		case containsAny(m.Name, vagueMaterials):
			report(el, "reads like a catch-all; name the document")
		}
		if m.Requirement < Required || m.Requirement > Optional {
			report(el, "requirement %d is not 1 必要, 2 容缺 or 3 可选", m.Requirement)
		}
		if m.Originals < 0 || m.Copies < 0 || m.Originals+m.Copies == 0 {
			report(el, "asks for %d originals and %d copies", m.Originals, m.Copies)
		}
		if m.Source == "" {
			report(el, "has no source (材料来源)")
		}
		checkUpload(el, m, report)
	}
}

func checkUpload(el string, m Material, report reportFunc) {
	if len(m.Types) == 0 {
		report(el, "accepts no upload types")
	}
	for _, t := range m.Types {
		if !uploadTypes[t] {
			report(el, "upload type %q is not one of pdf, jpg, jpeg, png, ofd", t)
		}
	}
	if m.MaxMB < 1 || m.MaxMB > 20 {
		report(el, "upload limit %d MB is outside 1–20", m.MaxMB)
	}
}

// checkProcess requires steps that say what happens and how long, so GUIDE-PROCESS-THIN never
// fires on the catalogue itself.
func checkProcess(it *Item, report reportFunc) {
	if len(it.Process) < 3 {
		report("办理流程 (process)", "has %d steps, want at least 3", len(it.Process))
	}
	for i, s := range it.Process {
		el := fmt.Sprintf("办理流程[%d] %s", i+1, s.Name)
		if strings.TrimSpace(s.Name) == "" {
			report(el, "has no name")
		}
		if strings.TrimSpace(s.Detail) == "" {
			report(el, "does not say what happens")
		}
		if strings.TrimSpace(s.Limit) == "" {
			report(el, "does not say how long it takes")
		}
	}
}

func checkLimits(it *Item, report reportFunc) {
	legalOK := checkLimit("法定办结时限 (fdbjsx)", it.LegalLimit, report)
	promisedOK := checkLimit("承诺办结时限 (cnbjqx)", it.PromisedLimit, report)
	if !legalOK || !promisedOK {
		return
	}
	l, p := it.LegalLimit, it.PromisedLimit
	switch {
	case p.Unit == "即办":
	case l.Unit == "即办":
		report("承诺办结时限 (cnbjqx)", "%s is longer than the legal limit 即办", p)
	case p.Unit != l.Unit:
		report("承诺办结时限 (cnbjqx)", "%s is in other units than the legal limit %s", p, l)
	case p.Value > l.Value:
		report("承诺办结时限 (cnbjqx)", "%s is longer than the legal limit %s", p, l)
	}
}

func checkLimit(element string, l Limit, report reportFunc) bool {
	switch l.Unit {
	case "即办":
		if l.Value != 0 {
			report(element, "即办 with value %d; 即办 has no value", l.Value)
			return false
		}
	case "工作日", "自然日":
		if l.Value <= 0 {
			report(element, "value %d is not positive", l.Value)
			return false
		}
	case "":
		report(element, "has no unit")
		return false
	default:
		report(element, "unit %q is not 工作日, 自然日 or 即办", l.Unit)
		return false
	}
	return true
}

func checkFee(it *Item, report reportFunc) {
	switch {
	case !it.Fee && it.FeeStandard != "不收费":
		report("收费标准 (sfbz)", "is %q but the item is free; write 不收费", it.FeeStandard)
	case it.Fee && (it.FeeStandard == "不收费" || it.FeeStandard == ""):
		report("收费标准 (sfbz)", "the item charges a fee but gives no standard")
	}
}

func checkPhones(it *Item, report reportFunc) {
	if it.ConsultPhone != "" && !phonePattern.MatchString(it.ConsultPhone) {
		report("咨询电话 (zxdh)", "%q is not area code + 7–8 digits, a mobile number or 12345", it.ConsultPhone)
	}
	if it.SupervisePhone != "" && !phonePattern.MatchString(it.SupervisePhone) {
		report("监督投诉电话 (jddh)", "%q is not area code + 7–8 digits, a mobile number or 12345", it.SupervisePhone)
	}
}

// checkChannel keeps 在线办理, 全程网办 and 到现场次数 telling one story, the one GUIDE-ONLINE-CLAIM
// checks the live portal against.
func checkChannel(it *Item, report reportFunc) {
	if it.FullyOnline != (it.Visits == 0) {
		report("到现场次数 (dxcc)", "is %d but 全程网办 is %v; a fully online item needs 0 visits and only it", it.Visits, it.FullyOnline)
	}
	if it.Visits < 0 {
		report("到现场次数 (dxcc)", "is negative")
	}
	if !it.Online {
		if it.FullyOnline {
			report("是否全程网办 (qcwb)", "is set on an item that is not online")
		}
		if it.Form != "窗口办理" {
			report("办理形式 (blxs)", "is %q on a window-only item; write 窗口办理", it.Form)
		}
		if len(it.Fields) > 0 {
			report("在线表单 (fields)", "a window-only item has no online form")
		}
		return
	}
	checkFields(it.Fields, report)
}

// checkFields requires the applicant's name, ID number and phone on every online form.
func checkFields(fields []Field, report reportFunc) {
	const el = "在线表单 (fields)"
	if len(fields) < 2 || len(fields) > 6 {
		report(el, "has %d fields, want 2–6", len(fields))
	}
	var hasName, hasID, hasPhone bool
	names := make(map[string]bool)
	for _, f := range fields {
		if !fieldPattern.MatchString(f.Name) || names[f.Name] {
			report(el, "field name %q is not a unique ASCII identifier", f.Name)
		}
		names[f.Name] = true
		checkField(f, report)
		hasName = hasName || (f.Kind == "text" && strings.Contains(f.Label, "姓名"))
		hasID = hasID || f.Kind == "idcard"
		hasPhone = hasPhone || f.Kind == "phone"
	}
	if !hasName || !hasID || !hasPhone {
		report(el, "must ask for the applicant's name, 身份证号 (idcard) and 联系电话 (phone)")
	}
}

var fieldKinds = map[string]bool{"text": true, "idcard": true, "phone": true, "select": true, "date": true, "textarea": true}

func checkField(f Field, report reportFunc) {
	el := "在线表单字段 " + f.Name
	if f.Label == "" {
		report(el, "has no label")
	}
	if !fieldKinds[f.Kind] {
		report(el, "kind %q is not text, idcard, phone, select, date or textarea", f.Kind)
	}
	if (f.Kind == "select") != (len(f.Options) > 0) {
		report(el, "options belong to select fields, and a select needs them")
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

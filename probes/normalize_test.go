package probes

import (
	"slices"
	"strings"
	"testing"
)

func TestParsePhones(t *testing.T) {
	for _, c := range []struct {
		in       string
		want     string // canonical numbers joined by 、
		bad      string // malformed tokens joined by 、
		wantNone bool
	}{
		{in: "0564-3379005", want: "0564-3379005"},
		{in: "05643379005", want: "0564-3379005"},
		{in: "（0564）3379005", want: "0564-3379005"},
		{in: "(0564)-3379005", want: "0564-3379005"},
		{in: "0564 3379005", want: "0564-3379005"},
		{in: "０５６４－３３７９００５", want: "0564-3379005"},
		{in: "0564—3379005", want: "0564-3379005"},
		{in: "010-62345678", want: "010-62345678"},
		{in: "0564-12345", want: "12345"},
		{in: "12345", want: "12345"},
		{in: "１２３４５", want: "12345"},
		{in: "0564-3379005转8001", want: "0564-3379005转8001"},
		{in: "0564-3379005-8001", want: "0564-3379005转8001"},
		{in: "0564-3379005 分机 8001", want: "0564-3379005转8001"},
		{in: "0564-3379005 ext.8001", want: "0564-3379005转8001"},
		{in: "0564-3379005、3379006", want: "0564-3379005、0564-3379006"},
		{in: "0564-3379005，0564-3379006；12345", want: "0564-3379005、0564-3379006、12345"},
		{in: "0564-3379005/3379006", want: "0564-3379005、0564-3379006"},
		{in: "0564-3379005 3379006", want: "0564-3379005、0564-3379006"},
		{in: "400-800-1234", want: "4008001234"},
		{in: "800-820-8820", want: "8008208820"},
		{in: "4008001234", want: "4008001234"},
		{in: "13800000000", want: "13800000000"},
		{in: "电话：0564-3379005（工作日）", want: "0564-3379005"},
		{in: "0564-33791", bad: "0564-33791"},
		{in: "3370001", bad: "3370001"},
		{in: "1380000000", bad: "1380000000"},
		{in: "0564-3379005、33791", want: "0564-3379005", bad: "33791"},
		{in: "暂无", wantNone: true},
	} {
		numbers, bad := parsePhones(c.in)
		if got := strings.Join(numbers, "、"); got != c.want {
			t.Errorf("parsePhones(%q) numbers = %q, want %q", c.in, got, c.want)
		}
		if got := strings.Join(bad, "、"); got != c.bad {
			t.Errorf("parsePhones(%q) bad = %q, want %q", c.in, got, c.bad)
		}
		if c.wantNone && (len(numbers) > 0 || len(bad) > 0) {
			t.Errorf("parsePhones(%q) found %v %v, want nothing", c.in, numbers, bad)
		}
	}
}

func TestPhonesInGuide(t *testing.T) {
	for _, c := range []struct {
		phone string
		bad   bool
	}{
		{"0564-3370001", false}, {"05643370001", false}, {"13800000000", false}, {"12345", false},
		{"0564-3370001、12345", false}, {"0564-12345", false}, {"0564-3379005转8001", false},
		{"0564-3379005、3379006", false}, {"400-800-1234", false}, {"０５６４－３３７０００１", false},
		{"（0564）3370001", false},
		{"0564-33791", true}, {"3370001", true}, {"1380000000", true}, {"暂无", true},
	} {
		obs := phones(guideWith(map[string]string{"咨询电话": c.phone}))
		if got := len(obs) > 0; got != c.bad {
			t.Errorf("%q: malformed = %v, want %v", c.phone, got, c.bad)
		}
	}
}

func TestNormalizeRequirement(t *testing.T) {
	for want, forms := range map[string][]string{
		"必要": {"必要", "必须", "必需", "必交", "必填", " 必 要 ", "是", "必须提供"},
		"可选": {"可选", "非必要", "非必须", "非必需", "选填", "否", "可选（如有）"},
		"容缺": {"容缺", "容缺后补", "容缺受理"},
		"":   {"", "  "},
	} {
		for _, f := range forms {
			if got := NormalizeRequirement(f); got != want {
				t.Errorf("NormalizeRequirement(%q) = %q, want %q", f, got, want)
			}
		}
	}
}

func TestParseLimit(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"5工作日", "5个工作日", true},
		{"5个工作日", "5个工作日", true},
		{"五个工作日", "5个工作日", true},
		{"二十个工作日", "20个工作日", true},
		{"十五个工作日", "15个工作日", true},
		{"６０个自然日", "60个自然日", true},
		{"30日", "30个自然日", true},
		{"30天", "30个自然日", true},
		{"即办", "即办", true},
		{"当场办结", "即办", true},
		{"即时办结", "即办", true},
		{"0个工作日", "即办", true},
		{"20", "20", true},
		{"二十 个 工作日", "20个工作日", true},
		{"视情况而定", "", false},
	} {
		l, ok := parseLimit(c.in)
		if ok != c.ok || (ok && l.String() != c.want) {
			t.Errorf("parseLimit(%q) = %q, %v; want %q, %v", c.in, l.String(), ok, c.want, c.ok)
		}
	}
	a, _ := parseLimit("5个工作日")
	b, _ := parseLimit("5个自然日")
	if a.String() == b.String() {
		t.Error("自然日 and 工作日 must stay distinct")
	}
}

func TestNormalizeValues(t *testing.T) {
	same := []struct{ element, a, b string }{
		{"收费标准", "不收费", "免费"},
		{"收费标准", "无", "0元"},
		{"收费标准", "不收费", "０元"},
		{"是否收费", "否", "不收费"},
		{"是否收费", "是", "是"},
		{"承诺办结时限", "5工作日", "五个工作日"},
		{"法定办结时限", "即办", "当场办结"},
		{"咨询电话", "0564-3379005", "（0564）３３７９００５"},
		{"监督投诉电话", "12345", "0564-12345"},
		{"办理地点", "六安市政务服务中心二楼（金安区）", "六安市政务服务中心 二楼(金安区)"},
		{"办理时间", "周一至周五 上午9:00-12:00，下午13:00-17:00", "周一至周五上午９:00－12:00,下午13:00-17:00"},
		{"", "居民身份证", " 居民身份证 "},
	}
	for _, c := range same {
		if x, y := normalize(c.element, c.a), normalize(c.element, c.b); x != y {
			t.Errorf("%s: %q → %q and %q → %q, want equal", c.element, c.a, x, c.b, y)
		}
	}
	differ := []struct{ element, a, b string }{
		{"承诺办结时限", "5个工作日", "5个自然日"},
		{"收费标准", "不收费", "工本费20元"},
		{"咨询电话", "0564-3379005", "0564-3379000"},
		{"是否收费", "否", "是"},
	}
	for _, c := range differ {
		if normalize(c.element, c.a) == normalize(c.element, c.b) {
			t.Errorf("%s: %q and %q normalised equal, want distinct", c.element, c.a, c.b)
		}
	}
}

func TestMaterialRequirementWordsCompareNormalised(t *testing.T) {
	shown := []GuideMaterial{{Name: "申请表", Requirement: "必须"}, {Name: "委托书", Requirement: "非必要"}, {Name: "身份证明", Requirement: "容缺后补"}}
	want := []RefMaterial{{Name: "申请表", Requirement: "必要"}, {Name: "委托书", Requirement: "可选"}, {Name: "身份证明", Requirement: "容缺"}}
	if diff := materialDiff(shown, want); len(diff) > 0 {
		t.Errorf("same requirements in other words reported: %v", diff)
	}
	other := slices.Clone(shown)
	other[1].Requirement = "选填"
	if materialsKey(shown) != materialsKey(other) {
		t.Error("非必要 and 选填 keyed differently across channels")
	}
}

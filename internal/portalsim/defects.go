package portalsim

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"tiyan/internal/portalsim/catalog"
)

// Channel names as the simulator and tiyan use them.
const (
	PC = "pc"
	H5 = "h5"
)

var channels = []string{PC, H5}

// A Defect is one way a page of the portal can be wrong. Switched on for an item and channel, it
// changes what the simulator serves there, and Rules names what a correct prober files for it.
type Defect struct {
	Name  string
	Title string // what is wrong, in Chinese, for the defect list
	Rules []string
	// Only restricts the defect to one channel ("" means either).
	Only string
	// NeedsOnline: the item must offer 在线办理 (the defect concerns the entrance or the form).
	NeedsOnline bool
	// NeedsFullyOnline: the item's guide must claim 全程网办.
	NeedsFullyOnline bool
	// NeedsAttachment: the item must offer a 空表 or 样表 download.
	NeedsAttachment bool
	// NeedsWindowOnly: the item must not offer 在线办理.
	NeedsWindowOnly bool
	// Compared: the defect changes a guide element that is compared with the catalogue and across
	// channels, so GUIDE-CATALOGUE-MISMATCH follows, and GUIDE-CHANNEL-DIFF unless the other
	// channel shows the same wrong value. GUIDE-CHANNEL-DIFF is attributed to the channel whose
	// value departs from the catalogue.
	Compared bool
	// Scope is ScopeSite for a condition of the whole site (no elder mode): however many pages
	// show it, a correct prober files it once per channel, with no item. "" is an item's defect.
	Scope string
	// Template: the defect may be switched on template-wide (every guide page of a channel, item
	// "*"), as a fault of the shared guide template would be; a correct prober then files it once
	// per channel as a template finding.
	Template bool
	// Sweep is false for defects that a single catalogue sweep cannot see: they need a sandbox
	// submission or a week of history. The seeded mix uses only sweepable defects.
	Sweep bool
}

// Scopes of a defect's findings other than an item's.
const (
	ScopeSite     = "site"
	ScopeTemplate = "template"
)

// defects is the switchboard's catalogue. Names are stable: fixtures and tests refer to them.
var defects = []Defect{
	// Channel availability.
	{Name: "unreachable", Title: "办事指南页面无响应（超过15秒）", Rules: r("CHANNEL-UNREACHABLE"), Sweep: true},
	{Name: "flaky", Title: "办事指南页面间歇性不可用（约八分之一的访问返回503）", Rules: r("CHANNEL-AVAILABILITY-WEEK")},
	{Name: "http-500", Title: "办事指南页面返回HTTP 500", Rules: r("CHANNEL-HTTP-ERROR"), Sweep: true},
	{Name: "maintenance", Title: "办事指南页面显示“系统维护中”", Rules: r("CHANNEL-ERROR-PAGE"), Sweep: true},
	{Name: "blank", Title: "办事指南页面空白，无有效内容", Rules: r("CHANNEL-ERROR-PAGE"), Sweep: true},
	{Name: "entrance-missing", Title: "承诺网上办理但页面没有“在线办理”入口", Rules: r("CHANNEL-ENTRANCE-BROKEN"), NeedsOnline: true, Sweep: true},
	{Name: "entrance-404", Title: "“在线办理”入口链接返回404", Rules: r("CHANNEL-ENTRANCE-BROKEN"), NeedsOnline: true, Sweep: true},
	{Name: "slow", Title: "办事指南页面加载超过5秒", Rules: r("CHANNEL-SLOW"), Sweep: true},
	{Name: "h5-missing", Title: "事项在电脑端提供，但皖事通APP未上线", Rules: r("CHANNEL-PARITY"), Only: H5, Sweep: true},
	{Name: "sso-loop", Title: "统一身份认证登录后反复跳转，无法进入申报页", Rules: r("CHANNEL-SIGNIN-BROKEN"), NeedsOnline: true, Sweep: true},
	{Name: "submit-broken", Title: "提交申请时报“系统异常”，无受理回执", Rules: r("CHANNEL-SUBMIT-BROKEN"), NeedsOnline: true},
	{Name: "upload-reject", Title: "上传允许的PDF格式材料被拒绝", Rules: r("CHANNEL-SUBMIT-BROKEN"), NeedsOnline: true},

	// Guide accuracy.
	{Name: "element-missing", Title: "办事指南缺少“监督投诉电话”", Rules: r("GUIDE-ELEMENT-MISSING"), Sweep: true},
	{Name: "element-empty", Title: "办事指南“受理条件”为空", Rules: r("GUIDE-ELEMENT-MISSING"), Sweep: true},
	{Name: "catalogue-mismatch", Title: "办事指南咨询电话与实施清单不一致", Compared: true, Sweep: true},
	{Name: "fee-mismatch", Title: "办事指南收费标准与实施清单不一致", Compared: true, Sweep: true},
	{Name: "deadline-inconsistent", Title: "承诺办结时限长于法定办结时限", Rules: r("GUIDE-DEADLINE-INCONSISTENT"), Compared: true, Sweep: true},
	{Name: "material-vague", Title: "申请材料含兜底表述“其他相关材料”", Rules: r("GUIDE-MATERIAL-VAGUE"), Compared: true, Sweep: true},
	{Name: "attachment-404", Title: "材料空表下载链接返回404", Rules: r("GUIDE-ATTACHMENT-BROKEN"), NeedsAttachment: true, Sweep: true},
	{Name: "attachment-wrong", Title: "材料样表下载得到的是网页而不是文件", Rules: r("GUIDE-ATTACHMENT-BROKEN"), NeedsAttachment: true, Sweep: true},
	{Name: "phone-malformed", Title: "咨询电话号码位数不正确", Rules: r("GUIDE-PHONE-MALFORMED"), Compared: true, Sweep: true},
	{Name: "online-claim", Title: "指南称全程网办、到现场0次，申报页却要求到窗口核验", Rules: r("GUIDE-ONLINE-CLAIM"), NeedsFullyOnline: true, Sweep: true},
	{Name: "process-thin", Title: "办理流程只有环节名称，没有内容和时限", Rules: r("GUIDE-PROCESS-THIN"), Sweep: true},
	{Name: "material-slot-missing", Title: "申报页缺少必要材料的上传位置", Rules: r("GUIDE-MATERIAL-MISMATCH"), NeedsOnline: true, Sweep: true},
	{Name: "material-requirement-diff", Title: "申报页把必要材料标为可选", Rules: r("GUIDE-MATERIAL-MISMATCH"), NeedsOnline: true, Sweep: true},

	// Layout and accessibility.
	{Name: "overflow", Title: "页面出现横向滚动条", Rules: r("LAYOUT-OVERFLOW"), Sweep: true},
	{Name: "offscreen", Title: "“收藏”按钮超出屏幕右侧", Rules: r("LAYOUT-OFFSCREEN"), Sweep: true},
	{Name: "obscured", Title: "“在线客服”浮窗遮挡“在线办理”按钮", Rules: r("LAYOUT-OBSCURED"), NeedsOnline: true, Sweep: true},
	{Name: "overlap", Title: "事项名称与事项编码文字重叠", Rules: r("LAYOUT-OVERLAP"), Sweep: true},
	{Name: "truncated", Title: "办理地点被截断显示为省略号", Rules: r("LAYOUT-TRUNCATED"), Sweep: true},
	{Name: "small-text", Title: "正文字号过小", Rules: r("LAYOUT-SMALL-TEXT"), Template: true, Sweep: true},
	{Name: "no-elder-mode", Title: "未提供长辈版（大字）模式", Rules: r("LAYOUT-NO-ELDER-MODE"), Scope: ScopeSite, Template: true, Sweep: true},
	{Name: "tap-target", Title: "下载按钮过小，难以点按", Rules: r("LAYOUT-TAP-TARGET"), Only: H5, NeedsAttachment: true, Sweep: true},
	{Name: "popup", Title: "打开页面即弹出广告浮层", Rules: r("LAYOUT-POPUP"), Sweep: true},
	{Name: "layout-shift", Title: "页面加载后横幅插入，内容整体下移", Rules: r("LAYOUT-SHIFT"), Sweep: true},
	{Name: "broken-image", Title: "页面图片加载失败（404）", Rules: r("LAYOUT-BROKEN-RESOURCE"), Sweep: true},
	{Name: "script-error", Title: "页面脚本报错（未捕获异常）", Rules: r("LAYOUT-SCRIPT-ERROR"), Sweep: true},
	{Name: "low-contrast", Title: "提示文字与背景对比度不足", Rules: r("A11Y-color-contrast"), Template: true, Sweep: true},
	{Name: "image-alt", Title: "图片缺少替代文本", Rules: r("A11Y-image-alt"), Template: true, Sweep: true},
	{Name: "input-label", Title: "搜索框缺少标签", Rules: r("A11Y-label"), Template: true, Sweep: true},
	{Name: "button-name", Title: "图标按钮没有可读名称", Rules: r("A11Y-button-name"), Template: true, Sweep: true},
}

func r(ids ...string) []string { return ids }

// DefectByName looks a defect up; the error lists the valid names.
func DefectByName(name string) (Defect, error) {
	for _, d := range defects {
		if d.Name == name {
			return d, nil
		}
	}
	return Defect{}, fmt.Errorf("unknown defect %q; valid defects: %s", name, strings.Join(DefectNames(), ", "))
}

// DefectNames lists every defect name in catalogue order.
func DefectNames() []string {
	names := make([]string, len(defects))
	for i, d := range defects {
		names[i] = d.Name
	}
	return names
}

// Defects returns the switchboard's catalogue.
func Defects() []Defect { return slices.Clone(defects) }

// fits reports why the defect cannot be switched on for this item and channel, or "".
func (d Defect) fits(it catalog.Item, channel string) string {
	switch {
	case d.Only != "" && channel != d.Only:
		return "only applies to channel " + d.Only
	case d.NeedsOnline && !it.Online:
		return "needs an item that offers 在线办理"
	case d.NeedsFullyOnline && !it.FullyOnline:
		return "needs an item whose guide claims 全程网办"
	case d.NeedsWindowOnly && it.Online:
		return "needs a window-only item"
	case d.NeedsAttachment && !hasAttachment(it):
		return "needs an item with a 空表 or 样表 download"
	}
	return ""
}

func hasAttachment(it catalog.Item) bool {
	for _, m := range it.Materials {
		if m.BlankForm || m.Sample {
			return true
		}
	}
	return false
}

// Expectation is one entry of /_sim/defects.json: a defect switched on for an item and channel
// and every rule a correct prober should file there because of it. A site defect, or a defect
// switched on template-wide, is one expectation per channel with no item: Scope says which, and
// Items lists the items whose pages show it (every item for a template-wide defect).
type Expectation struct {
	ItemCode    string   `json:"item_code"`
	Channel     string   `json:"channel"`
	Defect      string   `json:"defect"`
	ExpectRules []string `json:"expect_rules"`
	Scope       string   `json:"scope,omitempty"`
	Items       []string `json:"items,omitempty"`
}

// expectRules derives the rules for defect d on one channel of an item, given whether the other
// channel has the same defect switched on (then the two channels agree and no diff is expected).
func expectRules(d Defect, it catalog.Item, otherHasSame bool) []string {
	// A guide that claims 全程网办 with no entrance: the missing entrance is the defect, filed
	// once (CHANNEL-ENTRANCE-BROKEN), not also as a false online claim.
	rules := slices.Clone(d.Rules)
	if d.Compared {
		rules = append(rules, "GUIDE-CATALOGUE-MISMATCH")
		if !otherHasSame {
			rules = append(rules, "GUIDE-CHANNEL-DIFF")
		}
	}
	sort.Strings(rules)
	return rules
}

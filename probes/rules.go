package probes

import (
	"slices"
	"strings"

	"tiyan/internal/finding"
)

// Category and Severity are the finding domain's: a rule's findings are counted and given
// deadlines by them.
type (
	Category = finding.Category
	Severity = finding.Severity
)

// The categories and severities rules use.
const (
	CategoryChannel = finding.CatChannel
	CategoryGuide   = finding.CatGuide
	CategoryLayout  = finding.CatLayout

	Blocker = finding.Blocker
	Major   = finding.Major
	Minor   = finding.Minor
	Advice  = finding.Advice
)

// Rule is one entry of the rule catalogue. IDs never change: findings, fingerprints and reports
// refer to them.
type Rule struct {
	ID        string   `json:"id"`
	Category  Category `json:"category"`
	Severity  Severity `json:"severity"`
	Name      string   `json:"name"`      // Chinese, short
	Threshold string   `json:"threshold"` // the measurable condition, with the default limits
	Basis     string   `json:"basis"`     // the standard or document behind the rule
}

// A11yPrefix starts the ID of every accessibility rule: A11Y-<axe-core rule id>.
const A11yPrefix = "A11Y-"

const (
	basis19       = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"
	basisGuide    = "GB/T 39046-2020《政务服务平台基础数据规范》表4"
	basisElderWeb = "工信部《互联网网站适老化通用设计规范》《移动互联网应用(APP)适老化通用设计规范》(2021)"
	basisA11y     = "GB/T 37668-2019《信息技术 互联网内容无障碍可访问性技术要求与测试方法》、WCAG 2.1 AA（axe-core 检查）"
)

// catalogue is the rule catalogue of RULES.md, in its order.
var catalogue = []Rule{
	{"CHANNEL-UNREACHABLE", CategoryChannel, Blocker, "页面无法访问", "办事指南页或办理入口 15 秒内未打开或连接失败；另从新标签页重试 2 次确认", basis19 + "：首页 15 秒内打不开的比例 ≥ 5% 即为不可访问"},
	{"CHANNEL-AVAILABILITY-WEEK", CategoryChannel, Major, "一周可用率不足", "同一事项同一渠道近 7 天探测失败比例 ≥ 5%", basis19},
	{"CHANNEL-HTTP-ERROR", CategoryChannel, Blocker, "页面返回错误状态码", "主文档或办理入口返回 4xx/5xx", basis19 + "：链接无法打开"},
	{"CHANNEL-ERROR-PAGE", CategoryChannel, Blocker, "页面显示错误或无内容", "返回 200 但页面显示系统维护、暂停服务、服务繁忙、404、502 等，或没有有效文字", basis19},
	{"CHANNEL-ENTRANCE-BROKEN", CategoryChannel, Blocker, "在线办理入口缺失或失效", "指南承诺网上办理，但“在线办理”入口缺失、打不开或进入错误页", basis19 + "：网上办事系统须可用"},
	{"CHANNEL-SLOW", CategoryChannel, Minor, "页面加载缓慢", "页面加载超过 5 秒", "用户耐心与最大内容绘制(LCP)预算"},
	{"CHANNEL-PARITY", CategoryChannel, Major, "两端服务不一致", "事项在电脑端提供而皖事通APP未提供，或相反", "皖事通办电脑端与皖事通APP同为一个平台"},
	{"CHANNEL-TLS", CategoryChannel, Major, "证书无效或即将过期", "HTTPS 证书无效（阻断），或 14 天内到期（严重）", basis19},
	{"CHANNEL-SUBMIT-BROKEN", CategoryChannel, Blocker, "申报无法提交", "沙箱场景中有效输入被拒、允许的材料格式被拒，或提交后没有回执", basis19},
	{"CHANNEL-SCENARIO-FAILED", CategoryChannel, Major, "办事场景走不通", "按体验场景（登录、填表、上传、提交）办理时某一步失败，且不是体验程序自身的原因", basis19 + "：网上办事系统须可用"},
	{"CHANNEL-SIGNIN-BROKEN", CategoryChannel, Blocker, "统一身份认证登录失败", "单点登录反复跳转、报错或无法返回办理页", basis19},

	{"GUIDE-ELEMENT-MISSING", CategoryGuide, Major, "办事指南要素缺失", "必备要素缺失或为空：事项名称、实施主体、设定依据、受理条件、申请材料、办理流程、法定办结时限、承诺办结时限、是否收费/收费标准、办理地点、办理时间、咨询电话、监督投诉电话、办理形式", basisGuide + "；" + basis19 + "（办事指南要素缺失）"},
	{"GUIDE-CATALOGUE-MISMATCH", CategoryGuide, Major, "办事指南与实施清单不一致", "时限、收费、地点、时间、电话、材料与实施清单不一致", basis19 + "（要素不准确）"},
	{"GUIDE-DEADLINE-INCONSISTENT", CategoryGuide, Major, "办结时限矛盾", "承诺办结时限长于法定办结时限，或时限缺少单位", basisGuide + "（法定与承诺时限均须带单位）"},
	{"GUIDE-MATERIAL-MISMATCH", CategoryGuide, Major, "指南材料与申报页不一致", "必要材料在申报页没有上传位置、申报页有指南未列的材料，或必要/可选不一致", "办事指南须与申报表单一致"},
	{"GUIDE-MATERIAL-VAGUE", CategoryGuide, Minor, "申请材料含兜底表述", "材料名称为“其他材料”“相关材料”“根据法律法规需要提交的其他材料”等", "全国政务服务抽查：13% 的指南含兜底材料"},
	{"GUIDE-ATTACHMENT-BROKEN", CategoryGuide, Major, "空表/样表无法下载", "承诺提供的空表或样表链接缺失、下载失败或不是所称文件", basis19 + "（附件未提供下载、附件无法下载）"},
	{"GUIDE-PHONE-MALFORMED", CategoryGuide, Minor, "电话号码格式不正确", "咨询或监督电话不是有效号码（区号 + 7–8 位、11 位手机号或 12345）", basisGuide},
	{"GUIDE-ONLINE-CLAIM", CategoryGuide, Major, "全程网办名不副实", "指南称全程网办或到现场 0 次，但流程需要线下环节或没有办理入口", basisGuide},
	{"GUIDE-PROCESS-THIN", CategoryGuide, Advice, "办理流程过于简略", "办理流程只列环节名称，没有具体内容和时限", "全国政务服务抽查：25% 的指南流程过简"},
	{"GUIDE-CHANNEL-DIFF", CategoryGuide, Major, "两端指南不一致", "皖事通APP与电脑端对同一要素表述不同", "皖事通办电脑端与皖事通APP同为一个平台"},

	{"LAYOUT-OVERFLOW", CategoryLayout, Minor, "页面横向溢出", "文档宽度超过视口 2 像素以上，出现横向滚动（H5 为严重，电脑端为一般）", basisElderWeb},
	{"LAYOUT-OFFSCREEN", CategoryLayout, Major, "控件超出屏幕", "可操作控件部分位于视口宽度之外", basisElderWeb},
	{"LAYOUT-OBSCURED", CategoryLayout, Blocker, "关键按钮被遮挡", "提交、下一步、上传、在线办理等关键控件中心点被其他元素（浮动客服、横幅）遮挡", basisElderWeb},
	{"LAYOUT-OVERLAP", CategoryLayout, Minor, "文字或控件重叠", "两个文本块或控件重叠面积超过较小者的 20%", basisElderWeb},
	{"LAYOUT-TRUNCATED", CategoryLayout, Minor, "文字被截断", "标签、按钮或指南内容被省略号或溢出隐藏截断", basisElderWeb},
	{"LAYOUT-SMALL-TEXT", CategoryLayout, Minor, "字号过小", "正文字号小于 12px（电脑端）/14px（H5）", basisElderWeb + "：正文字号"},
	{"LAYOUT-NO-ELDER-MODE", CategoryLayout, Advice, "未提供长辈版（大字）模式", "全站找不到长辈版、关怀版、大字版入口，且正文没有 18px 以上的字号；属站点问题，每个站点（每个渠道）只提交一次", basisElderWeb + "：长辈版正文不小于 18dp/pt"},
	{"LAYOUT-TAP-TARGET", CategoryLayout, Minor, "点按区域过小", "H5 页面控件小于 44×44 CSS 像素", basisElderWeb + "：点按区域不小于 44×44（长辈版 60×60）"},
	{"LAYOUT-POPUP", CategoryLayout, Minor, "打开页面即弹窗", "页面加载时未经操作弹出模态框、广告或浮层", basisElderWeb + "：不得有广告和随机弹窗"},
	{"LAYOUT-SHIFT", CategoryLayout, Minor, "页面布局跳动", "加载期间累积布局偏移(CLS)超过 0.1", "Web Vitals 累积布局偏移"},
	{"LAYOUT-BROKEN-RESOURCE", CategoryLayout, Minor, "页面资源加载失败", "图片、脚本或样式返回 ≥ 400", basis19 + "：链接无法打开"},
	{"LAYOUT-SCRIPT-ERROR", CategoryLayout, Minor, "页面脚本报错", "页面出现未捕获的 JavaScript 异常", basis19},
	{A11yPrefix + "*", CategoryLayout, Major, "无障碍问题（axe-core）", "axe-core 按 WCAG 2.1 AA 标签检出的严重(serious)或关键(critical)违规：对比度、标签、图片替代文本、按钮名称等；严重度随影响程度（critical 为阻断，serious 为严重）", basisA11y + "；适老化对比度不低于 4.5:1"},
}

// Rules returns the catalogue in order.
func Rules() []Rule { return slices.Clone(catalogue) }

// RuleByID looks a rule up; every A11Y-<axe id> rule resolves to the accessibility family.
func RuleByID(id string) (Rule, bool) {
	if strings.HasPrefix(id, A11yPrefix) {
		r := catalogue[len(catalogue)-1]
		r.ID = id
		return r, true
	}
	i := slices.IndexFunc(catalogue, func(r Rule) bool { return r.ID == id })
	if i < 0 {
		return Rule{}, false
	}
	return catalogue[i], true
}

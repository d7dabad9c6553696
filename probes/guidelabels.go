package probes

// The words guides use for their parts. A guide is read by these visible labels and column
// headers, whatever markup carries them; this is the one table of synonyms.

// ElementLabels maps each guide element, by its GB/T 39046 name, to the labels guides show it
// under. The first label is the element's own name.
var ElementLabels = map[string][]string{
	"事项名称":   {"事项名称", "服务事项名称", "事项名", "实施事项名称"},
	"实施主体":   {"实施主体", "实施机关", "实施机构", "实施主体名称", "办理部门", "受理部门", "办理机构"},
	"设定依据":   {"设定依据", "法律依据", "办理依据", "实施依据", "设立依据"},
	"受理条件":   {"受理条件", "申请条件", "办理条件", "受理标准", "申办条件"},
	"法定办结时限": {"法定办结时限", "法定时限", "法定期限", "法定办理时限"},
	"承诺办结时限": {"承诺办结时限", "承诺时限", "承诺期限", "承诺办理时限"},
	"是否收费":   {"是否收费"},
	"收费标准":   {"收费标准", "收费依据及标准", "收费情况", "收费项目及标准"},
	"办理形式":   {"办理形式", "办理方式", "申请方式", "申办方式"},
	"是否全程网办": {"是否全程网办", "全程网办", "是否网上全程办理", "是否支持全程网办"},
	"到现场次数":  {"到现场次数", "到办事现场次数", "跑动次数", "到现场办理次数"},
	"办理地点":   {"办理地点", "办理地址", "受理地点", "受理地址", "窗口地址", "办公地址"},
	"办理时间":   {"办理时间", "办公时间", "受理时间", "工作时间", "窗口办公时间"},
	"咨询电话":   {"咨询电话", "咨询方式", "咨询途径", "联系电话", "咨询热线"},
	"监督投诉电话": {"监督投诉电话", "监督投诉方式", "投诉电话", "监督电话", "投诉方式", "监督投诉渠道", "投诉监督电话"},
}

// ReadElements are the elements a guide is read for: the required ones and 是否全程网办/到现场次数.
var ReadElements = append(append([]string(nil), RequiredElements...), "是否全程网办", "到现场次数")

// SectionLabels are the labels of the guide's two list-like parts.
var SectionLabels = map[string][]string{
	"办理流程": {"办理流程", "办理程序", "办事流程", "办理环节", "审批流程"},
	"申请材料": {"申请材料", "申请材料目录", "材料目录", "所需材料", "申报材料", "申请材料清单"},
}

// MaterialColumns are the column headers of a materials table, by what the column holds. A row
// whose cells are all such headers, one of them a name column, is the table's header row,
// whether it is made of th or td cells and wherever it sits.
var MaterialColumns = map[string][]string{
	"name":        {"材料名称", "申请材料名称", "名称", "材料", "申请材料"},
	"requirement": {"是否必要", "材料必要性", "必要性", "是否必须", "是否必需", "必要程度", "必要性及描述", "材料要求"},
	"blank":       {"空表", "空白表格", "空表下载", "表格下载", "下载", "附件", "模板"},
	"sample":      {"样表", "示例样表", "样表下载", "示例", "填写样例", "样例"},
	"both":        {"空表/样表", "空表样表", "空表、样表", "表格及样表", "附件下载"},
	"other": {"序号", "材料形式", "材料类型", "份数", "原件", "复印件", "原件份数", "复印件份数", "纸质份数", "材料来源",
		"来源渠道", "来源", "备注", "填报须知", "受理标准", "介质要求", "纸质材料份数", "电子材料", "材料说明", "出具单位"},
}

// ProcessColumns are the column headers of a 办理流程 table.
var ProcessColumns = []string{"序号", "环节", "环节名称", "办理环节", "步骤", "办理步骤", "办理内容", "环节内容", "办理时限", "时限",
	"办理人员", "审查标准", "办理结果", "岗位", "承办人", "说明"}

// guideWords is the part of the page script's configuration that says what to look for.
func guideWords() map[string]any {
	return map[string]any{
		"labels":       ElementLabels,
		"read":         ReadElements,
		"sections":     SectionLabels,
		"columns":      MaterialColumns,
		"processCols":  ProcessColumns,
		"requirements": requirementWords,
	}
}

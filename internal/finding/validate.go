package finding

import "strings"

// Validate checks a unit before it is stored.
func (u *Unit) Validate() error {
	switch {
	case strings.TrimSpace(u.Name) == "":
		return Errorf(EINVALID, "单位名称不能为空")
	case u.Jurisdiction != "" && !ValidZone(u.Jurisdiction):
		return Errorf(EINVALID, "行政区划代码 %q 应为 6 位或 12 位数字（如六安市 341500）", u.Jurisdiction)
	}
	return checkLengths(lengthCheck{"单位名称", u.Name, MaxName}, lengthCheck{"Slack 频道", u.SlackChannel, MaxName})
}

// Validate checks an officer before it is stored.
func (o *Officer) Validate() error {
	switch {
	case strings.TrimSpace(o.Name) == "":
		return Errorf(EINVALID, "体验官姓名不能为空")
	case !o.Category.Valid():
		_, err := ParseOfficerCategory(string(o.Category))
		return err
	case o.TermStart.IsZero() || o.TermEnd.IsZero() || o.ReviewOn.IsZero():
		return Errorf(EINVALID, "体验官 %s 缺少聘期起止或年度考核日期", o.Name)
	case o.TermEnd.Before(o.TermStart):
		return Errorf(EINVALID, "体验官 %s 的聘期结束（%s）早于开始（%s）", o.Name, FormatDate(o.TermEnd), FormatDate(o.TermStart))
	case o.Status != OfficerActive && o.Status != OfficerDismissed:
		return Errorf(EINVALID, "体验官状态应为 active 或 dismissed，收到 %q", o.Status)
	}
	return checkLengths(lengthCheck{"体验官姓名", o.Name, MaxName}, lengthCheck{"电话", o.Phone, MaxName},
		lengthCheck{"工作单位", o.Organization, MaxName}, lengthCheck{"解聘原因", o.DismissReason, MaxNote})
}

// Validate checks an activity before it is stored.
func (a *Activity) Validate() error {
	switch {
	case a.Date.IsZero():
		return Errorf(EINVALID, "请给出体验活动的日期")
	case !a.Mode.Valid():
		_, err := ParseActivityMode(string(a.Mode))
		return err
	case !a.Form.Valid():
		_, err := ParseActivityForm(string(a.Form))
		return err
	}
	return checkLengths(lengthCheck{"活动名称", a.Title, MaxTitle}, lengthCheck{"活动记录", a.Note, MaxNote})
}

// Validate checks a run before it is stored.
func (r *Run) Validate() error {
	switch {
	case r.Kind != RunSweep && r.Kind != RunScenario && r.Kind != RunVerify:
		return Errorf(EINVALID, "运行类型应为 sweep、scenario 或 verify，收到 %q", r.Kind)
	case r.Status != RunRunning && r.Status != RunDone && r.Status != RunFailed:
		return Errorf(EINVALID, "运行状态应为 running、done 或 failed，收到 %q", r.Status)
	case r.Started.IsZero():
		return Errorf(EINVALID, "运行 %s 缺少开始时间", r.ID)
	}
	return nil
}

// Validate checks a finding before it is stored.
func (f *Finding) Validate() error {
	switch {
	case strings.TrimSpace(f.Title) == "":
		return Errorf(EINVALID, "问题标题不能为空")
	case !f.Kind.Valid():
		_, err := ParseKind(string(f.Kind))
		return err
	case !f.Status.Valid():
		_, err := ParseStatus(string(f.Status))
		return err
	case !f.Category.Valid():
		_, err := ParseCategory(string(f.Category))
		return err
	case !f.Severity.Valid():
		_, err := ParseSeverity(string(f.Severity))
		return err
	case !f.Source.Valid():
		_, err := ParseSource(string(f.Source))
		return err
	case f.Channel != "" && !f.Channel.Valid():
		_, err := ParseChannel(string(f.Channel))
		return err
	case f.FirstSeen.IsZero() || f.LastSeen.IsZero():
		return Errorf(EINVALID, "问题缺少首次和最近发现时间")
	case f.Scope != "" && f.Scope != ScopeItem && !f.Scope.Shared():
		return Errorf(EINVALID, "问题范围应为 item、site 或 template，收到 %q", f.Scope)
	case f.Scope.Shared() && f.ItemCode != "":
		return Errorf(EINVALID, "%s针对整个站点或模板，不应只填一个事项编码 %s；受影响的事项列在 %s 中", f.Scope.Label(), f.ItemCode, AffectedKey)
	}
	return checkLengths(lengthCheck{"标题", f.Title, MaxTitle}, lengthCheck{"问题描述", f.Detail, MaxDetail})
}

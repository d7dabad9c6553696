package notify_test

import (
	"strings"
	"testing"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/notify"
)

// TestDigestSiteFindings: a template finding is one line for the portal operator with the number
// of items it affects and a few of their names, not one line per item.
func TestDigestSiteFindings(t *testing.T) {
	run := finding.Run{ID: "20260930-010000-eeeeee", Kind: finding.RunSweep, Status: finding.RunDone, Started: t0}
	tmpl := problem(21, time.Minute, finding.CatLayout, finding.Minor, "", "", "正文字号过小（12 个事项的页面相同）")
	tmpl.Scope, tmpl.Affected, tmpl.Channel = finding.ScopeTemplate, 12, finding.PC
	tmpl.Measured = map[string]any{finding.AffectedKey: []any{
		map[string]any{"code": "A1", "name": "个体工商户设立登记"}, map[string]any{"code": "B2", "name": "食品经营许可"},
		map[string]any{"code": "C3", "name": "企业注销登记"}, map[string]any{"code": "D4", "name": "第四个事项"}}}
	site := problem(22, time.Minute, finding.CatLayout, finding.Advice, "", "", "未提供长辈版（大字）模式（全站）")
	site.Scope, site.Affected = finding.ScopeSite, 1
	site.Measured = map[string]any{finding.AffectedKey: []finding.AffectedItem{{Code: "E5", Name: "出生医学证明办理"}}}
	m := notify.DigestMessage(run, []finding.Finding{tmpl, site, problem(23, time.Minute, finding.CatGuide, finding.Major, "工伤认定申请", "六安市人力资源和社会保障局", "缺少监督投诉电话")})
	for _, want := range []string{
		"• #21 模板问题 · 门户运营方 · 影响事项 12 个（个体工商户设立登记、食品经营许可、企业注销登记等） · 一般 · PC 端 · 正文字号过小",
		"• #22 站点问题 · 门户运营方 · 影响事项 1 个（出生医学证明办理） · 建议",
		"*站点/模板问题 2 个*",
		"• #23 工伤认定申请 · 六安市人力资源和社会保障局 · 严重",
	} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("digest lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Contains(m.Text, "第四个事项") || strings.Contains(m.Text, "未关联事项") {
		t.Errorf("digest names more than three items or treats a site finding as an item's:\n%s", m.Text)
	}
}

package probes

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"tiyan/internal/axe"
	"tiyan/internal/browser"
)

// ErrBudget means a probe ran out of its own time budget (Thresholds.AxeBudget for a11y) before
// it finished. It is a limit of the prober, not a defect of the portal: the sweep notes it and
// files nothing.
var ErrBudget = errors.New("probe time budget exceeded")

func init() { register("a11y", A11y) }

// axeTags are the WCAG 2.1 A and AA rules that GB/T 37668-2019 follows.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// A11y runs axe-core on the page within Thresholds.AxeBudget and files each serious or critical
// violation as A11Y-<axe rule id>, one observation per rule and page listing the elements. axe's
// incomplete results (it could not decide) are not violations and are not filed. When axe does
// not finish in time, A11y returns no observation and an error wrapping ErrBudget.
func A11y(ctx context.Context, p *Page) ([]Observation, error) {
	if !rendered(p) {
		return nil, nil
	}
	th := p.Thresholds.WithDefaults()
	tab, cancel := onTab(ctx, p.Tab)
	defer cancel()
	res, err := runAxe(tab, th)
	if err != nil {
		return nil, fmt.Errorf("a11y %s: %w", p.URL, err)
	}
	var obs []Observation
	for _, v := range res.Violations {
		sev, ok := a11ySeverity[v.Impact]
		if !ok || len(v.Nodes) == 0 {
			continue
		}
		o, err := a11yObservation(tab, p, v, sev)
		if err != nil {
			return nil, fmt.Errorf("a11y %s: %w", p.URL, err)
		}
		obs = append(obs, o)
	}
	return obs, nil
}

// runAxe runs axe-core within the budget. A run cut short by the budget (and not by the caller,
// nor by the tab closing) is ErrBudget.
func runAxe(tab context.Context, th Thresholds) (axe.Result, error) {
	run, cancel := context.WithTimeout(tab, th.AxeBudget)
	defer cancel()
	res, err := axe.Run(run, axe.Options{Tags: axeTags})
	if err != nil && errors.Is(run.Err(), context.DeadlineExceeded) && tab.Err() == nil {
		return axe.Result{}, fmt.Errorf("axe-core did not finish within %s: %w", th.AxeBudget, ErrBudget)
	}
	return res, err
}

// a11ySeverity maps axe's impact to a severity; minor and moderate problems are not filed.
var a11ySeverity = map[axe.Impact]Severity{axe.Critical: Blocker, axe.Serious: Major}

// maxA11yNodes bounds the elements listed in one observation.
const maxA11yNodes = 10

func a11yObservation(tab context.Context, p *Page, v axe.Rule, sev Severity) (Observation, error) {
	nodes := v.Nodes[:min(len(v.Nodes), maxA11yNodes)]
	locators, err := stableLocators(tab, nodes)
	if err != nil {
		return Observation{}, err
	}
	first := v.Nodes[0]
	title, advice := a11yText(v)
	r, _ := RuleByID(A11yPrefix + v.ID)
	o := Observation{
		Rule: A11yPrefix + v.ID, Severity: sev, Locator: pageLocator, DOM: first.HTML,
		Title: title,
		Detail: fmt.Sprintf("%s页面有 %d 处%s（axe-core 规则 %s，影响程度%s），例如 %s%s。%s依据：%s。",
			channelName(p), len(v.Nodes), title, v.ID, impactName[v.Impact], locators[0], contrastOf(v, first), advice, r.Basis),
		Measured: map[string]any{"impact": string(v.Impact), "nodes": len(v.Nodes), "elements": locators,
			"summary": first.FailureSummary, "help": v.Help, "help_url": v.HelpURL},
	}
	if first.Box != nil {
		o.Box = &Box{X: first.Box.X, Y: first.Box.Y, Width: first.Box.Width, Height: first.Box.Height}
	}
	return o, nil
}

var impactName = map[axe.Impact]string{axe.Critical: "关键", axe.Serious: "严重"}

// contrastRE reads the measured contrast from axe's failure summary of color-contrast.
var contrastRE = regexp.MustCompile(`contrast of ([\d.]+) \(foreground color: (#[0-9a-fA-F]+), background color: (#[0-9a-fA-F]+)`)

// contrastOf says what axe measured for a contrast violation, in words a window unit reads.
func contrastOf(v axe.Rule, n axe.Node) string {
	m := contrastRE.FindStringSubmatch(n.FailureSummary)
	if v.ID != "color-contrast" || m == nil {
		return ""
	}
	return fmt.Sprintf("（实测对比度 %s:1，文字颜色 %s，背景颜色 %s）", m[1], m[2], m[3])
}

// stableLocators names axe's elements the way layout findings do: axe's own selectors use
// nth-child positions, which shift when the page changes.
func stableLocators(tab context.Context, nodes []axe.Node) ([]string, error) {
	targets := make([]string, len(nodes))
	for i, n := range nodes {
		targets[i] = strings.Join(n.Target, " ")
		if len(n.Target) == 1 && !strings.Contains(n.Target[0], ">>>") {
			targets[i] = n.Target[0]
		}
	}
	arg, err := json.Marshal(targets)
	if err != nil {
		return nil, err
	}
	const js = `((targets, L) => targets.map((t) => {
		let el = null;
		try { el = document.querySelector(t); } catch (e) {}
		return el ? L.locate(el) : t;
	}))`
	locs, err := browser.EvalJSON[[]string](tab, js+"("+string(arg)+", "+locateJS+")")
	if err != nil {
		return nil, fmt.Errorf("locate axe's elements: %w", err)
	}
	return locs, nil
}

// a11yRule is the Chinese title and the fix of an axe rule, for the rules a portal page most
// often breaks.
type a11yRule struct{ title, advice string }

var a11yRules = map[string]a11yRule{
	"color-contrast":        {"文字与背景对比度不足", "正文文字与背景的对比度应不低于 4.5:1（18 像素粗体或 24 像素以上的大字不低于 3:1）。"},
	"image-alt":             {"图片缺少替代文本", "有内容的图片应有说明其内容的 alt 替代文本，纯装饰图片应设 alt=\"\"，读屏软件才能正确处理。"},
	"input-image-alt":       {"图片按钮缺少替代文本", "图片形式的按钮应有说明其用途的 alt 文本。"},
	"label":                 {"输入框缺少标签", "每个输入框都应有读屏软件能读出的标签（label 元素、aria-label 或 aria-labelledby）。"},
	"select-name":           {"下拉框缺少标签", "每个下拉框都应有读屏软件能读出的标签。"},
	"button-name":           {"按钮没有可读名称", "按钮应有文字或 aria-label，读屏软件才能读出它的用途。"},
	"link-name":             {"链接没有可读名称", "链接应有文字或 aria-label，读屏软件才能读出它指向哪里。"},
	"html-has-lang":         {"页面未声明语言", "<html> 元素应声明页面语言（如 lang=\"zh-CN\"），读屏软件才能按中文朗读。"},
	"html-lang-valid":       {"页面声明的语言无效", "<html> 的 lang 属性应是有效的语言代码，如 zh-CN。"},
	"document-title":        {"页面缺少标题", "页面应有说明其内容的 <title>，方便群众和读屏软件识别页面。"},
	"frame-title":           {"内嵌框架缺少标题", "iframe 应有 title 属性说明其内容。"},
	"meta-viewport":         {"页面禁止缩放", "不应禁止用户缩放页面（不要用 user-scalable=no，maximum-scale 不小于 2），视力不佳的群众需要放大查看。"},
	"aria-required-attr":    {"ARIA 属性不完整", "使用 ARIA 角色时应提供该角色必需的属性。"},
	"aria-valid-attr-value": {"ARIA 属性值无效", "ARIA 属性应取有效值。"},
	"aria-hidden-focus":     {"隐藏内容仍可获得焦点", "设为 aria-hidden 的内容中不应有可聚焦的控件。"},
	"nested-interactive":    {"控件互相嵌套", "按钮、链接等可操作控件之间不应嵌套。"},
	"list":                  {"列表结构不正确", "ul、ol 中应只直接包含 li 等列表项。"},
	"listitem":              {"列表项不在列表中", "li 应放在 ul 或 ol 中。"},
}

// a11yText is the Chinese title and advice of a violation; a rule without a translation keeps
// axe's English help under a Chinese prefix.
func a11yText(v axe.Rule) (title, advice string) {
	if r, ok := a11yRules[v.ID]; ok {
		return r.title, r.advice
	}
	return "无障碍问题：" + v.Help, "请按 axe-core 说明修改（" + v.HelpURL + "）。"
}

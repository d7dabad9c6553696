package probes

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"tiyan/internal/browser"
	"tiyan/scenarios"
)

// The page-side scripts. locate.js names elements (shared with the a11y probe); layout.js
// measures every layout rule in one evaluation.
var (
	//go:embed locate.js
	locateJS string
	//go:embed layout.js
	layoutJS string
)

func init() { register("layout", Layout) }

// pageLocator is the locator of findings about the page as a whole.
const pageLocator = "page"

// Layout checks the 页面排版 rules of RULES.md (LAYOUT-*) on a loaded page: horizontal overflow,
// controls off screen or covered, overlapping and truncated text, small text and the elder mode,
// tap targets (H5), pop-ups on load, layout shift, and the broken resources and script errors of
// the load. It measures everything in one script evaluation, after waiting until
// Thresholds.ShiftWatch has passed since the document was parsed (domInteractive, normally
// 50–200 ms after navigation start) so that late shifts are seen: run it after
// the probes that only read the page, and before anything clicks or takes screenshots. It
// changes nothing on the page (a key control below the fold is scrolled to and back). When the
// measurement of a rule fails, the other rules' observations come back with an error naming it.
func Layout(ctx context.Context, p *Page) ([]Observation, error) {
	if !rendered(p) {
		return nil, nil // the channel family reports pages that did not load
	}
	th := p.Thresholds.WithDefaults()
	m, err := measureLayout(ctx, p, th)
	if err != nil {
		return nil, err
	}
	lc := layoutCheck{p: p, th: th, m: m, where: channelName(p) + "页面"}
	var obs []Observation
	for _, rule := range []func() []Observation{
		lc.overflow, lc.offscreen, lc.obscured, lc.overlap, lc.truncated, lc.smallText, lc.elderMode,
		lc.tapTargets, lc.popups, lc.shift, lc.brokenResources, lc.scriptErrors,
	} {
		obs = append(obs, rule()...)
	}
	if len(m.Failed) > 0 {
		return obs, fmt.Errorf("layout: %s: could not measure %s", p.URL, strings.Join(m.Failed, "; "))
	}
	return obs, nil
}

// rendered reports whether the page loaded well enough to have a layout.
func rendered(p *Page) bool {
	return p.Load == nil || (p.Load.Err == nil && p.Load.Status < 400)
}

// layoutOptions are the limits layout.js applies, from Thresholds.
type layoutOptions struct {
	ShiftWatchMs float64 `json:"shiftWatchMs"`
	OverflowPx   float64 `json:"overflowPx"`
	OverlapShare float64 `json:"overlapShare"`
	MinText      float64 `json:"minText"`
	TapTarget    float64 `json:"tapTarget"`
	Touch        bool    `json:"touch"`
	MaxPerRule   int     `json:"maxPerRule"`
}

// maxPerRule bounds the findings of one rule on one page: past ten, a window unit needs the
// pattern, not the list.
const maxPerRule = 10

func measureLayout(ctx context.Context, p *Page, th Thresholds) (*layoutMeasure, error) {
	minText := th.TextPC
	if p.Channel == scenarios.H5 {
		minText = th.TextH5
	}
	opts, err := json.Marshal(layoutOptions{
		ShiftWatchMs: float64(th.ShiftWatch.Milliseconds()), OverflowPx: th.OverflowPx,
		OverlapShare: th.OverlapShare, MinText: minText, TapTarget: th.TapTarget,
		Touch: p.Channel == scenarios.H5, MaxPerRule: maxPerRule,
	})
	if err != nil {
		return nil, err
	}
	tab, cancel := onTab(ctx, p.Tab)
	defer cancel()
	m, err := browser.EvalJSON[*layoutMeasure](tab, "("+layoutJS+")("+string(opts)+", "+locateJS+")")
	if err != nil {
		return nil, fmt.Errorf("layout: measure %s: %w", p.URL, err)
	}
	if m == nil {
		return nil, fmt.Errorf("layout: measure %s: the script returned nothing", p.URL)
	}
	return m, nil
}

// onTab returns the tab's context bounded by ctx as well: actions must run on the tab (a
// chromedp context) but end when the runner's deadline for the probe does.
func onTab(ctx, tab context.Context) (context.Context, context.CancelFunc) {
	run, cancel := context.WithCancelCause(tab)
	stop := context.AfterFunc(ctx, func() { cancel(context.Cause(ctx)) })
	if d, ok := ctx.Deadline(); ok {
		var cancelDeadline context.CancelFunc
		run, cancelDeadline = context.WithDeadline(run, d)
		return run, func() { stop(); cancelDeadline(); cancel(nil) }
	}
	return run, func() { stop(); cancel(nil) }
}

// layoutCheck turns one measurement into observations, one method per rule.
type layoutCheck struct {
	p     *Page
	th    Thresholds
	m     *layoutMeasure
	where string // "电脑端页面", "皖事通APP页面"
}

// observe fills in what every layout observation carries: the rule, the element's evidence and
// the basis at the end of the detail.
func (lc layoutCheck) observe(rule string, el *elementInfo, title, detail string, measured map[string]any) Observation {
	r, _ := RuleByID(rule)
	o := Observation{Rule: rule, Title: title, Detail: detail + "依据：" + r.Basis + "。", Measured: measured, Locator: pageLocator}
	if el != nil {
		o.Locator, o.DOM = el.Locator, el.HTML
		o.Box = el.box()
	}
	return o
}

func (lc layoutCheck) overflow() []Observation {
	f := lc.m.Overflow
	if f == nil {
		return nil
	}
	excess := f.ScrollWidth - f.ClientWidth
	culprit := "未能定位"
	if f.El != nil {
		culprit = f.El.describe()
	}
	o := lc.observe("LAYOUT-OVERFLOW", f.El,
		fmt.Sprintf("页面横向溢出 %.0f 像素，需左右拖动才能看全", excess),
		fmt.Sprintf("%s内容宽 %.0f 像素，而屏幕宽度只有 %.0f 像素，超出 %.0f 像素，群众须左右拖动才能看全内容；超出最多的元素是%s。页面内容应随屏幕宽度自适应，横向超出不应大于 %g 像素。",
			lc.where, f.ScrollWidth, f.ClientWidth, excess, culprit, lc.th.OverflowPx),
		map[string]any{"scroll_width": f.ScrollWidth, "client_width": f.ClientWidth, "excess_px": excess})
	o.Locator = pageLocator // one horizontal scroll per page, whichever element causes it
	if lc.p.Channel == scenarios.H5 {
		o.Severity = Major // RULES.md: major on H5, where there is no room to drag
	}
	return []Observation{o}
}

func (lc layoutCheck) offscreen() []Observation {
	var obs []Observation
	for _, f := range lc.m.Offscreen {
		side, outside := "右", f.Right-f.Viewport
		if f.Left < 0 {
			side, outside = "左", -f.Left
		}
		obs = append(obs, lc.observe("LAYOUT-OFFSCREEN", &f.El,
			fmt.Sprintf("控件%s超出屏幕%s侧", f.El.quoted(), side),
			fmt.Sprintf("%s上的控件%s横向位于 %.0f～%.0f 像素，而屏幕宽度为 %.0f 像素，有 %.0f 像素在屏幕%s侧之外，群众看不全、也可能点不到。可操作控件应完整显示在屏幕宽度之内。",
				lc.where, f.El.describe(), f.Left, f.Right, f.Viewport, outside, side),
			map[string]any{"left": f.Left, "right": f.Right, "viewport_width": f.Viewport, "outside_px": outside}))
	}
	return obs
}

func (lc layoutCheck) obscured() []Observation {
	var obs []Observation
	for _, f := range lc.m.Obscured {
		o := lc.observe("LAYOUT-OBSCURED", &f.El,
			fmt.Sprintf("关键按钮“%s”被%s遮挡", f.Name, f.Cover.quoted()),
			fmt.Sprintf("%s上的关键按钮“%s”（%s）中心点被%s覆盖，点击该按钮实际点到的是遮挡它的元素，群众无法继续办理。在线办理、提交、下一步、上传等关键按钮应完整可见、可以点击，浮动客服、横幅等不得遮挡。",
				lc.where, f.Name, f.El.Locator, f.Cover.describe()),
			map[string]any{"control": f.Name, "cover": f.Cover.Locator, "cover_box": f.Cover.Box})
		o.DOM = f.El.HTML + "\n<!-- 遮挡元素 -->\n" + f.Cover.HTML
		obs = append(obs, o)
	}
	return obs
}

func (lc layoutCheck) overlap() []Observation {
	var obs []Observation
	for _, f := range lc.m.Overlap {
		a, b := f.A, f.B
		if b.Locator < a.Locator {
			a, b = b, a // the same pair, the same locator, whichever was measured first
		}
		o := lc.observe("LAYOUT-OVERLAP", &a,
			fmt.Sprintf("文字或控件重叠：%s与%s", a.quoted(), b.quoted()),
			fmt.Sprintf("%s上%s与%s重叠，重叠部分占较小者的 %.0f%%（不应超过 %.0f%%），文字互相遮盖、难以辨认。文字块和控件之间不应重叠。",
				lc.where, a.describe(), b.describe(), f.Share*100, lc.th.OverlapShare*100),
			map[string]any{"share": f.Share, "other": b.Locator, "other_box": b.Box})
		o.Locator = a.Locator + " ↔ " + b.Locator
		o.Box = union(a.Box, b.Box)
		o.DOM = a.HTML + "\n<!-- 重叠元素 -->\n" + b.HTML
		obs = append(obs, o)
	}
	return obs
}

func (lc layoutCheck) truncated() []Observation {
	var obs []Observation
	for _, f := range lc.m.Truncated {
		how := "超出部分被隐藏"
		if f.Ellipsis || f.Clamp {
			how = "超出部分显示为省略号"
		}
		shown, full := f.ClientWidth, f.ScrollWidth
		if full <= shown {
			shown, full = f.ClientHeight, f.ScrollHeight
		}
		obs = append(obs, lc.observe("LAYOUT-TRUNCATED", &f.El,
			fmt.Sprintf("文字被截断：“%s”", shorten(f.Text, 20)),
			fmt.Sprintf("%s上%s的内容“%s”只显示了一部分（内容需 %.0f 像素，显示区域只有 %.0f 像素），%s，群众看不到完整信息。标签、按钮和办事指南内容应完整显示，放不下时应换行。",
				lc.where, f.El.Locator, f.Text, full, shown, how),
			map[string]any{"scroll_width": f.ScrollWidth, "client_width": f.ClientWidth,
				"scroll_height": f.ScrollHeight, "client_height": f.ClientHeight, "ellipsis": f.Ellipsis}))
	}
	return obs
}

func (lc layoutCheck) minText() float64 {
	if lc.p.Channel == scenarios.H5 {
		return lc.th.TextH5
	}
	return lc.th.TextPC
}

func (lc layoutCheck) smallText() []Observation {
	f := lc.m.SmallText
	if f.Count == 0 {
		return nil
	}
	o := lc.observe("LAYOUT-SMALL-TEXT", f.El,
		fmt.Sprintf("正文字号过小：最小 %g 像素", f.Min),
		fmt.Sprintf("%s有 %d 处文字（共 %d 字）字号小于 %g 像素，最小的只有 %g 像素（第一处：%s），老年人和视力不佳的群众难以阅读。%s正文字号不应小于 %g 像素。",
			lc.where, f.Count, f.Chars, lc.minText(), f.Min, f.El.describe(), channelName(lc.p), lc.minText()),
		map[string]any{"min_px": f.Min, "elements": f.Count, "chars": f.Chars, "limit_px": lc.minText()})
	o.Locator = pageLocator // one finding per page: the box is the first small text
	return []Observation{o}
}

// elderMode advises an elder mode where none is offered and the text is below its size. An
// elder mode is recognised by its name (长辈版, 关怀版, 大字版, 适老化 …) on a control. The
// observation is about one page; the sweep files it once per site and channel
// (LAYOUT-NO-ELDER-MODE is a site rule), with the pages that lack the mode.
func (lc layoutCheck) elderMode() []Observation {
	f := lc.m.SmallText
	if lc.m.Elder.Found || f.MainSize >= lc.th.ElderText || f.MainSize == 0 {
		return nil
	}
	o := lc.observe("LAYOUT-NO-ELDER-MODE", nil, "未提供长辈版（大字）模式",
		fmt.Sprintf("%s没有找到长辈版、关怀版、大字版或适老化模式的入口（按按钮和链接名称查找），正文主要字号为 %g 像素，低于适老化要求的 %g 像素。建议提供可切换的长辈版，正文字号不小于 %g 像素。",
			lc.where, f.MainSize, lc.th.ElderText, lc.th.ElderText),
		map[string]any{"main_text_px": f.MainSize, "elder_text_px": lc.th.ElderText})
	o.Severity, o.Locator = Advice, "elder-mode"
	return []Observation{o}
}

func (lc layoutCheck) tapTargets() []Observation {
	var obs []Observation
	t := lc.th.TapTarget
	for _, g := range lc.m.TapTargets {
		o := lc.observe("LAYOUT-TAP-TARGET", &g.El,
			fmt.Sprintf("点按区域过小：%s（%d 个）", g.El.quoted(), g.Count),
			fmt.Sprintf("%s上有 %d 个 %s 控件小于 %g×%g 像素，最小的只有 %.0f×%.0f 像素（如%s），手指难以准确点中。H5 页面控件的点按区域不应小于 %g×%g 像素（长辈版 60×60）。",
				lc.where, g.Count, g.Kind, t, t, g.Width, g.Height, g.El.describe(), t, t),
			map[string]any{"count": g.Count, "min_width": g.Width, "min_height": g.Height, "limit_px": t, "examples": g.Examples})
		o.Locator = "tap:" + g.Kind // one finding per kind of control
		obs = append(obs, o)
	}
	return obs
}

func (lc layoutCheck) popups() []Observation {
	var obs []Observation
	for _, f := range lc.m.Popups {
		what := map[string]string{
			"dialog": "对话框",
			"cover":  "覆盖大半屏幕的固定浮层",
			"close":  "带“关闭”按钮的固定浮层（广告、推广等）",
		}[f.Reason]
		obs = append(obs, lc.observe("LAYOUT-POPUP", &f.El,
			fmt.Sprintf("打开页面即弹出%s：%s", what, f.El.quoted()),
			fmt.Sprintf("%s打开后、群众未做任何操作时，就显示了%s（%s），遮挡页面内容、干扰办事。页面不应自动弹出广告、推广或其他浮层。",
				lc.where, what, f.El.describe()),
			map[string]any{"kind": f.Reason}))
	}
	return obs
}

func (lc layoutCheck) shift() []Observation {
	f := lc.m.Shift
	if f == nil || f.CLS <= lc.th.LayoutShift {
		return nil
	}
	moved := "未能定位"
	if f.El != nil {
		moved = f.El.describe()
	}
	o := lc.observe("LAYOUT-SHIFT", f.El,
		fmt.Sprintf("页面布局跳动：累积布局偏移 %.2f", f.CLS),
		fmt.Sprintf("%s打开后 %.1f 秒内累积布局偏移（CLS）为 %.2f，超过 %.2f：内容在加载过程中整体移动（例如横幅延后插入），群众容易看错、点错。移动最多的是%s。加载中才出现的内容应预先留出位置。",
			lc.where, lc.th.ShiftWatch.Seconds(), f.CLS, lc.th.LayoutShift, moved),
		map[string]any{"cls": f.CLS, "limit": lc.th.LayoutShift, "shifts": f.Count, "after_input": f.Ignored})
	o.Locator = pageLocator
	return []Observation{o}
}

// resourceTypes are the request types LAYOUT-BROKEN-RESOURCE covers: what the page is drawn
// with. A failed API call (XHR, Fetch) or the browser's own favicon request (Other) is not.
var resourceTypes = map[string]string{"Image": "图片", "Script": "脚本", "Stylesheet": "样式表", "Font": "字体", "Media": "音视频"}

func (lc layoutCheck) brokenResources() []Observation {
	if lc.p.Load == nil {
		return nil
	}
	var broken []Request
	var lines []string
	for _, r := range lc.p.Load.Failed {
		kind, ok := resourceTypes[r.Type]
		if !ok {
			continue
		}
		broken = append(broken, r)
		if len(lines) < 5 {
			lines = append(lines, kind+" "+r.URL+"（"+failure(r)+"）")
		}
	}
	if len(broken) == 0 {
		return nil
	}
	o := lc.observe("LAYOUT-BROKEN-RESOURCE", lc.imageOf(broken),
		fmt.Sprintf("页面资源加载失败：%d 个", len(broken)),
		fmt.Sprintf("%s有 %d 个图片、脚本或样式等资源加载失败：%s。资源失效会使页面缺图、错位或功能失灵，应修复或删除失效链接。",
			lc.where, len(broken), strings.Join(lines, "；")),
		map[string]any{"failed": len(broken)})
	o.Locator, o.Requests = "resources", broken
	return []Observation{o}
}

// imageOf finds a broken image on the page, so the finding's screenshot can point at it.
func (lc layoutCheck) imageOf(broken []Request) *elementInfo {
	for _, img := range lc.m.BrokenImages {
		for _, r := range broken {
			if r.URL == img.URL {
				return &img.El
			}
		}
	}
	return nil
}

func failure(r Request) string {
	if r.Status > 0 {
		return fmt.Sprintf("HTTP %d", r.Status)
	}
	return r.Error
}

func (lc layoutCheck) scriptErrors() []Observation {
	if lc.p.Load == nil || len(lc.p.Load.Exceptions) == 0 {
		return nil
	}
	ex := lc.p.Load.Exceptions
	shown := make([]string, 0, 3)
	for _, e := range ex[:min(len(ex), 3)] {
		shown = append(shown, shorten(exceptionText(e), 200))
	}
	o := lc.observe("LAYOUT-SCRIPT-ERROR", nil,
		fmt.Sprintf("页面脚本报错：%s", shorten(firstLine(exceptionText(ex[0])), 60)),
		fmt.Sprintf("%s加载时出现 %d 个未捕获的 JavaScript 异常：%s。脚本出错可能使按钮无响应、内容不显示，应排查修复。",
			lc.where, len(ex), strings.Join(shown, "；")),
		map[string]any{"exceptions": len(ex)})
	return []Observation{o}
}

// The measurement as layout.js returns it.
type (
	layoutMeasure struct {
		Overflow     *overflowFound   `json:"overflow"`
		Offscreen    []offscreenFound `json:"offscreen"`
		Obscured     []obscuredFound  `json:"obscured"`
		Overlap      []overlapFound   `json:"overlap"`
		Truncated    []truncatedFound `json:"truncated"`
		SmallText    smallTextFound   `json:"smallText"`
		Elder        elderFound       `json:"elder"`
		TapTargets   []tapTargetGroup `json:"tapTargets"`
		Popups       []popupFound     `json:"popups"`
		BrokenImages []brokenImage    `json:"brokenImages"`
		Shift        *shiftFound      `json:"shift"`
		Failed       []string         `json:"failed"` // rules whose measurement threw
	}
	overflowFound struct {
		ScrollWidth float64      `json:"scrollWidth"`
		ClientWidth float64      `json:"clientWidth"`
		Right       float64      `json:"right"`
		El          *elementInfo `json:"el"`
	}
	offscreenFound struct {
		El       elementInfo `json:"el"`
		Left     float64     `json:"left"`
		Right    float64     `json:"right"`
		Viewport float64     `json:"viewport"`
	}
	obscuredFound struct {
		El    elementInfo `json:"el"`
		Name  string      `json:"name"`
		Cover elementInfo `json:"cover"`
	}
	overlapFound struct {
		A     elementInfo `json:"a"`
		B     elementInfo `json:"b"`
		Share float64     `json:"share"`
	}
	truncatedFound struct {
		El           elementInfo `json:"el"`
		Text         string      `json:"text"`
		ScrollWidth  float64     `json:"scrollWidth"`
		ClientWidth  float64     `json:"clientWidth"`
		ScrollHeight float64     `json:"scrollHeight"`
		ClientHeight float64     `json:"clientHeight"`
		Ellipsis     bool        `json:"ellipsis"`
		Clamp        bool        `json:"clamp"`
	}
	smallTextFound struct {
		Min      float64      `json:"min"`
		Count    int          `json:"count"`
		Chars    int          `json:"chars"`
		MainSize float64      `json:"mainSize"`
		El       *elementInfo `json:"el"`
	}
	elderFound struct {
		Found bool   `json:"found"`
		Name  string `json:"name"`
	}
	tapTargetGroup struct {
		Kind     string      `json:"kind"`
		Count    int         `json:"count"`
		Width    float64     `json:"width"`
		Height   float64     `json:"height"`
		El       elementInfo `json:"el"`
		Examples []string    `json:"examples"`
	}
	popupFound struct {
		El     elementInfo `json:"el"`
		Reason string      `json:"reason"`
	}
	brokenImage struct {
		URL string      `json:"url"`
		El  elementInfo `json:"el"`
	}
	shiftFound struct {
		CLS      float64      `json:"cls"`
		Count    int          `json:"count"`
		Ignored  float64      `json:"ignored"`
		SawInput bool         `json:"sawInput"`
		Flagged  int          `json:"flagged"`
		El       *elementInfo `json:"el"`
	}
)

// elementInfo is one element as locate.js describes it.
type elementInfo struct {
	Locator string `json:"locator"`
	Text    string `json:"text"`
	Box     Box    `json:"box"`
	HTML    string `json:"html"`
}

func (e *elementInfo) box() *Box {
	if e.Box.Width <= 0 && e.Box.Height <= 0 {
		return nil
	}
	b := e.Box
	return &b
}

// quoted names the element for a title: its text in quotes, or its locator.
func (e *elementInfo) quoted() string {
	if e.Text != "" {
		return "“" + shorten(e.Text, 20) + "”"
	}
	return e.Locator
}

// describe names the element for a detail: its text and its locator.
func (e *elementInfo) describe() string {
	if e == nil {
		return "（未能定位）"
	}
	if e.Text != "" {
		return "“" + shorten(e.Text, 30) + "”（" + e.Locator + "）"
	}
	return e.Locator
}

func union(a, b Box) *Box {
	x, y := min(a.X, b.X), min(a.Y, b.Y)
	return &Box{X: x, Y: y, Width: max(a.X+a.Width, b.X+b.Width) - x, Height: max(a.Y+a.Height, b.Y+b.Height) - y}
}

// shorten cuts s to n characters (not bytes) with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// exceptionText is the exception as the browser console shows it, without the message type.
func exceptionText(s string) string { return strings.TrimPrefix(s, "exception: ") }

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

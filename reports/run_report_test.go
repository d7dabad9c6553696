package reports

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"tiyan/internal/finding"
)

var runStart = time.Date(2025, 3, 3, 17, 0, 0, 0, time.UTC) // 01:00 in Asia/Shanghai

// sweepReport is a finished two-channel sweep of five items with four findings on three items,
// one of them dismissed, and two prober errors. Its guide finding carries markup that must come
// out escaped.
func sweepReport(t *testing.T) RunReport {
	shot := tinyPNG(t)
	seen := runStart.Add(10 * time.Minute)
	f := func(id int64, rule string, cat finding.Category, sev finding.Severity, ch finding.Channel, item, name, title string) finding.Finding {
		return finding.Finding{
			ID: id, Kind: finding.Problem, Status: finding.Found, Rule: rule, Category: cat, Severity: sev,
			Source: finding.SourceProbe, ItemCode: item, ItemName: name, Unit: "六安市市场监督管理局", Channel: ch,
			Title: title, URL: "https://www.ahzwfw.gov.cn/bog-bsdt/static/workProcess.html?ssqdCode=" + item,
			Fingerprint: "fp" + rule, Occurrences: 1, FirstSeen: seen, LastSeen: seen,
		}
	}
	const a, b, c = "11341500MB1234567X4000117001", "11341500MB1234567X4000117002", "11341500MB1234567X4000117003"
	unreachable := f(3, "CHANNEL-UNREACHABLE", finding.CatChannel, finding.Blocker, finding.H5, a, "个体工商户设立登记", "页面无法访问")
	httpErr := f(4, "CHANNEL-HTTP-ERROR", finding.CatChannel, finding.Blocker, finding.PC, b, "食品经营许可", "页面返回 HTTP 500")
	httpErr.Status, httpErr.Overdue, httpErr.Occurrences = finding.FedBack, true, 3
	httpErr.FirstSeen = runStart.AddDate(0, 0, -7)
	guide := f(5, "GUIDE-MATERIAL-MISMATCH", finding.CatGuide, finding.Major, finding.PC, a, "个体工商户设立登记", `指南材料与申报页不一致：<b>身份证明</b>`)
	guide.Detail = "指南列出 3 项材料，申报页要求 4 项。\n多出：<script>alert(1)</script>"
	layout := f(6, "LAYOUT-OVERFLOW", finding.CatLayout, finding.Minor, finding.H5, c, "道路运输经营许可", "页面横向溢出")
	layout.RecurrenceOf = 2
	dismissed := f(7, "CHANNEL-ERROR-PAGE", finding.CatChannel, finding.Blocker, finding.PC, c, "道路运输经营许可", "页面显示“系统维护中”")
	dismissed.Status = finding.Dismissed
	return RunReport{
		Run: finding.Run{
			ID: "20250304-010000-abc123", Kind: finding.RunSweep, Site: "皖事通办", Channels: []string{"pc", "h5"},
			Status: finding.RunDone, Started: runStart, Finished: runStart.Add(72*time.Minute + 30*time.Second),
			Total: 10, Done: 9, Findings: 5,
			Errors: []string{
				"11341500MB1234567X4000117005 h5 layout：chrome: websocket closed",
				"11341500MB1234567X4000117004 pc guide：context deadline exceeded",
			},
		},
		Findings: []RunFinding{
			{Finding: layout, New: true},
			{Finding: guide, New: true},
			{Finding: dismissed, Screenshot: shot, New: true},
			{Finding: httpErr, Screenshot: shot},
			{Finding: unreachable, Screenshot: shot, New: true},
		},
		BaseURL:   "https://tiyan.example.gov.cn/",
		Generated: runStart.Add(2 * time.Hour),
	}
}

func renderRun(t *testing.T, r RunReport) string {
	t.Helper()
	var b strings.Builder
	if err := WriteRunReport(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestRunReportGolden(t *testing.T) {
	golden(t, "run_report.golden.html", renderRun(t, sweepReport(t)))
}

func TestRunReportSummary(t *testing.T) {
	out := renderRun(t, sweepReport(t))
	for _, want := range []string{
		`<html lang="zh-CN">`,
		`<title>政务服务体验报告 · 20250304-010000-abc123</title>`,
		`<dd>全量巡检</dd>`,
		`<dd>PC 端、皖事通 H5</dd>`,
		`<dd>2025-03-04 01:00:00</dd>`, // Asia/Shanghai
		`<dd>1 小时 13 分</dd>`,
		`已体验 9 个，计划 10 个`,
		`5 个，其中本次新发现 4 个`,
		`<a href="#prober-errors">2 条</a>（体验程序自身出错，不是门户问题）`,
		`体验程序自身问题（不是门户问题）`,
		`<code>11341500MB1234567X4000117004 pc guide：context deadline exceeded</code>`,
		`报告生成于 2025-03-04 03:00:00`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// TestRunReportAvailability: nine item-channels over two channels are five on PC and four on
// H5; the dismissed error page does not count against PC.
func TestRunReportAvailability(t *testing.T) {
	v := newRunReportView(sweepReport(t))
	want := []availability{{"PC 端", 5, 1, "80.0%"}, {"皖事通 H5", 4, 1, "75.0%"}}
	if len(v.Available) != len(want) {
		t.Fatalf("availability = %+v", v.Available)
	}
	for i := range want {
		if v.Available[i] != want[i] {
			t.Errorf("availability[%d] = %+v, want %+v", i, v.Available[i], want[i])
		}
	}
	empty := newRunReportView(RunReport{Run: finding.Run{Channels: []string{"pc"}}})
	if got := empty.Available[0].Rate; got != "—" {
		t.Errorf("rate with nothing probed = %q", got)
	}
}

func TestRunReportCounts(t *testing.T) {
	v := newRunReportView(sweepReport(t))
	got := map[string]string{}
	for _, r := range v.Counts {
		got[r.Label] = csv(r.Counts)
	}
	// Columns: 阻断 严重 一般 建议.
	for label, want := range map[string]string{"办理渠道": "3,0,0,0", "办事指南": "0,1,0,0", "页面布局": "0,0,1,0"} {
		if got[label] != want {
			t.Errorf("counts of %s = %s, want %s", label, got[label], want)
		}
	}
	if v.Counts[0].Label != "办理渠道" || v.Total.Total != 5 || csv(v.Total.Counts) != "3,1,1,0" {
		t.Errorf("rows %+v, total %+v", v.Counts, v.Total)
	}
	// Items: A and C have two findings each, B one; ties by code.
	var items []string
	for _, it := range v.Items {
		items = append(items, it.Code[len(it.Code)-1:]+":"+csv(it.Counts))
	}
	if got := strings.Join(items, " "); got != "1:1,1 3:1,1 2:1,0" {
		t.Errorf("item rows = %s", got)
	}
	// Findings: blockers first, new before seen again.
	var order []int64
	for _, f := range v.Findings {
		order = append(order, f.ID)
	}
	if got := csv(order); got != "3,7,4,5,6" {
		t.Errorf("finding order = %s", got)
	}
}

func TestRunReportFindings(t *testing.T) {
	out := renderRun(t, sweepReport(t))
	for _, want := range []string{
		`id="finding-3"`,
		`<a href="https://tiyan.example.gov.cn/findings/3">在体验官系统中查看</a>`,
		`<span class="badge sev-blocker">阻断</span> 页面无法访问 <span class="badge new">本次新发现</span>`,
		`<dd>已反馈（已超期）</dd>`,
		`<dd>不予采纳</dd>`,
		`<span class="badge recur">回潮</span>`,
		`已整改的问题 #2 再次出现`,
		`指南材料与申报页不一致：&lt;b&gt;身份证明&lt;/b&gt;`,
		`多出：&lt;script&gt;alert(1)&lt;/script&gt;`,
		`<code>fpGUIDE-MATERIAL-MISMATCH</code>`,
		`3 次（首次 2025-02-25 01:00:00，最近 2025-03-04 01:10:00）`,
		`本问题没有截图。`,
		`<a href="#finding-3">个体工商户设立登记</a>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(out, "<script") {
		t.Error("report contains a <script>")
	}
	imgs := regexp.MustCompile(`<img [^>]*>`).FindAllString(out, -1)
	if len(imgs) != 3 {
		t.Fatalf("got %d <img>, want 3", len(imgs))
	}
	for _, img := range imgs {
		if !strings.Contains(img, `src="data:image/png;base64,iVBOR`) || !strings.Contains(img, `alt="问题 #`) {
			t.Errorf("screenshot not inlined with alt text: %s", img)
		}
	}
	if !strings.Contains(imgs[0], `class="shot phone"`) || strings.Contains(imgs[1], "phone") {
		t.Errorf("H5 screenshot not at phone width, or PC one is: %s / %s", imgs[0], imgs[1])
	}
}

// TestRunReportStandalone: without a base URL nothing links out of the file, and linked
// screenshots (as the web UI serves the report) are not inlined.
func TestRunReportStandalone(t *testing.T) {
	r := sweepReport(t)
	r.BaseURL = ""
	r.Findings[4].Screenshot, r.Findings[4].ScreenshotURL = nil, "/evidence/42"
	out := renderRun(t, r)
	if strings.Contains(out, "在体验官系统中查看") {
		t.Error("standalone report links into the web UI")
	}
	if !strings.Contains(out, `src="/evidence/42"`) {
		t.Error("linked screenshot missing")
	}
	for _, bad := range []string{`src="http`, `href="//`, "<link", "@import", "url("} {
		if strings.Contains(out, bad) {
			t.Errorf("report would make an external request: %q", bad)
		}
	}
}

func TestRunReportEmpty(t *testing.T) {
	r := sweepReport(t)
	r.Findings, r.Run.Errors = nil, nil
	r.Run.Status, r.Run.Finished = finding.RunRunning, time.Time{}
	out := renderRun(t, r)
	for _, want := range []string{"本次运行未发现问题。", "<dd>0 个</dd>", "<dd>进行中</dd>", "<dd>尚未结束</dd>", "<dt>程序自身问题</dt><dd>无</dd>"} {
		if !strings.Contains(out, want) {
			t.Errorf("empty report lacks %q", want)
		}
	}
	for _, bad := range []string{"prober-errors", "事项一览", "问题详情"} {
		if strings.Contains(out, bad) {
			t.Errorf("empty report shows %q", bad)
		}
	}
}

// TestRunReportAccessible opens the report, stretched with long unbreakable text, on both
// devices in a real Chromium: axe finds no WCAG 2.1 A/AA violation and nothing scrolls sideways.
func TestRunReportAccessible(t *testing.T) {
	r := sweepReport(t)
	long := strings.Repeat("x", 300)
	r.Findings[1].Finding.URL += "&q=" + long
	r.Findings[1].Finding.Detail += long
	r.Run.Errors = append(r.Run.Errors, "GET https://www.ahzwfw.gov.cn/"+long)
	page := renderRun(t, r)
	checkAccessible(t, page)
}

func csv[T int | int64](ns []T) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprint(n)
	}
	return strings.Join(parts, ",")
}

// TestPickScreenshot: the report shows the page as this run saw it, when the store still has
// that screenshot, and otherwise the newest one.
func TestPickScreenshot(t *testing.T) {
	at := func(m int) time.Time { return runStart.Add(time.Duration(m) * time.Minute) }
	evs := []finding.Evidence{
		{ID: 1, Kind: finding.EvidenceScreenshot, RunID: "old", Created: at(0)},
		{ID: 2, Kind: finding.EvidenceScreenshot, RunID: "this", Created: at(10)},
		{ID: 3, Kind: finding.EvidenceDOM, RunID: "this", Created: at(20)},
		{ID: 4, Kind: finding.EvidenceScreenshot, RunID: "later", Created: at(30)},
	}
	for runID, want := range map[string]int64{"this": 2, "old": 1, "unknown": 4, "": 4} {
		if got, ok := pickScreenshot(evs, runID); !ok || got.ID != want {
			t.Errorf("run %q: picked #%d, want #%d", runID, got.ID, want)
		}
	}
	if _, ok := pickScreenshot(evs[2:3], "this"); ok {
		t.Error("picked a DOM excerpt as a screenshot")
	}
}

func TestOpenedIn(t *testing.T) {
	run := finding.Run{Started: runStart, Finished: runStart.Add(time.Hour)}
	for _, c := range []struct {
		first time.Time
		want  bool
	}{{runStart.Add(-time.Minute), false}, {runStart, true}, {runStart.Add(time.Hour), true}, {runStart.Add(2 * time.Hour), false}} {
		if got := openedIn(finding.Finding{FirstSeen: c.first}, run); got != c.want {
			t.Errorf("first seen %s: new = %v", c.first, got)
		}
	}
}

package web

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"tiyan/internal/finding"
)

// listed returns the finding IDs a list page shows, in order.
func listed(t *testing.T, body string) []int64 {
	t.Helper()
	var ids []int64
	for _, m := range regexp.MustCompile(`<h2 class="card-title"><a href="/findings/(\d+)">`).FindAllStringSubmatch(body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		ids = append(ids, id)
	}
	return ids
}

func TestHomeRedirects(t *testing.T) {
	fx := newFixture(t)
	r := fx.admin.get(t, "/")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/findings" {
		t.Errorf("GET / = %d to %q", r.status, r.header.Get("Location"))
	}
}

func TestFindingsList(t *testing.T) {
	fx := newFixture(t)
	r := fx.admin.get(t, "/findings")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET /findings = %d %s", r.status, r.header.Get("Content-Type"))
	}
	r.has(t, `<html lang="zh-CN">`, "<title>问题清单 · tiyan 政务服务体验官</title>",
		`全部 <span class="count">6</span>`, `发现问题 <span class="count">3</span>`, `已反馈 <span class="count">1</span>`,
		`已处理 <span class="count">1</span>`, `已整改 <span class="count">1</span>`, `不予采纳 <span class="count">0</span>`,
		"共 6 个问题", `<span class="badge overdue">已超期</span>`, "失业保险金申领", scjgj,
		`窗口无人值守 &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`)
	// Nearest deadline first: the overdue HTTP 500 (one working day) before the handled guide
	// finding (five), then those without a deadline.
	got := listed(t, r.body)
	if len(got) != 6 || got[0] != fx.httpErr || got[1] != fx.guide {
		t.Errorf("order = %v, want %d then %d first", got, fx.httpErr, fx.guide)
	}
}

func TestFindingsFilters(t *testing.T) {
	fx := newFixture(t)
	unit := strconv.FormatInt(fx.unitSCJGJ, 10)
	for _, c := range []struct {
		query string
		want  []int64
	}{
		{"status=found", []int64{fx.unreachable, fx.recurrence, fx.manual}},
		{"status=" + "已反馈", []int64{fx.httpErr}}, // the Chinese label works too
		{"category=channel", []int64{fx.httpErr, fx.unreachable}},
		{"severity=blocker&channel=h5", []int64{fx.unreachable}},
		{"channel=offline", []int64{fx.manual}},
		{"unit=" + unit + "&status=found", []int64{fx.unreachable, fx.recurrence, fx.manual}},
		{"overdue=1", []int64{fx.httpErr}},
		{"overdue=1&unit=" + unit, nil},
		{"category=suggestion", nil},
	} {
		t.Run(c.query, func(t *testing.T) {
			r := fx.admin.get(t, "/findings?"+c.query)
			if r.status != http.StatusOK {
				t.Fatalf("status %d", r.status)
			}
			got := listed(t, r.body)
			slices.Sort(got)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("listed %v, want %v", got, want)
			}
			r.has(t, fmt.Sprintf("共 %d 个问题", len(c.want)))
			if len(c.want) == 0 {
				r.has(t, "没有符合条件的问题。")
			}
		})
	}
}

// TestFindingsFilterForm: the form shows the filters in force, and the status tabs keep them.
func TestFindingsFilterForm(t *testing.T) {
	fx := newFixture(t)
	r := fx.admin.get(t, "/findings?status=found&category=channel&overdue=1")
	r.has(t, `<input type="hidden" name="status" value="found">`, `<option value="channel" selected>办理渠道</option>`,
		`name="overdue" value="1" checked`, `<a class="button-link" href="/findings?status=found">清除筛选</a>`,
		`<a href="/findings?category=channel&amp;overdue=1&amp;status=fed_back">已反馈 <span class="count">1</span></a>`,
		`aria-current="true">发现问题`)
	for _, label := range []string{"问题类别", "严重程度", "渠道", "责任单位", "只看已超期"} {
		if !regexp.MustCompile(`<label for="f-[a-z]+">` + label + `</label>`).MatchString(r.body) {
			t.Errorf("form lacks a label %q", label)
		}
	}
}

func TestFindingsBadQuery(t *testing.T) {
	fx := newFixture(t)
	for query, want := range map[string]string{
		"status=open-ish": `状态 &#34;open-ish&#34; 无法识别`,
		"severity=urgent": `严重程度 &#34;urgent&#34; 无法识别`,
		"unit=abc":        `单位编号 &#34;abc&#34; 应为正整数`,
		"page=0":          `页码 &#34;0&#34; 应为正整数`,
		"overdue=maybe":   `“只看超期”应为 1 或 0`,
	} {
		r := fx.admin.get(t, "/findings?"+query)
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d", query, r.status)
		}
		if !strings.Contains(r.body, want) {
			t.Errorf("%s: page lacks %q", query, want)
		}
	}
}

func TestFindingsPaging(t *testing.T) {
	fx := newFixture(t)
	var more []finding.Sighting
	for i := range 55 {
		s := fx.sightings()[2]
		s.ItemCode = fmt.Sprintf("11341500MB1234567X40001%05d", i)
		more = append(more, s)
	}
	fx.ingest(t, more...)
	first := fx.admin.get(t, "/findings?category=guide")
	if n := len(listed(t, first.body)); n != pageSize {
		t.Errorf("page 1 shows %d", n)
	}
	first.has(t, "共 56 个问题，第 1 / 2 页", `<a href="/findings?category=guide&amp;page=2" rel="next">下一页</a>`)
	second := fx.admin.get(t, "/findings?category=guide&page=2")
	if n := len(listed(t, second.body)); n != 6 {
		t.Errorf("page 2 shows %d", n)
	}
	second.has(t, `<a href="/findings?category=guide" rel="prev">上一页</a>`)
	if strings.Contains(second.body, `rel="next"`) {
		t.Error("last page links to a next one")
	}
}

func TestFindingPage(t *testing.T) {
	fx := newFixture(t)
	r := fx.admin.get(t, fmt.Sprintf("/findings/%d", fx.unreachable))
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	r.has(t,
		fmt.Sprintf("<title>问题 #%d：办事指南页面无法访问 · tiyan", fx.unreachable),
		fmt.Sprintf(`<img class="phone" src="/evidence/%d" alt="问题 #%d 的标注截图：办事指南页面无法访问">`, fx.shotID, fx.unreachable),
		"<code>CHANNEL-UNREACHABLE</code>", "个体工商户设立登记", "<code>"+itemA+"</code>", scjgj, "六安市（341500）", "皖事通 H5",
		`href="https://www.ahzwfw.gov.cn/bog-bsdt/static/workProcess.html?ssqdCode=`+itemA+`" rel="noreferrer noopener"`,
		"15 秒内未打开", "<code>load_ms</code></th><td><code>15000</code>", "<code>status</code></th><td><code>timeout</code>",
		`&lt;div class=&#34;guide&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;加载中&lt;/div&gt;`,
		fmt.Sprintf(`<a href="/evidence/%d">下载完整页面片段</a>`, fx.domID),
		"<dd>1 次</dd>", "2026-06-01 01:05", "<strong>发现问题</strong>", "自动体验发现",
		fmt.Sprintf(`<a href="/runs/%s">%s</a>`, fx.runID, fx.runID), "标注截图：screenshot.png")
	if strings.Contains(r.body, "<script") {
		t.Error("finding page contains a <script>")
	}
}

func TestFindingPageLoopState(t *testing.T) {
	fx := newFixture(t)
	overdue := fx.admin.get(t, fmt.Sprintf("/findings/%d", fx.httpErr))
	overdue.has(t, `<p class="alert" role="alert">已超过整改时限（2026-06-02）`, `<strong class="overdue-text">已超期</strong>`,
		"<strong>反馈问题</strong>", "发现问题 → 已反馈", "请尽快恢复", "李强", "本问题没有截图。")
	recur := fx.admin.get(t, fmt.Sprintf("/findings/%d", fx.recurrence))
	recur.has(t, `<span class="badge recur">回潮</span>`, fmt.Sprintf(`已整改的 <a href="/findings/%d">问题 #%d</a> 再次出现`, fx.fixed, fx.fixed))
	fixed := fx.admin.get(t, fmt.Sprintf("/findings/%d", fx.fixed))
	fixed.has(t, "<strong>评价：已整改</strong>", "已处理 → 已整改", "tiyan")
	manual := fx.admin.get(t, fmt.Sprintf("/findings/%d", fx.manual))
	manual.has(t, "<dd>问题（体验官）</dd>", "<dd>人工报告</dd>", "线下窗口", `alt="问题 #`, "现场照片：窗口照片.jpg", "王芳")
}

func TestNotFoundInChinese(t *testing.T) {
	fx := newFixture(t)
	for path, want := range map[string]string{
		"/findings/999":    "问题 #999 不存在",
		"/findings/abc":    `问题编号 &#34;abc&#34; 无效`,
		"/evidence/999":    "证据 #999 不存在",
		"/runs/no-such":    "运行 no-such 不存在",
		"/no/such/page":    "您访问的地址 /no/such/page 不存在",
		"/static/none.css": "您访问的地址 /static/none.css 不存在",
		"/static/":         "不存在",
	} {
		r := fx.admin.get(t, path)
		if r.status != http.StatusNotFound {
			t.Errorf("%s: status %d", path, r.status)
		}
		if !strings.Contains(r.body, want) || !strings.Contains(r.body, `<html lang="zh-CN">`) {
			t.Errorf("%s: page lacks %q:\n%.400s", path, want, r.body)
		}
	}
	r := fx.admin.do(t, http.MethodPost, "/findings", "", nil)
	if r.status != http.StatusMethodNotAllowed || !strings.Contains(r.body, "不支持这种操作") {
		t.Errorf("POST /findings = %d:\n%.400s", r.status, r.body)
	}
}

func TestEvidence(t *testing.T) {
	fx := newFixture(t)
	shot := fx.admin.get(t, fmt.Sprintf("/evidence/%d", fx.shotID))
	if shot.status != http.StatusOK || shot.header.Get("Content-Type") != "image/png" || shot.body != string(tinyPNG) {
		t.Errorf("screenshot: %d %s, %d bytes", shot.status, shot.header.Get("Content-Type"), len(shot.body))
	}
	if d := shot.header.Get("Content-Disposition"); d != `inline; filename=screenshot.png` {
		t.Errorf("screenshot disposition %q", d)
	}
	dom := fx.admin.get(t, fmt.Sprintf("/evidence/%d", fx.domID))
	if dom.header.Get("Content-Type") != "text/plain; charset=utf-8" || !strings.HasPrefix(dom.header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("DOM excerpt: %s, %s", dom.header.Get("Content-Type"), dom.header.Get("Content-Disposition"))
	}
	for _, r := range []response{shot, dom} {
		if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Content-Security-Policy") != evidenceCSP {
			t.Errorf("evidence headers: %v", r.header)
		}
	}
	f, err := fx.store.Finding(t.Context(), fx.manual)
	if err != nil {
		t.Fatal(err)
	}
	photo := fx.admin.get(t, fmt.Sprintf("/evidence/%d", f.Evidence[0].ID))
	if d := photo.header.Get("Content-Disposition"); photo.header.Get("Content-Type") != "image/jpeg" || d != `inline; filename*=utf-8''%E7%AA%97%E5%8F%A3%E7%85%A7%E7%89%87.jpg` {
		t.Errorf("photo: %s, %q", photo.header.Get("Content-Type"), d)
	}
}

func TestRunsPages(t *testing.T) {
	fx := newFixture(t)
	list := fx.admin.get(t, "/runs")
	list.has(t, fmt.Sprintf(`<a href="/runs/%s">%s</a>`, fx.runID, fx.runID), "全量巡检", "PC 端、皖事通 H5", "已完成", "6 / 6", `aria-current="page">体验记录`)
	rep := fx.admin.get(t, "/runs/"+fx.runID)
	if rep.status != http.StatusOK {
		t.Fatalf("run report: %d", rep.status)
	}
	rep.has(t, "政务服务体验报告", fmt.Sprintf(`src="/evidence/%d"`, fx.shotID), fmt.Sprintf(`<a href="/findings/%d">在体验官系统中查看</a>`, fx.unreachable),
		"context deadline exceeded", "已反馈（已超期）")
	if strings.Contains(rep.body, "data:image/png") {
		t.Error("web run report inlines screenshots")
	}
	csp := rep.header.Get("Content-Security-Policy")
	if !regexp.MustCompile(`^default-src 'none'; img-src 'self' data:;.*; style-src 'sha256-[A-Za-z0-9+/]+=*'$`).MatchString(csp) {
		t.Errorf("run report CSP %q", csp)
	}
}

func TestSecurityHeaders(t *testing.T) {
	fx := newFixture(t)
	for _, path := range []string{"/findings", fmt.Sprintf("/findings/%d", fx.manual), "/runs", "/findings/999"} {
		r := fx.admin.get(t, path)
		h := r.header
		if h.Get("Content-Security-Policy") != pageCSP || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("X-Frame-Options") != "DENY" || h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s headers: %v", path, h)
		}
		if strings.Contains(r.body, "<script") || strings.Contains(r.body, " style=") || strings.Contains(r.body, "<style") {
			t.Errorf("%s has inline script or style", path)
		}
	}
	if !strings.Contains(pageCSP, "default-src 'self'") || !strings.Contains(pageCSP, "img-src 'self' data:") {
		t.Errorf("page CSP %q", pageCSP)
	}
}

func TestStylesheet(t *testing.T) {
	fx := newFixture(t)
	page := fx.admin.get(t, "/findings")
	href := regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)">`).FindStringSubmatch(page.body)
	if href == nil || !strings.HasPrefix(href[1], "/static/app.css?v=") {
		t.Fatalf("stylesheet link: %v", href)
	}
	css := fx.admin.get(t, strings.ReplaceAll(href[1], "&amp;", "&"))
	if css.status != http.StatusOK || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") || !strings.Contains(css.header.Get("Cache-Control"), "immutable") {
		t.Errorf("stylesheet: %d %v", css.status, css.header)
	}
}

func TestHealthz(t *testing.T) {
	fx := newFixture(t)
	if r := fx.admin.get(t, "/healthz"); r.status != http.StatusOK || r.body != "ok\n" {
		t.Errorf("healthz: %d %q", r.status, r.body)
	}
	fx.store.Close()
	if r := fx.admin.get(t, "/healthz"); r.status != http.StatusServiceUnavailable {
		t.Errorf("healthz on a closed store: %d %q", r.status, r.body)
	}
}

// TestBaseURL: behind a proxy at /tiyan every link carries the prefix, and run reports link
// findings with the whole address.
func TestBaseURL(t *testing.T) {
	fx := newFixture(t)
	srv, err := New(Config{Store: fx.store, BaseURL: "https://zwfw.example.gov.cn/tiyan/", Now: fx.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	admin := fx.clientOf(t, srv, "admin")
	if r := admin.get(t, "/"); r.header.Get("Location") != "/tiyan/findings" {
		t.Errorf("redirect to %q", r.header.Get("Location"))
	}
	if r := anon(srv).get(t, "/findings?status=found"); r.header.Get("Location") != "/tiyan/signin?next=%2Ffindings%3Fstatus%3Dfound" {
		t.Errorf("sign-in redirect to %q", r.header.Get("Location"))
	}
	admin.get(t, "/findings").has(t, `href="/tiyan/static/app.css?v=`, `<a href="/tiyan/runs">体验记录</a>`,
		fmt.Sprintf(`<a href="/tiyan/findings/%d">`, fx.unreachable), `action="/tiyan/findings"`, `action="/tiyan/signout"`)
	admin.get(t, "/runs/"+fx.runID).has(t, fmt.Sprintf(`href="https://zwfw.example.gov.cn/tiyan/findings/%d"`, fx.unreachable),
		fmt.Sprintf(`src="/tiyan/evidence/%d"`, fx.shotID))
}

func TestNewConfig(t *testing.T) {
	if _, err := New(Config{}); err == nil {
		t.Error("New without a store succeeded")
	}
	fx := newFixture(t)
	if _, err := New(Config{Store: fx.store, BaseURL: "tiyan.example"}); err == nil {
		t.Error("a base URL without a scheme was accepted")
	}
	srv, err := New(Config{Loop: fx.loop})
	if err != nil || srv.store != fx.store {
		t.Errorf("New with only a loop: %v", err)
	}
}

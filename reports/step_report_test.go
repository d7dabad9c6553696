package reports

import (
	"bytes"
	"context"
	"encoding/base64"
	"flag"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"tiyan/internal/axe"
	"tiyan/internal/browser"
	"tiyan/internal/browser/browsertest"
)

var chromium browsertest.Shared

func TestMain(m *testing.M) {
	os.Exit(chromium.Run(m, browser.Config{})) // skips the browser tests without Chromium or with -short
}

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// tinyPNG is a valid 1×1 grey PNG, fixed so the golden file does not move
// with the encoder.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAADklEQVR4nGI6AQgAAP//AM4AyztYcJ8AAAAASUVORK5CYII=")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Fatalf("tiny PNG is not valid: %v", err)
	}
	return b
}

// failingReport is an H5 run whose third step fails with page content
// that tries to inject markup into the report.
func failingReport(t *testing.T) StepReport {
	shot := tinyPNG(t)
	return StepReport{
		Scenario: "hefei-social-security",
		Title:    "合肥市社保缴费查询",
		Channel:  "h5",
		Site:     "皖事通办",
		BaseURL:  "https://www.ahzwfw.gov.cn/",
		Started:  time.Date(2025, 3, 4, 1, 2, 3, 0, time.UTC),
		Duration: 83*time.Second + 400*time.Millisecond,
		Error:    "第3步未通过",
		Steps: []Step{
			{Index: 1, Line: 4, Kind: "open", Description: "打开首页", Passed: true, Duration: 1200 * time.Millisecond, Screenshot: shot},
			{Index: 2, Line: 5, Kind: "click", Description: "点击“在线办理”", Passed: true, Duration: 310 * time.Millisecond},
			{
				Index: 3, Line: 7, Kind: "expect", Description: "看到“办理须知”",
				Duration: 5 * time.Second, Screenshot: shot,
				Error:          `未找到 <script>alert("err")</script>`,
				DOMExcerpt:     `<div class="guide"><script>alert(1)</script></div>`,
				ConsoleErrors:  []string{"Uncaught TypeError: x is undefined"},
				FailedRequests: []string{"GET https://www.ahzwfw.gov.cn/api/guide 502"},
			},
			{Index: 4, Line: 8, Kind: "click", Description: "点击“提交”", Skipped: true},
		},
	}
}

func passedReport(t *testing.T) StepReport {
	r := failingReport(t)
	r.Channel, r.Passed, r.Error = "pc", true, ""
	r.Steps = r.Steps[:2]
	return r
}

func render(t *testing.T, r StepReport) string {
	t.Helper()
	var b strings.Builder
	if err := WriteStepReport(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestStepReportGolden(t *testing.T) {
	golden(t, "step_report.golden.html", render(t, failingReport(t)))
}

// golden compares got with testdata/name, which -update rewrites.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports/ -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("the report differs from %s; run go test ./reports/ -update and review the diff", path)
	}
}

func TestStepReportFailing(t *testing.T) {
	out := render(t, failingReport(t))
	for _, want := range []string{
		`<html lang="zh-CN">`,
		`<title>场景回放报告`,
		`href="#failed"`,
		`id="failed"`,
		`2025-03-04 09:02:03`, // Asia/Shanghai
		`皖事通APP`,
		`1 分 23 秒`,
		`2 / 4 步通过`,
		`5000 毫秒`,
		`第3步（第7行）`,
		`&lt;div class=&#34;guide&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;/div&gt;`,
		`&lt;script&gt;alert(&#34;err&#34;)&lt;/script&gt;`,
		`Uncaught TypeError`,
		`api/guide 502`,
		`<img src="data:image/png;base64,iVBOR`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Count(out, `id="failed"`) != 1 {
		t.Errorf("want exactly one failed anchor")
	}
	if strings.Contains(out, "<script>") {
		t.Errorf("report contains an unescaped <script>")
	}
	if strings.Contains(out, "浏览器进程意外退出") {
		t.Errorf("browser death banner shown although the browser did not die")
	}

	imgs := regexp.MustCompile(`<img [^>]*>`).FindAllString(out, -1)
	if len(imgs) != 2 {
		t.Fatalf("got %d <img>, want 2 (steps 1 and 3 have screenshots)", len(imgs))
	}
	for i, n := range []string{"1", "3"} {
		if !strings.Contains(imgs[i], `alt="第`+n+`步截图"`) {
			t.Errorf("img %d lacks alt text for step %s: %s", i, n, imgs[i])
		}
		if !strings.Contains(imgs[i], `class="h5"`) {
			t.Errorf("H5 screenshot %d not sized as a phone: %s", i, imgs[i])
		}
	}
}

func TestStepReportPassed(t *testing.T) {
	out := render(t, passedReport(t))
	if strings.Contains(out, "#failed") || strings.Contains(out, `id="failed"`) {
		t.Errorf("passed report links to a failed step")
	}
	for _, want := range []string{"✓ 通过", "电脑端", "2 / 2 步通过"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(out, `class="h5"`) {
		t.Errorf("PC screenshot sized as a phone")
	}
}

func TestStepReportBrowserDied(t *testing.T) {
	r := failingReport(t)
	r.BrowserDied, r.Error = true, "chrome: websocket closed"
	r.Steps = r.Steps[:2]
	out := render(t, r)
	for _, want := range []string{"浏览器进程意外退出", `role="alert"`, `id="failed"`, "websocket closed", "✗ 未通过"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(out, `href="#failed"`) {
		t.Errorf("no step failed, yet the report links to one")
	}
}

// TestStepReportAccessible opens a failing report, stretched with long
// unbreakable text, on both devices in a real Chromium: axe must find no
// WCAG 2.1 A/AA violation and the page must not scroll sideways.
func TestStepReportAccessible(t *testing.T) {
	r := failingReport(t)
	long := "https://www.ahzwfw.gov.cn/api/" + strings.Repeat("x", 400)
	r.Steps[2].DOMExcerpt += strings.Repeat("<span>很长的页面片段</span>", 40) + long
	r.Steps[2].FailedRequests = append(r.Steps[2].FailedRequests, "GET "+long+" 404")
	r.BaseURL, r.BrowserDied = long, true
	page := render(t, r)
	checkAccessible(t, page)
}

// checkAccessible serves page and opens it on every device in a real Chromium: axe must find no
// WCAG 2.1 A/AA violation and the page must not scroll sideways.
func checkAccessible(t *testing.T, page string) {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page))
	}))
	t.Cleanup(ts.Close)
	for _, dev := range browser.Devices {
		t.Run(dev.Name, func(t *testing.T) {
			tab := chromium.Session(t, dev)
			ctx, cancel := context.WithTimeout(tab, 30*time.Second)
			defer cancel()
			if err := browser.Navigate(ctx, ts.URL); err != nil {
				t.Fatal(err)
			}
			res, err := axe.Run(ctx, axe.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range res.Violations {
				t.Errorf("axe %s (%s): %s, e.g. %s", v.ID, v.Impact, v.Help, v.Nodes[0].HTML)
			}
			wide, err := browser.EvalJSON[bool](ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth`)
			if err != nil {
				t.Fatal(err)
			}
			if wide {
				t.Errorf("page scrolls horizontally at %d px", dev.Width)
			}
		})
	}
}

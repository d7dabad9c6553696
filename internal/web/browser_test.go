package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tiyan/internal/browser"
	"tiyan/internal/browser/browsertest"
	"tiyan/internal/finding"
)

// TestPagesInChromium opens the pages at phone (375 px) and desktop (1366 px) width in a real
// Chromium, signed in as an admin, under the server's own Content-Security-Policy: axe finds
// nothing serious or critical (lesser findings are logged), the page never scrolls sideways,
// and the stylesheet did load (a blocked one would leave a page that passes for the wrong
// reason).
func TestPagesInChromium(t *testing.T) {
	fx := newFixture(t)
	long := stretch(t, fx)
	ts := httptest.NewServer(fx.srv)
	t.Cleanup(ts.Close)
	pages := []string{
		"/findings",
		"/findings?category=channel&overdue=1",
		fmt.Sprintf("/findings/%d", fx.unreachable),
		fmt.Sprintf("/findings/%d", fx.httpErr),
		fmt.Sprintf("/findings/%d", long),
		fmt.Sprintf("/findings/%d/feedback", fx.unreachable),
		fmt.Sprintf("/findings/%d/dismiss", fx.unreachable),
		fmt.Sprintf("/findings/%d/handle", fx.httpErr),
		fmt.Sprintf("/findings/%d/evaluate", fx.guide),
		"/report",
		"/overview",
		"/runs",
		"/runs/" + fx.runID,
		"/findings/999",
	}
	for _, dev := range []browser.Device{browser.H5, browser.PC} {
		t.Run(dev.Name, func(t *testing.T) {
			tab := chromium.Session(t, dev)
			checkPage(t, tab, ts.URL+"/signin", dev)
			signInBrowser(t, tab, ts.URL, "admin")
			for _, p := range pages {
				t.Run(strings.TrimPrefix(p, "/"), func(t *testing.T) { checkPage(t, tab, ts.URL+p, dev) })
			}
		})
	}
}

func checkPage(t *testing.T, tab context.Context, url string, dev browser.Device) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	if err := browser.Navigate(ctx, url); err != nil {
		t.Fatal(err)
	}
	checkLoaded(t, ctx, dev)
}

// checkLoaded runs axe on the page the tab shows and checks that it fits the device's width
// and is styled.
func checkLoaded(t *testing.T, ctx context.Context, dev browser.Device) {
	t.Helper()
	browsertest.CheckAccessible(t, ctx, dev)
	styled, err := browser.EvalJSON[bool](ctx, `getComputedStyle(document.body).marginTop === "0px" || getComputedStyle(document.body).maxWidth === "960px"`)
	if err != nil {
		t.Fatal(err)
	}
	if !styled {
		t.Error("the stylesheet did not apply (blocked by the Content-Security-Policy?)")
	}
}

// signInBrowser signs in through the sign-in form, as a person does.
func signInBrowser(t *testing.T, tab context.Context, base, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	if err := browser.Navigate(ctx, base+"/signin"); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.ID("name"), name), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	submit(t, ctx, "main button[type=submit]", `location.pathname !== "/signin"`)
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := browser.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// submit clicks css and waits until cond holds on the page that follows.
func submit(t *testing.T, ctx context.Context, css, cond string) {
	t.Helper()
	do(t, ctx, chromedp.Click(chromedp.CSS(css), chromedp.NodeVisible))
	waitFor(t, ctx, cond)
}

// waitFor polls a condition in the page until it holds, as a page load settles.
func waitFor(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := browser.EvalJSON[bool](ctx, `document.readyState === 'complete' && (`+cond+`)`)
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	loc, _ := browser.EvalJSON[string](ctx, `location.href + "\n" + (document.querySelector("main") || document.body).innerText`)
	t.Fatalf("timed out waiting for %s on %s", cond, loc)
}

// text is the visible text of the page's main element.
func text(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := browser.EvalJSON[string](ctx, `document.querySelector("main").innerText`)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLoopInChromium walks the loop in the browser: staff triage and feed back a finding, the
// unit handles it with a photo of the fix, staff evaluate it; an officer files a manual report
// with a photo from a phone. Every page on the way passes axe and fits the screen.
func TestLoopInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium: not with -short")
	}
	fx := newFixture(t)
	ts := httptest.NewServer(fx.srv)
	t.Cleanup(ts.Close)
	photo := filepath.Join(t.TempDir(), "整改后.jpg")
	if err := os.WriteFile(photo, tinyJPEG, 0o644); err != nil {
		t.Fatal(err)
	}
	id := fx.unreachable
	page := fmt.Sprintf("/findings/%d", id)

	t.Run("staff feeds back", func(t *testing.T) {
		ctx := chromium.Session(t, browser.PC)
		signInBrowser(t, ctx, ts.URL, "liqiang")
		// Triage from the inbox: the found channel problems, then the finding itself.
		checkPage(t, ctx, ts.URL+"/findings?status=found&category=channel", browser.PC)
		submit(t, ctx, fmt.Sprintf(`a[href="%s"]`, page), `location.pathname === "`+page+`"`)
		checkLoaded(t, ctx, browser.PC)
		submit(t, ctx, fmt.Sprintf(`a[href="%s/feedback"]`, page), `location.pathname.endsWith("/feedback")`)
		checkLoaded(t, ctx, browser.PC)
		do(t, ctx, chromedp.SetValue(chromedp.ID("unit"), fmt.Sprint(fx.unitSCJGJ)), chromedp.SendKeys(chromedp.ID("days"), "3"),
			chromedp.SendKeys(chromedp.ID("note"), "请三个工作日内恢复"))
		submit(t, ctx, "form.form button[type=submit]", `location.search === "?done=feedback"`)
		if s := text(t, ctx); !strings.Contains(s, "已反馈给责任单位") || !strings.Contains(s, "请三个工作日内恢复") {
			t.Errorf("after feedback the page says:\n%s", s)
		}
	})
	t.Run("unit handles", func(t *testing.T) {
		ctx := chromium.Session(t, browser.H5)
		signInBrowser(t, ctx, ts.URL, "scjgj")
		checkPage(t, ctx, ts.URL+"/findings", browser.H5)
		submit(t, ctx, fmt.Sprintf(`a[href="%s"]`, page), `location.pathname === "`+page+`"`)
		submit(t, ctx, fmt.Sprintf(`a[href="%s/handle"]`, page), `location.pathname.endsWith("/handle")`)
		checkLoaded(t, ctx, browser.H5)
		do(t, ctx, chromedp.SendKeys(chromedp.ID("note"), "已扩容服务器，页面恢复访问"),
			chromedp.SetUploadFiles(chromedp.ID("files"), []string{photo}))
		submit(t, ctx, "form.form button[type=submit]", `location.search === "?done=handle"`)
		if s := text(t, ctx); !strings.Contains(s, "整改情况已提交") || !strings.Contains(s, "附件：整改后.jpg") {
			t.Errorf("after handling the page says:\n%s", s)
		}
		checkLoaded(t, ctx, browser.H5)
	})
	t.Run("staff evaluates", func(t *testing.T) {
		ctx := chromium.Session(t, browser.PC)
		signInBrowser(t, ctx, ts.URL, "liqiang")
		checkPage(t, ctx, ts.URL+"/findings?status=handled", browser.PC)
		checkPage(t, ctx, ts.URL+page+"/evaluate", browser.PC)
		do(t, ctx, chromedp.Click(chromedp.ID("result-pass")))
		submit(t, ctx, "form.form button[type=submit]", `location.search === "?done=evaluate"`)
		if s := text(t, ctx); !strings.Contains(s, "评价已记录") || !strings.Contains(s, "评价：满意，已整改") {
			t.Errorf("after evaluation the page says:\n%s", s)
		}
	})
	f, err := fx.loop.Show(t.Context(), id)
	if err != nil || f.Status != finding.Verified {
		t.Fatalf("after the walk: %v, status %s", err, f.Status)
	}
	var actors []string
	for _, e := range f.Events {
		actors = append(actors, e.Actor)
	}
	if got := strings.Join(actors, ","); got != "tiyan,李强,市场监管局窗口,李强" {
		t.Errorf("events by %s", got)
	}

	t.Run("officer reports from a phone", func(t *testing.T) {
		ctx := chromium.Session(t, browser.H5)
		signInBrowser(t, ctx, ts.URL, "wangfang")
		waitFor(t, ctx, `location.pathname === "/report"`) // an officer starts at the form
		checkLoaded(t, ctx, browser.H5)
		do(t, ctx,
			chromedp.SendKeys(chromedp.ID("title"), "自助终端无法打印回执"),
			chromedp.SetValue(chromedp.ID("category"), "service"),
			chromedp.SetValue(chromedp.ID("severity"), "minor"),
			chromedp.SetValue(chromedp.ID("channel"), "offline"),
			chromedp.SetValue(chromedp.ID("unit"), fmt.Sprint(fx.unitSCJGJ)),
			chromedp.SendKeys(chromedp.ID("detail"), "二楼 3 号自助终端提示缺纸。"),
			chromedp.SetUploadFiles(chromedp.ID("photos"), []string{photo}))
		pickItem(t, ctx, "工商户设立", Item{Code: itemA, Name: "个体工商户设立登记"})
		submit(t, ctx, "form.form button[type=submit]", `location.search === "?done=report"`)
		s := text(t, ctx)
		if !strings.Contains(s, "报告已提交") || !strings.Contains(s, "自助终端无法打印回执") || !strings.Contains(s, "现场照片：整改后.jpg") {
			t.Errorf("after the report the page says:\n%s", s)
		}
		checkLoaded(t, ctx, browser.H5)
		checkPage(t, ctx, ts.URL+"/findings", browser.H5)
		checkPage(t, ctx, ts.URL+"/overview", browser.H5)
	})
	mine, err := fx.store.QueryFindings(t.Context(), finding.Query{OfficerID: fx.officer.ID})
	if err != nil || len(mine) != 2 {
		t.Fatalf("the officer has %d reports (%v), want 2", len(mine), err)
	}
	for _, f := range mine {
		if f.Title == "自助终端无法打印回执" && (f.ItemCode != itemA || f.ItemName != "个体工商户设立登记") {
			t.Errorf("the report is on item %q %q, want the one picked", f.ItemCode, f.ItemName)
		}
	}
}

// pickItem types part of an item's name into the report form, waits for the item search to
// suggest want, and picks it as the browser does when the officer taps it in the
// list: the field takes the suggestion's value and an input event says so. (The list is the
// browser's own pop-up, outside the page, so the page cannot be clicked there.) Both item
// fields then hold the item.
func pickItem(t *testing.T, ctx context.Context, typed string, want Item) {
	t.Helper()
	do(t, ctx, chromedp.SendKeys(chromedp.ID("item_name"), typed))
	option := fmt.Sprintf(`[...document.querySelectorAll("#item-names option")].find(o => o.value.endsWith(" %s"))`, want.Code)
	waitFor(t, ctx, `document.getElementById("item_name").getAttribute("list") === "item-names" && !!`+option)
	if _, err := browser.EvalJSON[bool](ctx, `(() => {
		const f = document.getElementById("item_name");
		f.value = `+option+`.value;
		return f.dispatchEvent(new InputEvent("input", {bubbles: true, inputType: "insertReplacementText"}));
	})()`); err != nil {
		t.Fatal(err)
	}
	got, err := browser.EvalJSON[[]string](ctx, `[document.getElementById("item_name").value, document.getElementById("item_code").value]`)
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != want.Name || got[1] != want.Code {
		t.Errorf("after picking the item the fields hold %q", got)
	}
}

// stretch adds a finding with the long unbreakable text real pages have: a long URL, a DOM dump
// and measured values without spaces. It returns the finding's ID.
func stretch(t *testing.T, fx *fixture) int64 {
	t.Helper()
	long := strings.Repeat("x", 300)
	s := fx.sightings()[0]
	s.URL += "&q=" + long
	s.Detail += long
	s.Evidence[1].Data = append(s.Evidence[1].Data, []byte("<div>"+long+"</div>")...)
	s.Measured["url"] = "https://www.ahzwfw.gov.cn/" + long
	return fx.ingest(t, s)[0]
}

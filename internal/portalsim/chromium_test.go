package portalsim

import (
	"context"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tiyan/internal/axe"
	"tiyan/internal/browser"
	"tiyan/internal/browser/browsertest"
	"tiyan/internal/portalsim/catalog"
)

var chromium browsertest.Shared

func TestMain(m *testing.M) { os.Exit(chromium.Run(m, browser.Config{})) }

var devices = map[string]browser.Device{PC: browser.PC, H5: browser.H5}

// tab opens an isolated session with a per-test deadline.
func tab(t *testing.T, ch string) context.Context {
	t.Helper()
	ctx := chromium.Session(t, devices[ch])
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := browser.EvalJSON[T](ctx, js)
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func open(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := browser.Navigate(ctx, url); err != nil {
		t.Fatal(err)
	}
}

// TestApplicationInChromium signs in and completes an application with uploads on a clean item,
// as a person would in the browser, on both channels.
func TestApplicationInChromium(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	it := pick(t, s, online)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "材料.pdf")
	if err := os.WriteFile(pdf, pdfBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, ch := range channels {
		t.Run(ch, func(t *testing.T) {
			ctx := tab(t, ch)
			open(t, ctx, guideURL(ts.URL, it, ch))
			click(t, ctx, "#online-apply")
			waitText(t, ctx, "统一身份认证")
			do(t, ctx,
				chromedp.SendKeys(chromedp.CSS("#phone"), DefaultAccount.Phone),
				chromedp.SendKeys(chromedp.CSS("#password"), DefaultAccount.Password),
				chromedp.Click(chromedp.CSS("#send-sms")),
				chromedp.SendKeys(chromedp.CSS("#sms"), DefaultAccount.SMSCode))
			click(t, ctx, "button[type=submit]")
			waitFor(t, ctx, `location.pathname.endsWith('/onlineApply.html') && !!document.querySelector('input[name=consent]')`)
			values := validValues(it)
			for _, f := range it.Fields {
				sel := chromedp.CSS("#f-" + f.Name)
				if f.Kind == "select" || f.Kind == "date" {
					do(t, ctx, chromedp.SetValue(sel, values.Get(f.Name)))
				} else {
					do(t, ctx, chromedp.SendKeys(sel, values.Get(f.Name)))
				}
			}
			click(t, ctx, "input[name=consent]")
			click(t, ctx, "button[type=submit]")
			waitFor(t, ctx, `location.pathname.endsWith('/apply/upload')`)
			for _, sl := range formSlots(it, nil) {
				do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#file-"+strconv.Itoa(sl.Index)), []string{pdf}))
			}
			click(t, ctx, "button[type=submit]")
			waitFor(t, ctx, `location.pathname.endsWith('/apply/confirm')`)
			click(t, ctx, "button[type=submit]")
			waitFor(t, ctx, `!!document.getElementById('apply-number')`)
			number := eval[string](t, ctx, `document.getElementById('apply-number').textContent`)
			if !strings.HasPrefix(number, "AH") || len(number) != 18 {
				t.Errorf("申报号 %q", number)
			}
		})
	}
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := browser.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// click clicks and waits for the navigation the click may cause to settle.
func click(t *testing.T, ctx context.Context, css string) {
	t.Helper()
	do(t, ctx, chromedp.Click(chromedp.CSS(css), chromedp.NodeVisible))
}

// waitFor polls a condition in the page until it holds, as a page load settles.
func waitFor(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := browser.EvalJSON[bool](ctx, `document.readyState === 'complete' && (`+cond+`)`)
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	body, _ := browser.EvalJSON[string](ctx, `location.href + '\n' + (document.body ? document.body.innerText : '')`)
	t.Fatalf("page never satisfied %s; it shows:\n%s", cond, body)
}

func waitText(t *testing.T, ctx context.Context, text string) {
	t.Helper()
	waitFor(t, ctx, "document.body.innerText.includes("+strconv.Quote(text)+")")
}

// cleanPages are pages of every kind a prober visits, for the clean-page checks.
func cleanPages(t *testing.T, s *Server, base, ch string) []string {
	onlineItem := pick(t, s, func(it catalog.Item) bool { return online(it) && hasAttachment(it) })
	windowItem := pick(t, s, func(it catalog.Item) bool { return !it.Online })
	p := base + channelPrefix(ch)
	return []string{
		p + "/bog-bsdt/static/workProcess.html?subjecttype=P",
		guideURL(base, onlineItem, ch),
		guideURL(base, windowItem, ch),
		base + "/uccp-server/login?service=" + channelPrefix(ch) + "/bog-bsdt/static/workProcess.html",
	}
}

// TestCleanPagesAreClean: with no defects the layout rules and axe find nothing.
func TestCleanPagesAreClean(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	for _, ch := range channels {
		t.Run(ch, func(t *testing.T) {
			ctx := tab(t, ch)
			for _, u := range cleanPages(t, s, ts.URL, ch) {
				messages := chromedp.Console(ctx)
				open(t, ctx, u)
				if errs := consoleErrors(t, ctx, messages); len(errs) > 0 {
					t.Errorf("%s: console errors %v", u, errs)
				}
				if w := eval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); w > 2 {
					t.Errorf("%s: scrolls %d px sideways", u, w)
				}
				min := 12.0
				if ch == H5 {
					min = 14
				}
				if f := eval[float64](t, ctx, smallestTextJS); f < min {
					t.Errorf("%s: text of %.0f px", u, f)
				}
				if ch == H5 {
					if small := eval[[]string](t, ctx, smallControlsJS); len(small) > 0 {
						t.Errorf("%s: controls under 44×44: %v", u, small)
					}
				}
				res, err := axe.Run(ctx, axe.Options{})
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range res.Violations {
					if v.Impact == axe.Serious || v.Impact == axe.Critical {
						t.Errorf("%s: axe %s (%s): %v", u, v.ID, v.Impact, v.Nodes[0].Target)
					}
				}
				if n := eval[int](t, ctx, `document.querySelectorAll('.elder-toggle').length`); n != 1 {
					t.Errorf("%s: %d 长辈版 toggles", u, n)
				}
			}
		})
	}
}

// consoleErrors drains the console messages of the page so far (up to a marker it logs) and
// returns the errors among them: failed resource loads and uncaught exceptions included.
func consoleErrors(t *testing.T, ctx context.Context, messages iter.Seq2[chromedp.ConsoleMessage, error]) []string {
	t.Helper()
	// Give the browser's own requests (the favicon) time to fail before the marker.
	time.Sleep(300 * time.Millisecond)
	if err := browser.Do(ctx, chromedp.Evaluate[chromedp.Void](`console.info('tiyan-console-end')`)); err != nil {
		t.Fatal(err)
	}
	var errs []string
	for m, err := range messages {
		if err != nil {
			t.Fatal(err)
		}
		if m.Text == "tiyan-console-end" {
			break
		}
		if m.IsException() || m.Type == chromedp.ConsoleError {
			errs = append(errs, m.Text)
		}
	}
	return errs
}

// smallestTextJS is the smallest computed font size of an element that shows text.
const smallestTextJS = `(() => {
  let min = 100;
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const n = walk.currentNode, el = n.parentElement;
    if (!n.textContent.trim() || !el || !el.getClientRects().length) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || el.closest('.visually-hidden')) continue;
    min = Math.min(min, parseFloat(cs.fontSize));
  }
  return min;
})()`

// smallControlsJS lists visible controls smaller than 44×44 CSS px; a control inside or tied to
// a label is measured together with it, as a finger hits either.
const smallControlsJS = `(() => {
  const out = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    let w = r.width, h = r.height;
    const label = el.closest('label') || (el.id && document.querySelector('label[for="' + el.id + '"]'));
    if (label && label.closest('label') === label && el.closest('label') === label) {
      const l = label.getBoundingClientRect(); w = Math.max(w, l.width); h = Math.max(h, l.height);
    }
    if (w < 44 || h < 44) out.push(el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 20) + ' ' + Math.round(w) + 'x' + Math.round(h));
  }
  return out;
})()`

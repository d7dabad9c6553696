package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tiyan/internal/browser"
	"tiyan/scenarios"
)

// stepError is a failed step: what a person would read (Chinese, with the English detail) and,
// when the step got as far as finding its target, the marker of that target for the DOM excerpt.
type stepError struct {
	msg string
	tok string
	err error
}

func (e *stepError) Error() string { return e.msg }
func (e *stepError) Unwrap() error { return e.err }

func fail(tok string, err error, format string, args ...any) *stepError {
	msg := fmt.Sprintf(format, args...)
	if err != nil {
		msg += "（" + err.Error() + "）"
	}
	return &stepError{msg: msg, tok: tok, err: err}
}

// step runs one step under its own deadline and records its evidence.
func (rn *run) step(runCtx, tab context.Context, i int, raw scenarios.Step) StepResult {
	start := time.Now()
	sr := StepResult{Index: i, Kind: raw.Kind, Line: raw.Pos.Line, Description: rn.describe(raw)}
	st, err := raw.Expand(rn.vars)
	if err == nil && hasEnv(raw) {
		rn.secrets = append(rn.secrets, st.Value, st.Text)
	}
	if err == nil {
		ctx, cancel := context.WithTimeout(tab, raw.Timeout)
		err = rn.do(ctx, st)
		var se *stepError
		if err != nil && ctx.Err() != nil && !errors.Is(err, browser.ErrBrowserDied) && !errors.As(err, &se) {
			if runCtx.Err() != nil {
				err = fail("", err, "运行超时：整个场景超过 %s 未完成（run timed out）", rn.sc.Timeout)
			} else {
				err = fail("", err, "步骤超时：%s 内未完成（step timed out）", raw.Timeout)
			}
		}
		cancel()
	} else {
		err = fail("", err, "变量展开失败（cannot expand variables）")
	}
	if err != nil && !errors.Is(err, browser.ErrBrowserDied) && !rn.cfg.Browser.Alive() {
		// the tab's context ends with the browser, which can hide the death behind a timeout
		err = fmt.Errorf("%w（%v）", browser.ErrBrowserDied, err)
	}
	sr.Duration = time.Since(start)
	sr.Passed = err == nil
	if errors.Is(err, browser.ErrBrowserDied) {
		sr.died, sr.Error = true, rn.mask(err.Error())
		return sr
	}
	rn.evidence(tab, &sr, err)
	rn.log.Info("step", "index", i, "kind", string(raw.Kind), "line", raw.Pos.Line, "desc", sr.Description,
		"passed", sr.Passed, "duration", sr.Duration.Round(time.Millisecond), "error", sr.Error)
	return sr
}

// evidence adds the screenshot, console errors, failed requests, URL and, on failure, the DOM
// excerpt. It uses its own short deadline, since the step's may be spent.
func (rn *run) evidence(tab context.Context, sr *StepResult, err error) {
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	console, failed, blocked := rn.guard.since()
	if err == nil && len(blocked) > 0 {
		err = fail("", nil, "导航被阻止：%s 不在站点允许访问的主机列表中（navigation blocked: host not allowlisted）", blocked[0])
	}
	for i := range console {
		console[i] = rn.mask(console[i])
	}
	sr.ConsoleErrors, sr.FailedRequests = console, failed
	if err != nil {
		sr.Passed = false
		sr.Error = rn.mask(err.Error())
		if errors.Is(err, browser.ErrBrowserDied) {
			sr.died = true
			return
		}
		if x, e := browser.EvalJSON[string](ctx, excerptJS+"("+jsString(tokOf(err))+")"); e == nil {
			sr.DOMExcerpt = truncate(rn.mask(x), 4096)
		}
	}
	if png, e := browser.Screenshot(ctx); e == nil {
		sr.Screenshot = png
	} else if errors.Is(e, browser.ErrBrowserDied) || !rn.cfg.Browser.Alive() {
		sr.died, sr.Passed = true, false
		if sr.Error == "" {
			sr.Error = e.Error()
		}
	}
	if u, e := browser.EvalJSON[string](ctx, "location.href"); e == nil {
		sr.URL = u
	}
}

// do performs the step.
func (rn *run) do(ctx context.Context, st scenarios.Step) error {
	switch st.Kind {
	case scenarios.KindOpen:
		return rn.open(ctx, st.Page)
	case scenarios.KindClick:
		return rn.click(ctx, *st.Target)
	case scenarios.KindSubmit:
		if !rn.sc.Sandbox {
			return fail("", nil, "拒绝提交：场景不是沙箱（sandbox: false），提交会产生真实申请（submit refused outside a sandbox scenario）")
		}
		return rn.click(ctx, *st.Target)
	case scenarios.KindFill:
		return rn.fill(ctx, *st.Target, st.Value)
	case scenarios.KindSelect:
		return rn.choose(ctx, *st.Target, st.Value)
	case scenarios.KindTick:
		return rn.tick(ctx, *st.Target)
	case scenarios.KindUpload:
		return rn.upload(ctx, *st.Target, rn.sc.LocalPath(st.File))
	case scenarios.KindWait:
		if st.Target == nil {
			return sleep(ctx, st.Pause)
		}
		return rn.expect(ctx, *st.Target, st.Gone)
	case scenarios.KindExpect:
		return rn.expect(ctx, *st.Target, st.Gone)
	case scenarios.KindCheck:
		rn.log.Info("probes not yet available", "probes", st.Probes)
		return nil
	case scenarios.KindScreenshot, scenarios.KindNote:
		return nil // the screenshot is taken after every step; a note is in Description
	}
	return fail("", nil, "未知的步骤类型 %q（unknown step kind）", st.Kind)
}

// open goes to a page through the site profile, then signs in if the page sends us to the SSO.
func (rn *run) open(ctx context.Context, ref string) error {
	site := rn.cfg.Site
	var u string
	switch ref {
	case scenarios.PageItem:
		if rn.sc.Item == nil {
			return fail("", nil, "场景没有 item，无法打开事项页面（no item to open）")
		}
		g, err := site.GuideURL(rn.channel, rn.sc.Item.ID, rn.sc.Item.Code)
		if err != nil {
			return fail("", err, "无法生成办事指南地址")
		}
		u = g.String()
	case scenarios.PageEntry:
		ref = site.Entry
		fallthrough
	default:
		p, err := site.URL(rn.channel, ref)
		if err != nil {
			return fail("", err, "地址不被允许或无效：%s", ref)
		}
		u = p.String()
	}
	release := rn.polite(ctx)
	err := browser.Navigate(ctx, u)
	release()
	if err != nil {
		if rn.guard.pendingBlocked() {
			return fail("", nil, "导航被阻止：%s 不在站点允许访问的主机列表中（navigation blocked: host not allowlisted）", u)
		}
		return fail("", err, "打开页面失败：%s", u)
	}
	return rn.signinIfAsked(ctx)
}

// polite holds one of the site's in-flight page slots until release is called.
func (rn *run) polite(ctx context.Context) (release func()) {
	select {
	case rn.inFlight <- struct{}{}:
		return func() { <-rn.inFlight }
	case <-ctx.Done():
		return func() {}
	}
}

// settle runs trigger and, if it starts a page load (a link, a form post, a redirect), waits for
// the load to finish, so that the next step sees the new page rather than the old one.
func (rn *run) settle(ctx context.Context, trigger func() error) error {
	sub, cancel := context.WithCancel(ctx)
	defer cancel()
	started := make(chan page.EventFrameStartedLoading, 1)
	stopped := make(chan page.EventFrameStoppedLoading, 8)
	go forward(sub, page.FrameStartedLoading, started)
	go forward(sub, page.FrameStoppedLoading, stopped)
	release := rn.polite(ctx)
	defer release()
	if err := trigger(); err != nil {
		return err
	}
	var frame string
	select {
	case ev := <-started:
		frame = string(ev.FrameID)
	case <-time.After(300 * time.Millisecond):
		return nil // no page load: a click that changes the page in place
	case <-ctx.Done():
		return ctx.Err()
	}
	for {
		select {
		case ev := <-stopped:
			if string(ev.FrameID) == frame {
				return nil
			}
		case <-ctx.Done():
			return fail("", ctx.Err(), "页面加载未完成（page load did not finish）")
		}
	}
}

// forward sends the page's events of one kind into ch until ctx ends; settle cancels ctx when it
// returns, which ends the subscription and the goroutine.
func forward[E any](ctx context.Context, ev cdp.Event[E], ch chan<- E) {
	for e, err := range chromedp.Events(ctx, ev) {
		if err != nil {
			return
		}
		select {
		case ch <- e:
		case <-ctx.Done():
			return
		}
	}
}

func tokOf(err error) string {
	var se *stepError
	if errors.As(err, &se) {
		return se.tok
	}
	return ""
}

func hasEnv(st scenarios.Step) bool {
	return strings.Contains(st.Value, "{{env.") || strings.Contains(st.Text, "{{env.") ||
		strings.Contains(st.Value, "{{ env.") || strings.Contains(st.Text, "{{ env.")
}

// mask replaces every secret of the run in s.
func (rn *run) mask(s string) string {
	for _, v := range rn.secrets {
		if len(v) >= 3 {
			s = strings.ReplaceAll(s, v, "******")
		}
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n]
}

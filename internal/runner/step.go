package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

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
	rn.waited, rn.seen = 0, ""
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
	sr.Duration = time.Since(start) - rn.waited
	sr.Passed = err == nil
	if errors.Is(err, browser.ErrBrowserDied) {
		sr.died, sr.Error = true, rn.mask(err.Error())
		rn.cam.ready(sr)
		return sr
	}
	rn.evidence(tab, &sr, err)
	rn.log.Info("step", "index", i, "kind", string(raw.Kind), "line", raw.Pos.Line, "desc", sr.Description,
		"passed", sr.Passed, "duration", sr.Duration.Round(time.Millisecond), "error", sr.Error)
	return sr
}

// evidence adds the console errors and failed requests of the step and hands it to the camera.
// A passed step's screenshot is taken in the background (develop); a failed step's, with the
// DOM excerpt, at once, under their own deadline, since the step's may be spent.
func (rn *run) evidence(tab context.Context, sr *StepResult, err error) {
	console, failed, blocked := rn.guard.since()
	if err == nil && len(blocked) > 0 {
		err = fail("", nil, "导航被阻止：%s 不在站点允许访问的主机列表中（navigation blocked: host not allowlisted）", blocked[0])
	}
	for i := range console {
		console[i] = rn.mask(console[i])
	}
	sr.ConsoleErrors, sr.FailedRequests = console, failed
	sr.Refused = rn.newRefusals(tab)
	if err == nil {
		rn.develop(tab, sr)
		return
	}
	sr.Passed, sr.Error = false, rn.mask(err.Error())
	ctx, cancel := context.WithTimeout(tab, evidenceTimeout)
	defer cancel()
	if x, e := browser.EvalJSON[string](ctx, excerptJS+"("+jsString(tokOf(err))+")"); e == nil {
		sr.DOMExcerpt = truncate(rn.mask(x), 4096)
	}
	*sr = rn.cam.now(*sr)
}

// newRefusals are the requests the read-only session refused since the last step, each logged.
func (rn *run) newRefusals(tab context.Context) []string {
	all := browser.Refusals(tab)
	var out []string
	for _, r := range all[min(rn.refused, len(all)):] {
		out = append(out, rn.mask(r.String()))
		rn.log.Info(rn.mask(r.String()), "target", r.Target)
	}
	rn.refused = len(all)
	return out
}

// develop hands a passed step to the camera for its screenshot, which it shares with the last
// one if the step only looked at a page that has not changed since. With FailedSteps only a
// screenshot: step gets one; the others get their URL.
func (rn *run) develop(tab context.Context, sr *StepResult) {
	if rn.cfg.Screenshots == FailedSteps && sr.Kind != scenarios.KindScreenshot {
		ctx, cancel := context.WithTimeout(tab, evidenceTimeout)
		defer cancel()
		if u, err := rn.here(ctx); err == nil {
			sr.URL = u.String()
		}
		rn.cam.ready(*sr)
		return
	}
	look := ""
	if !actsOnPage(sr.Kind) {
		if look = rn.seen; look == "" { // the step did not look for a target
			look = rn.cam.look(tab)
		}
	}
	rn.cam.develop(*sr, look)
}

// actsOnPage reports whether a step of kind k acts on the page; the others only look at it.
func actsOnPage(k scenarios.Kind) bool {
	switch k {
	case scenarios.KindExpect, scenarios.KindWait, scenarios.KindCheck, scenarios.KindScreenshot, scenarios.KindNote:
		return false
	}
	return true
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
		return nil // the step's screenshot comes with its evidence, in either mode; a note is in Description
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
	if err := rn.hold(ctx); err != nil {
		return err
	}
	if err := browser.Navigate(ctx, u); err != nil {
		if rn.guard.pendingBlocked() {
			return fail("", nil, "导航被阻止：%s 不在站点允许访问的主机列表中（navigation blocked: host not allowlisted）", u)
		}
		return fail("", err, "打开页面失败：%s", u)
	}
	return rn.signinIfAsked(ctx)
}

// settle runs trigger and, if it starts a page load of the main frame (a link, a form post, a
// script), waits for the load to end, so that the next step sees the new page rather than the
// old one. Whether a load started is read from the page's events, not guessed by waiting a fixed
// time: after the trigger, the page runs the tasks it had queued (a form is posted from one), and
// Chromium sends the events of a navigation they start before its reply to us.
func (rn *run) settle(ctx context.Context, trigger func() error) error {
	loads := rn.guard.loads
	before := loads.count()
	if err := trigger(); err != nil {
		return err
	}
	// the reply fails when a load replaces the page first, which is what we look for below
	if _, err := browser.EvalJSON[bool](ctx, afterQueuedTasks); isDied(err) {
		return err
	}
	if loads.count() == before {
		return nil // the click changed the page in place, or nothing at all
	}
	if err := loads.wait(ctx); err != nil {
		return fail("", err, "页面加载未完成（page load did not finish）")
	}
	return nil
}

// afterQueuedTasks resolves once the page has run the tasks queued before it, twice over.
const afterQueuedTasks = `new Promise(r => setTimeout(() => setTimeout(() => r(true))))`

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

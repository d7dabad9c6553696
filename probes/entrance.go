package probes

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"iter"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tiyan/internal/browser"
	"tiyan/scenarios"
)

func init() { register("entrance", checkEntrance) }

//go:embed form.js
var formJS string

// offlinePhrases are what a form says when the "online" application still needs a visit.
var offlinePhrases = regexp.MustCompile(`(到|前往|携带).{0,16}(窗口|现场|大厅).{0,10}(核验|提交|办理|领取|确认)|现场核验|到现场办理`)

// checkEntrance follows the 在线办理 entrance as an applicant would, without submitting: the
// entrance must exist where online handling is promised and open without error; the sign-in must
// come back; a 全程网办 form must not ask for a visit; the upload slots must match the guide's
// materials. It navigates the tab away from the guide, so it runs last.
func checkEntrance(ctx context.Context, p *Page) ([]Observation, error) {
	g := p.Guide
	if g == nil {
		return nil, nil
	}
	online, fully := promises(p)
	if !g.Entrance.Found {
		var obs []Observation
		if online {
			obs = append(obs, Observation{Rule: "CHANNEL-ENTRANCE-BROKEN", Locator: "entrance",
				Title:  "承诺网上办理，但没有“在线办理”入口",
				Detail: fmt.Sprintf("该事项的办理形式包含网上办理，但%s办事指南页面没有“在线办理”入口，群众无法在线申请（%s：网上办事系统须可用）。", channelName(p), basis19)})
		}
		if fully {
			obs = append(obs, onlineClaim("办事指南称全程网办，但页面没有“在线办理”入口，群众只能到现场办理。", nil))
		}
		return obs, nil
	}
	u, err := url.Parse(g.Entrance.Href)
	if g.Entrance.Href == "" || err != nil || p.Site == nil || !p.Site.AllowHost(u.Host) {
		return nil, nil // a script-driven or foreign entrance is not followed
	}
	return followEntrance(ctx, p, g.Entrance.Href, fully)
}

// promises says whether the item promises online handling and full online handling (全程网办,
// 到现场 0 次), from the catalogue where it lists the item, else from the guide.
func promises(p *Page) (online, fully bool) {
	if r := p.Reference; r != nil {
		return r.Online, r.FullyOnline || (r.Online && r.Visits == 0)
	}
	el := func(n string) string { return p.Guide.Elements[n].Value }
	fully = el("是否全程网办") == "是" || el("到现场次数") == "0次" || el("到现场次数") == "0"
	online = fully || strings.Contains(el("办理形式"), "网上") || strings.Contains(el("办理形式"), "在线")
	return online, fully
}

func onlineClaim(detail string, box *Box) Observation {
	return Observation{Rule: "GUIDE-ONLINE-CLAIM", Locator: "online-claim", Box: box,
		Title:  "“全程网办”名不副实",
		Detail: detail + "办事指南承诺全程网办、到现场0次的，应能全程在网上办结（" + basisGuide + "）。"}
}

func entranceBroken(what, href string) Observation {
	return Observation{Rule: "CHANNEL-ENTRANCE-BROKEN", Locator: "entrance", URL: href,
		Title:  "“在线办理”入口" + what,
		Detail: fmt.Sprintf("点击办事指南的“在线办理”后%s（%s），群众无法在线申请（%s：网上办事系统须可用）。", what, href, basis19)}
}

func followEntrance(ctx context.Context, p *Page, href string, fully bool) ([]Observation, error) {
	load, err := Open(p.Tab, href, p.Thresholds)
	if err != nil {
		return nil, err
	}
	switch {
	case load.Err != nil:
		return []Observation{entranceBroken("打不开", href)}, nil
	case load.Status >= 400:
		return []Observation{entranceBroken(fmt.Sprintf("返回 HTTP %d", load.Status), href)}, nil
	}
	if text, _ := pageText(p.Tab); len([]rune(text)) < minMeaningfulText || (errorPhrases.MatchString(text) && len([]rune(text)) < shortPage) {
		return []Observation{entranceBroken("显示错误页面", href)}, nil
	}
	if onSignin(p) {
		refused := len(browser.Refusals(p.Tab))
		signed, err := signIn(ctx, p)
		if err != nil || !signed {
			return nil, err // no credentials: the form is not read, which is not the portal's fault
		}
		if len(browser.Refusals(p.Tab)) > refused {
			return nil, nil // the site profile does not list the sign-in among its writes: refused, not the portal's fault
		}
		if onSignin(p) || onBrowserError(p) {
			return []Observation{{Rule: "CHANNEL-SIGNIN-BROKEN", Locator: "signin", URL: href,
				Title:  "统一身份认证登录后无法进入办理页",
				Detail: fmt.Sprintf("使用测试账号在统一身份认证登录后，页面反复跳转或停留在登录页，无法进入“%s”的在线办理页面（%s）。", p.Item.Name, basis19)}}, nil
		}
	}
	return readForm(ctx, p, fully)
}

func pageText(tab context.Context) (string, error) {
	return browser.EvalJSON[string](tab, `document.body ? document.body.innerText.replace(/\s+/g, ' ').trim() : ''`)
}

func location(tab context.Context) string {
	loc, _ := browser.Run(tab, chromedp.Location())
	return loc
}

func onBrowserError(p *Page) bool { return strings.HasPrefix(location(p.Tab), "chrome-error:") }

// onSignin says whether the tab shows the SSO's sign-in page.
func onSignin(p *Page) bool {
	if p.Site.Signin == nil {
		return false
	}
	want, err := p.Site.URL(p.Channel, p.Site.Signin.URL)
	got, err2 := url.Parse(location(p.Tab))
	return err == nil && err2 == nil && got.Host == want.Host && strings.TrimPrefix(got.Path, "/h5") == strings.TrimPrefix(want.Path, "/h5")
}

// signIn fills the SSO form with the test account from the environment and submits it. It
// returns false, without error, when the environment holds no credentials.
func signIn(ctx context.Context, p *Page) (bool, error) {
	si := p.Site.Signin
	if p.Env == nil {
		return false, nil
	}
	values := map[string]string{}
	fields := map[string]jsLocator{"account": targetJS(si.Account), "password": targetJS(si.Password)}
	for key, env := range map[string]string{"account": si.Env.Account, "password": si.Env.Password} {
		v, ok := p.Env(env)
		if !ok || v == "" {
			return false, nil
		}
		values[key] = v
	}
	if si.SMS != nil {
		v, _ := p.Env(si.Env.SMS)
		values["sms"], fields["sms"] = v, targetJS(*si.SMS)
	}
	arg := map[string]any{"fields": fields, "values": values, "submit": targetJS(si.Submit)}
	var res struct{ OK bool }
	if err := formOp(ctx, p, "signin", arg, &res, true); err != nil {
		return false, err
	}
	return res.OK, nil
}

// navStart bounds how long an operation that may start a page load (a sign-in, a 下一步) waits
// for the load to start; a control that changes the page in place starts none.
const navStart = 1500 * time.Millisecond

// formOp runs an operation of form.js; with wait it waits for the page load the operation starts,
// if it starts one.
func formOp(ctx context.Context, p *Page, op string, arg, out any, wait bool) error {
	a, err := json.Marshal(arg)
	if err != nil {
		return err
	}
	js := fmt.Sprintf("(%s)(%q, %s)", formJS, op, a)
	if !wait {
		v, err := browser.EvalJSON[json.RawMessage](p.Tab, js)
		if err != nil {
			return fmt.Errorf("form %s: %w", op, err)
		}
		return json.Unmarshal(v, out)
	}
	loaded, cancel := context.WithTimeout(p.Tab, p.Thresholds.Unreachable)
	defer cancel()
	starts := chromedp.Events(loaded, page.FrameStartedLoading)
	events := chromedp.Events(loaded, page.LoadEventFired)
	v, err := browser.EvalJSON[json.RawMessage](p.Tab, js)
	if err != nil {
		return fmt.Errorf("form %s: %w", op, err)
	}
	if err := json.Unmarshal(v, out); err != nil {
		return err
	}
	if !started(starts, navStart) {
		return nil
	}
	for _, err := range events {
		if err != nil && p.Tab.Err() != nil {
			return fmt.Errorf("form %s: %w", op, err)
		}
		break // the first load, or our deadline: either way the page has settled as far as it will
	}
	time.Sleep(eventGrace)
	return nil
}

// started reports whether a page load starts within d.
func started(starts iter.Seq2[page.EventFrameStartedLoading, error], d time.Duration) bool {
	ch := make(chan bool, 1)
	go func() {
		for _, err := range starts {
			ch <- err == nil
			return
		}
		ch <- false
	}()
	select {
	case ok := <-ch:
		return ok
	case <-time.After(d):
		return false
	}
}

func targetJS(t scenarios.Target) jsLocator {
	return jsLocator{By: string(t.By), Value: t.Value, Name: t.Name}
}

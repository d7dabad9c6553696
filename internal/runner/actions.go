package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/chromedp/chromedp"

	"tiyan/internal/browser"
	"tiyan/scenarios"
)

// poll is how long to wait before looking at the page again: soon at first, since what a step
// waits for is most often a moment away, then every 100 ms.
func poll(tries int) time.Duration {
	if tries >= 4 {
		return 100 * time.Millisecond
	}
	return 10 * time.Millisecond << tries
}

// waitFor polls the resolver until the target is on the page and visible (or, for an upload, in
// the DOM at all), as a person waits for a page to show what they look for.
func (rn *run) waitFor(ctx context.Context, t scenarios.Target, want string) (found, error) {
	var last found
	for tries := 0; ; tries++ {
		f, err := resolve(ctx, t, want, rn.cfg.Site.Form.Slots)
		if err != nil && ctx.Err() == nil {
			if isDied(err) {
				return f, err
			}
			if f.Error != "" {
				return f, fail("", err, "目标写法有误：%s", name(t))
			}
			// the page is being replaced: try again
		}
		if err == nil {
			last, rn.seen = f, f.Look
			if f.Found && (f.Visible || want == "file") {
				return f, nil
			}
		}
		if sleep(ctx, poll(tries)) != nil {
			if last.Found {
				return last, fail(last.tok, nil, "%s在页面上但一直不可见（target present but not visible: %s）", name(t), t)
			}
			return last, fail("", nil, "步骤时限内未找到%s（target not found: %s）", name(t), t)
		}
	}
}

// find waits for the target of an action that changes the page, then for the camera to have
// taken the previous steps' screenshots, which must show the page before the change.
func (rn *run) find(ctx context.Context, t scenarios.Target, want string) (found, error) {
	f, err := rn.waitFor(ctx, t, want)
	if err == nil {
		err = rn.hold(ctx)
	}
	return f, err
}

// hold waits for the camera (see camera.hold); the wait does not count in the step's duration.
func (rn *run) hold(ctx context.Context) error {
	d, err := rn.cam.hold(ctx)
	rn.waited += d
	return err
}

// secret reports whether v is one of the run's secrets.
func (rn *run) secret(v string) bool { return v != "" && slices.Contains(rn.secrets, v) }

func isDied(err error) bool { return err != nil && errors.Is(err, browser.ErrBrowserDied) }

// expect waits until the target is visible, or until it is gone.
func (rn *run) expect(ctx context.Context, t scenarios.Target, gone bool) error {
	if !gone {
		_, err := rn.waitFor(ctx, t, "")
		return err
	}
	for tries := 0; ; tries++ {
		f, err := resolve(ctx, t, "", rn.cfg.Site.Form.Slots)
		if isDied(err) {
			return err
		}
		if err == nil && (!f.Found || !f.Visible) {
			rn.seen = f.Look
			return nil
		}
		if sleep(ctx, poll(tries)) != nil {
			return fail(f.tok, nil, "%s 仍在页面上（target still present: %s）", name(t), t)
		}
	}
}

// click clicks the target like a mouse would and waits for any page load it starts, then signs
// in if that load ended on the SSO.
func (rn *run) click(ctx context.Context, t scenarios.Target) error {
	f, err := rn.find(ctx, t, "")
	if err != nil {
		return err
	}
	err = rn.settle(ctx, func() error {
		if err := browser.Do(ctx, chromedp.Click(chromedp.CSS(f.sel))); err != nil {
			return fail(f.tok, err, "点击%s失败", name(t))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return rn.signinIfAsked(ctx)
}

// fill types value into the target, replacing what was there.
func (rn *run) fill(ctx context.Context, t scenarios.Target, value string) error {
	f, err := rn.find(ctx, t, "")
	if err != nil {
		return err
	}
	if f.Tag == "select" {
		return rn.choose(ctx, t, value)
	}
	sel := jsString(f.sel)
	// A secret typed into a plain field (an account, an SMS code) is drawn as dots, as a password
	// field draws it, so that no screenshot shows it; what the field holds is unchanged.
	empty := `((e, hide) => {
  e.value = '';
  if (hide) { e.style.setProperty('-webkit-text-security', 'disc'); e.dataset.tiyanMasked = '1'; }
  else if (e.dataset.tiyanMasked) { e.style.removeProperty('-webkit-text-security'); delete e.dataset.tiyanMasked; }
})`
	if err := browser.Exec(ctx, empty+"(document.querySelector("+sel+"), "+strconv.FormatBool(rn.secret(value))+")"); err != nil {
		return fail(f.tok, err, "无法清空%s", name(t))
	}
	var act chromedp.Action[chromedp.Void]
	if f.Type == "date" || f.Type == "time" || f.Type == "month" {
		act = chromedp.SetValue(chromedp.CSS(f.sel), value)
	} else {
		act = chromedp.SendKeys(chromedp.CSS(f.sel), value)
	}
	if err := browser.Do(ctx, act); err != nil {
		return fail(f.tok, err, "无法在%s中输入", name(t))
	}
	return browser.Exec(ctx, "(e => { e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); })(document.querySelector("+sel+"))")
}

// choose picks the option whose text (or value) is value.
func (rn *run) choose(ctx context.Context, t scenarios.Target, value string) error {
	f, err := rn.find(ctx, t, "")
	if err != nil {
		return err
	}
	js := `((e, v) => {
  if (!e || e.tagName !== 'SELECT') return 'notselect';
  const o = Array.from(e.options).find(o => o.text.trim() === v || o.value === v);
  if (!o) return 'nooption';
  e.value = o.value;
  e.dispatchEvent(new Event('input', {bubbles: true}));
  e.dispatchEvent(new Event('change', {bubbles: true}));
  return 'ok';
})(document.querySelector(` + jsString(f.sel) + `), ` + jsString(value) + `)`
	r, err := browser.EvalJSON[string](ctx, js)
	switch {
	case err != nil:
		return fail(f.tok, err, "无法选择%s", name(t))
	case r == "notselect":
		return fail(f.tok, nil, "%s不是下拉框（target is not a <select>）", name(t))
	case r == "nooption":
		return fail(f.tok, nil, "%s中没有选项“%s”（no such option）", name(t), value)
	}
	return nil
}

// tick ticks a checkbox unless it is ticked already.
func (rn *run) tick(ctx context.Context, t scenarios.Target) error {
	f, err := rn.find(ctx, t, "")
	if err != nil {
		return err
	}
	if f.Checked {
		return nil
	}
	if err := browser.Do(ctx, chromedp.Click(chromedp.CSS(f.sel))); err != nil {
		return fail(f.tok, err, "无法勾选%s", name(t))
	}
	ok, err := browser.EvalJSON[bool](ctx, "!!document.querySelector("+jsString(f.sel)+").checked")
	if err != nil || !ok {
		return fail(f.tok, err, "%s点击后仍未勾选（checkbox not ticked）", name(t))
	}
	return nil
}

// upload puts file into the file input of the slot the target names.
func (rn *run) upload(ctx context.Context, t scenarios.Target, file string) error {
	f, err := rn.find(ctx, t, "file")
	if err != nil {
		return err
	}
	if f.Tag != "input" || f.Type != "file" {
		return fail(f.tok, nil, "%s没有文件上传控件（no file input for the target）", name(t))
	}
	// Chromium resolves file paths against its own working directory, not ours: hand it an
	// absolute path, and refuse a file that is not there before the form silently posts nothing.
	abs, err := filepath.Abs(file)
	if err != nil {
		return fail(f.tok, err, "上传文件路径无效：%s", file)
	}
	if _, err := os.Stat(abs); err != nil {
		return fail(f.tok, err, "要上传的文件不存在：%s", file)
	}
	if err := browser.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(f.sel), []string{abs})); err != nil {
		return fail(f.tok, err, "上传文件到%s失败", name(t))
	}
	return nil
}

// name says in Chinese what a target is, for messages: 文字为“在线办理”的元素.
func name(t scenarios.Target) string {
	switch t.By {
	case scenarios.ByLabel:
		return "标签为“" + t.Value + "”的控件"
	case scenarios.ByText:
		return "文字为“" + t.Value + "”的元素"
	case scenarios.ByPlaceholder:
		return "提示文字为“" + t.Value + "”的输入框"
	case scenarios.ByRole:
		if t.Name != "" {
			return "名称为“" + t.Name + "”的 " + t.Value
		}
		return "角色为 " + t.Value + " 的元素"
	}
	return "选择器为 " + t.Value + " 的元素"
}

// short is how a description names a target: 在线办理, 经营者姓名.
func short(t *scenarios.Target) string {
	if t == nil {
		return ""
	}
	if t.By == scenarios.ByRole && t.Name != "" {
		return "“" + t.Name + "”"
	}
	return "“" + t.Value + "”"
}

// describe says in Chinese what a step does, from the step as written: values are left out
// (fill, upload) or masked (a note or select with {{env.…}}), so no secret gets in.
func (rn *run) describe(st scenarios.Step) string {
	secret := hasEnv(st)
	val := func(v string) string {
		if secret {
			return "******"
		}
		if x, err := scenarios.Expand(v, rn.vars); err == nil {
			return x
		}
		return v
	}
	switch st.Kind {
	case scenarios.KindOpen:
		switch st.Page {
		case scenarios.PageItem:
			return "打开事项办事指南"
		case scenarios.PageEntry:
			return "打开事项入口页"
		}
		return "打开页面 " + val(st.Page)
	case scenarios.KindClick:
		return "点击" + short(st.Target)
	case scenarios.KindSubmit:
		return "提交：点击" + short(st.Target)
	case scenarios.KindFill:
		return "填写" + short(st.Target)
	case scenarios.KindSelect:
		return "在" + short(st.Target) + "中选择“" + val(st.Value) + "”"
	case scenarios.KindTick:
		return "勾选" + short(st.Target)
	case scenarios.KindUpload:
		return "上传材料" + short(st.Target)
	case scenarios.KindWait:
		if st.Target == nil {
			return "等待 " + st.Pause.String()
		}
		if st.Gone {
			return "等待" + short(st.Target) + "消失"
		}
		return "等待" + short(st.Target) + "出现"
	case scenarios.KindExpect:
		if st.Gone {
			return "确认" + short(st.Target) + "已消失"
		}
		return "确认页面出现" + short(st.Target)
	case scenarios.KindCheck:
		return fmt.Sprintf("检查 %v（probes not yet available，暂未执行）", st.Probes)
	case scenarios.KindScreenshot:
		return "截图“" + st.Name + "”"
	case scenarios.KindNote:
		return "备注：" + val(st.Text)
	}
	return string(st.Kind)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// here is the page's URL.
func (rn *run) here(ctx context.Context) (*url.URL, error) {
	s, err := browser.EvalJSON[string](ctx, "location.href")
	if err != nil {
		return nil, err
	}
	return url.Parse(s)
}

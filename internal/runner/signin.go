package runner

import (
	"context"
	"net/url"
	"strings"

	"tiyan/scenarios"
)

// signinIfAsked signs in through the site's SSO when the scenario has signin: true and the page
// is the SSO's login page. Credentials come from Config.Env and go into the run's secrets, so
// that nothing shows them.
func (rn *run) signinIfAsked(ctx context.Context) error {
	si := rn.cfg.Site.Signin
	if !rn.sc.Signin || si == nil {
		return nil
	}
	on, err := rn.onSSO(ctx)
	if err != nil || !on {
		return err
	}
	creds := []struct {
		env    string
		target *scenarios.Target
	}{{si.Env.Account, &si.Account}, {si.Env.Password, &si.Password}}
	if si.SMS != nil {
		creds = append(creds, struct {
			env    string
			target *scenarios.Target
		}{si.Env.SMS, si.SMS})
	}
	for _, c := range creds {
		v, ok := rn.cfg.Env(c.env)
		if !ok || v == "" {
			return fail("", nil, "缺少登录凭据：环境变量 %s 未设置（sign-in credential not set）", c.env)
		}
		rn.secrets = append(rn.secrets, v)
		if err := rn.fill(ctx, *c.target, v); err != nil {
			return fail(tokOf(err), nil, "统一身份认证登录失败：%s", rn.mask(err.Error()))
		}
	}
	if err := rn.clickNow(ctx, si.Submit); err != nil { // click settles the page load itself
		return err
	}
	if on, err := rn.onSSO(ctx); err != nil {
		return err
	} else if on {
		return fail("", nil, "统一身份认证登录失败：提交后仍停留在登录页面，请检查账号、密码和短信验证码（sign-in failed）")
	}
	if si.Done != nil {
		if _, err := rn.waitFor(ctx, *si.Done, ""); err != nil {
			return fail("", nil, "登录后未出现%s（sign-in not confirmed）", name(*si.Done))
		}
	}
	rn.log.Info("signed in through the SSO")
	return nil
}

// clickNow clicks without the sign-in check, for the sign-in button itself.
func (rn *run) clickNow(ctx context.Context, t scenarios.Target) error {
	sc := rn.sc
	defer func() { rn.sc = sc }()
	cp := *sc
	cp.Signin = false
	rn.sc = &cp
	return rn.click(ctx, t)
}

// onSSO reports whether the page is the SSO login page named by the profile.
func (rn *run) onSSO(ctx context.Context) (bool, error) {
	u, err := rn.here(ctx)
	if err != nil {
		return false, err
	}
	want, err := url.Parse(rn.cfg.Site.Signin.URL)
	if err != nil || u == nil {
		return false, nil
	}
	if want.Host != "" && !strings.EqualFold(want.Host, u.Host) {
		return false, nil
	}
	return strings.HasSuffix(u.Path, want.Path), nil
}

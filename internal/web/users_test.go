package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
)

// secretRE finds the password or token the page shows once.
var secretRE = regexp.MustCompile(`<p class="secret"><code>([^<]+)</code></p>`)

func shownSecret(t *testing.T, r response) string {
	t.Helper()
	m := secretRE.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no secret shown (status %d):\n%.2000s", r.status, r.body)
	}
	return m[1]
}

// TestUsersAdminOnly: staff, units and officers are refused every account page and change on
// the server, and nothing changes; only the admin sees the menu entry.
func TestUsersAdminOnly(t *testing.T) {
	fx := newFixture(t)
	target := fx.users["liqiang"]
	page := fmt.Sprintf("/users/%d", target.ID)
	for name, c := range map[string]*client{"staff": fx.staff, "unit": fx.unitSCJGJClient, "officer": fx.officerClient} {
		for _, p := range []string{"/users", "/users/new", page, page + "/password", page + "/token"} {
			if r := c.get(t, p); r.status != http.StatusForbidden || !strings.Contains(r.body, "用户管理仅限系统管理员") {
				t.Errorf("%s GET %s: %d", name, p, r.status)
			}
		}
		for _, p := range []string{page + "/password", page + "/disable", page + "/token"} {
			if r := c.post(t, p, url.Values{"ttl": {"30"}}); r.status != http.StatusForbidden {
				t.Errorf("%s POST %s: %d", name, p, r.status)
			}
		}
		if r := c.post(t, "/users", url.Values{"name": {"intruder"}, "role": {"admin"}}); r.status != http.StatusForbidden {
			t.Errorf("%s adds a user: %d", name, r.status)
		}
		c.get(t, "/findings").lacks(t, "用户管理")
	}
	after, err := fx.userStore().User(t.Context(), target.ID)
	if err != nil || after.PasswordHash != target.PasswordHash || after.Disabled {
		t.Errorf("the account changed: %v %+v", err, after)
	}
	if tokens, _ := fx.userStore().Tokens(t.Context(), target.ID, finding.TokenAPI); len(tokens) != 0 {
		t.Errorf("tokens were issued: %v", tokens)
	}
	if _, err := fx.userStore().UserByName(t.Context(), "intruder"); finding.ErrorCode(err) != finding.ENOTFOUND {
		t.Errorf("an account was added: %v", err)
	}
	fx.admin.get(t, "/findings").has(t, `href="/users">用户管理</a>`)
}

// TestUsersList: the admin sees every account with role, scope, state and last sign-in, and no
// password hash.
func TestUsersList(t *testing.T) {
	fx := newFixture(t)
	if err := fx.userStore().RecordSignIn(t.Context(), fx.users["liqiang"].ID, monday.Add(8*time.Hour)); err != nil {
		t.Fatal(err)
	}
	r := fx.admin.get(t, "/users")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	r.has(t, "liqiang", "李强", "工作人员", "六安市（341500）", "市场监管局窗口", "窗口单位", scjgj, "体验官 王芳", "2026-06-01 09:00", "从未登录")
	r.lacks(t, "$2a$")
}

// TestUsersAdd: a new account gets a generated password, shown once, that signs in; a form
// with something missing or wrong is shown again with what to fix and what was typed.
func TestUsersAdd(t *testing.T) {
	fx := newFixture(t)
	form := fx.admin.get(t, "/users/new")
	form.has(t, "添加用户", scjgj, "王芳", `<option value="staff">工作人员</option>`)

	r := fx.admin.post(t, "/users", url.Values{"name": {"zhaomin"}, "display_name": {"赵敏"}, "role": {"staff"}, "jurisdiction": {"341502"},
		"unit": {fmt.Sprint(fx.unitSCJGJ)}}) // a unit chosen before the role changed is ignored
	if r.status != http.StatusCreated || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("add: %d %q\n%.1500s", r.status, r.header.Get("Cache-Control"), r.body)
	}
	r.has(t, "用户已添加", "初始密码只显示这一次")
	pw := shownSecret(t, r)
	u, err := fx.userStore().UserByName(t.Context(), "zhaomin")
	if err != nil || u.Role != finding.RoleStaff || u.Jurisdiction != "341502" || u.UnitID != 0 || u.DisplayName != "赵敏" {
		t.Fatalf("stored %+v, %v", u, err)
	}
	if !auth.CheckPassword(u.PasswordHash, pw) {
		t.Error("the shown password does not sign in")
	}
	fx.admin.get(t, "/users").lacks(t, pw)

	for _, c := range []struct {
		form url.Values
		code int
		want string
	}{
		{url.Values{"name": {""}, "role": {"admin"}}, 400, "请填写用户名"},
		{url.Values{"name": {"x"}}, 400, "请选择角色"},
		{url.Values{"name": {"x"}, "role": {"root"}}, 400, "角色 &#34;root&#34; 无法识别"},
		{url.Values{"name": {"x"}, "role": {"staff"}}, 400, "须填写管辖的行政区划代码"},
		{url.Values{"name": {"x"}, "role": {"staff"}, "jurisdiction": {"3415"}}, 400, "应为 6 位或 12 位数字"},
		{url.Values{"name": {"x"}, "role": {"unit"}}, 400, "须选择所属单位"},
		{url.Values{"name": {"x"}, "role": {"officer"}}, 400, "须选择对应的体验官"},
		{url.Values{"name": {"a b"}, "role": {"admin"}}, 400, "不能包含空格或斜杠"},
		{url.Values{"name": {"zhaomin"}, "role": {"admin"}}, 409, "用户名“zhaomin”已被使用"},
	} {
		r := fx.admin.post(t, "/users", c.form)
		if r.status != c.code || !strings.Contains(r.body, c.want) {
			t.Errorf("%v: %d, want %d with %q", c.form, r.status, c.code, c.want)
		}
		if n := c.form.Get("name"); n != "" {
			r.has(t, `value="`+n+`"`) // what was typed is kept
		}
	}
}

// TestUsersPasswordReset: a confirmation page first; the reset shows a new password once and
// signs the user out everywhere.
func TestUsersPasswordReset(t *testing.T) {
	fx := newFixture(t)
	page := fmt.Sprintf("/users/%d", fx.users["liqiang"].ID)
	fx.admin.get(t, page+"/password").has(t, "原密码立即失效", "确认重置密码", "取消")
	if r := fx.staff.get(t, "/findings"); r.status != http.StatusOK {
		t.Fatalf("staff before the reset: %d", r.status)
	}
	r := fx.admin.post(t, page+"/password", nil)
	if r.status != http.StatusOK {
		t.Fatalf("reset: %d", r.status)
	}
	r.has(t, "密码已重置", "新密码只显示这一次")
	pw := shownSecret(t, r)
	u, _ := fx.userStore().User(t.Context(), fx.users["liqiang"].ID)
	if !auth.CheckPassword(u.PasswordHash, pw) || auth.CheckPassword(u.PasswordHash, testPassword) {
		t.Error("the new password is not the one shown, or the old one still works")
	}
	if r := fx.staff.get(t, "/findings"); r.status != http.StatusSeeOther {
		t.Errorf("staff's session survived the reset: %d", r.status)
	}
	fx.admin.get(t, page).lacks(t, pw)
}

// TestUsersDisable: disabling ends the user's sessions and is shown; an admin cannot disable
// their own account; enabling lets the user back in.
func TestUsersDisable(t *testing.T) {
	fx := newFixture(t)
	id := fx.users["scjgj"].ID
	page := fmt.Sprintf("/users/%d", id)
	fx.admin.get(t, page+"/disable").has(t, "停用后该用户不能登录", "确认停用")
	if got := fx.admin.post(t, page+"/disable", nil).redirect(t); got != page+"?done=disable" {
		t.Errorf("disable went to %s", got)
	}
	fx.admin.get(t, page+"?done=disable").has(t, "账号已停用", "已停用", `href="`+page+`/enable"`)
	if r := fx.unitSCJGJClient.get(t, "/findings"); r.status != http.StatusSeeOther {
		t.Errorf("a disabled unit still reads findings: %d", r.status)
	}
	if r := fx.admin.post(t, page+"/disable", nil); r.status != http.StatusConflict || !strings.Contains(r.body, "已是停用状态") {
		t.Errorf("disabling twice: %d", r.status)
	}
	self := fmt.Sprintf("/users/%d/disable", fx.users["admin"].ID)
	fx.admin.get(t, self).has(t, "不能停用您自己正在使用的账号")
	if r := fx.admin.post(t, self, nil); r.status != http.StatusConflict {
		t.Errorf("the admin disabled themself: %d", r.status)
	}
	fx.admin.post(t, page+"/enable", nil).redirect(t)
	if u, _ := fx.userStore().User(t.Context(), id); u.Disabled {
		t.Error("enable did not enable")
	}
}

// TestUsersTokens: a token issued on the page works for its lifetime, is listed with its
// expiry, is then refused saying it expired, and can be revoked.
func TestUsersTokens(t *testing.T) {
	fx := newFixture(t)
	page := fmt.Sprintf("/users/%d", fx.users["liqiang"].ID)
	fx.admin.get(t, page+"/token").has(t, "签发接口令牌", `<option value="90" selected>90 天</option>`, "确认签发")
	r := fx.admin.post(t, page+"/token", url.Values{"ttl": {"30"}, "note": {"省平台数据对接"}})
	r.has(t, "接口令牌已签发", "有效期至 "+finding.FormatTime(fx.clock.now().Add(30*24*time.Hour)))
	machine := &client{h: fx.srv, bearer: shownSecret(t, r)}
	if r := machine.get(t, "/api/me"); r.status != http.StatusOK || !strings.Contains(r.body, `"name":"liqiang"`) {
		t.Fatalf("the new token: %d %s", r.status, r.body)
	}
	list := fx.admin.get(t, page)
	list.has(t, "省平台数据对接", finding.FormatTime(fx.clock.now().Add(30*24*time.Hour)))
	list.lacks(t, machine.bearer)

	for _, bad := range []string{"0", "400", "x"} {
		if r := fx.admin.post(t, page+"/token", url.Values{"ttl": {bad}}); r.status != http.StatusBadRequest {
			t.Errorf("ttl %s: %d", bad, r.status)
		}
	}

	fx.clock.set(fx.clock.now().Add(31 * 24 * time.Hour))
	admin := fx.client(t, "admin") // the earlier session has expired meanwhile
	r = machine.get(t, "/api/me")
	var body apiError
	r.json(t, &body)
	if r.status != http.StatusUnauthorized || !strings.Contains(body.Error.Message, "过期") || !strings.Contains(body.Error.Message, "签发新令牌") {
		t.Errorf("an expired token: %d %q", r.status, body.Error.Message)
	}
	admin.get(t, page).has(t, "已过期")

	tokens, _ := fx.userStore().Tokens(t.Context(), fx.users["liqiang"].ID, finding.TokenAPI)
	if len(tokens) != 1 {
		t.Fatalf("%d tokens", len(tokens))
	}
	revoke := page + "/revoke?token=" + tokens[0].ID()
	admin.get(t, revoke).has(t, "吊销不可撤销", tokens[0].ID(), "确认吊销")
	if got := admin.post(t, page+"/revoke", url.Values{"token": {tokens[0].ID()}}).redirect(t); got != page+"?done=revoke" {
		t.Errorf("revoke went to %s", got)
	}
	admin.get(t, page).has(t, "该用户没有接口令牌")
	if r := admin.post(t, page+"/revoke", url.Values{"token": {tokens[0].ID()}}); r.status != http.StatusNotFound {
		t.Errorf("revoking twice: %d", r.status)
	}
}

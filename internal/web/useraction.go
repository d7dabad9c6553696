package web

import (
	"net/http"
	"strconv"
	"time"

	"tiyan/internal/finding"
)

// userActionDef is a change to an account as its confirmation page offers it.
type userActionDef struct {
	label   string // the link on the account's page, and the page's title
	confirm string // the button that does it
	explain string // what will happen
}

var userActions = map[string]userActionDef{
	"password": {"重置密码", "确认重置密码", "将为该账号生成一个新密码，只在下一页显示一次；原密码立即失效，该用户已登录的会话全部退出。"},
	"disable":  {"停用账号", "确认停用", "停用后该用户不能登录，已登录的会话立即退出，其接口令牌暂停使用；可随时重新启用。"},
	"enable":   {"启用账号", "确认启用", "启用后该用户可以重新登录，未过期的接口令牌恢复使用。"},
	"token":    {"签发接口令牌", "确认签发", "将为该账号签发一个接口令牌，只在下一页显示一次。持有令牌的程序可以通过接口查看和办理该账号有权查看和办理的一切，请只交给可信的系统；到期后自动失效。"},
	"revoke":   {"吊销接口令牌", "确认吊销", "吊销后，使用该令牌的程序将无法再调用接口。吊销不可撤销，需要时请重新签发。"},
}

// userActionView is the confirmation page of a change, and the page that shows a new password
// or token once.
type userActionView struct {
	layout
	Key, Label, Confirm, Explain string
	Row                          userRow
	UserURL, PostURL             string
	Error                        string
	Blocked                      bool // the change cannot be made now; Error says why
	TTLs                         []option
	Note                         string
	Token                        *tokenRow // the token to revoke
	// Secret is the new password or token, shown once; SecretLabel names it.
	Secret, SecretLabel, Result, Expires string
}

func (s *Server) userActionPage(w http.ResponseWriter, r *http.Request) {
	s.renderUserAction(w, r, http.StatusOK, nil)
}

// renderUserAction shows the confirmation page of the action in the path, with a refusal.
func (s *Server) renderUserAction(w http.ResponseWriter, r *http.Request, status int, refusal error) {
	me, _ := userOf(r)
	u, err := s.userOfPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	key := r.PathValue("action")
	def, ok := userActions[key]
	if !ok {
		s.notFound(w, r)
		return
	}
	v := userActionView{layout: s.layout(r, def.label, "users"), Key: key, Label: def.label, Confirm: def.confirm,
		Explain: def.explain, Row: s.userRow(u), UserURL: s.userURL(u.ID, ""), PostURL: s.userURL(u.ID, key),
		TTLs: ttlOptions(r.FormValue("ttl")), Note: r.FormValue("note")}
	if key == "revoke" {
		if v.Token, err = s.revokedToken(r, u); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if refusal == nil {
		refusal = userRefusal(me, u, key)
		v.Blocked = refusal != nil
	}
	if refusal != nil {
		v.Error = finding.ErrorMessage(refusal)
		if status == http.StatusInternalServerError {
			s.log.ErrorContext(r.Context(), "account action failed", "action", key, "user", u.ID, "err", refusal)
			v.Error = "服务器处理时出错，操作未完成，请稍后重试。"
		}
	}
	s.render(w, r, status, "useraction", v)
}

// revokedToken finds the API token of u that the request's token field names.
func (s *Server) revokedToken(r *http.Request, u finding.User) (*tokenRow, error) {
	tokens, err := s.accounts().Tokens(r.Context(), u)
	if err != nil {
		return nil, err
	}
	id := r.FormValue("token")
	for _, t := range tokens {
		if t.ID() == id {
			return &tokenRow{ID: t.ID(), Note: t.Note, Created: finding.FormatTime(t.Created), Expires: tokenExpiry(t), Expired: t.Expired(s.now())}, nil
		}
	}
	return nil, finding.Errorf(finding.ENOTFOUND, "用户 %s 没有编号为“%s”的接口令牌（可能已被吊销）", u.Name, id)
}

// userRefusal says why me may not make change key to u now, or nil.
func userRefusal(me, u finding.User, key string) error {
	switch {
	case key == "disable" && me.ID == u.ID:
		return finding.Errorf(finding.ECONFLICT, "不能停用您自己正在使用的账号；如确需停用，请由另一位管理员操作。")
	case key == "disable" && u.Disabled:
		return finding.Errorf(finding.ECONFLICT, "账号 %s 已是停用状态。", u.Name)
	case key == "enable" && !u.Disabled:
		return finding.Errorf(finding.ECONFLICT, "账号 %s 未停用，无需启用。", u.Name)
	}
	return nil
}

// userActionPost makes the change: a new password or token is shown once, anything else goes
// back to the account's page with what was done.
func (s *Server) userActionPost(w http.ResponseWriter, r *http.Request) {
	me, _ := userOf(r)
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, finding.Errorf(finding.EINVALID, "表单无法读取，请刷新页面后重试。"))
		return
	}
	u, err := s.userOfPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	key := r.PathValue("action")
	if _, ok := userActions[key]; !ok {
		s.notFound(w, r)
		return
	}
	if err := userRefusal(me, u, key); err != nil {
		s.renderUserAction(w, r, statusOf(err), err)
		return
	}
	if err := s.changeUser(w, r, u, key); err != nil {
		s.renderUserAction(w, r, statusOf(err), err)
	}
}

// changeUser makes change key to u and answers the request, or returns why it could not.
func (s *Server) changeUser(w http.ResponseWriter, r *http.Request, u finding.User, key string) error {
	ctx, a := r.Context(), s.accounts()
	switch key {
	case "password":
		password, err := a.SetPassword(ctx, u, "")
		if err == nil {
			s.renderSecret(w, r, u, key, password)
		}
		return err
	case "token":
		days, err := strconv.Atoi(r.PostForm.Get("ttl"))
		if err != nil {
			return finding.Errorf(finding.EINVALID, "请选择令牌的有效期")
		}
		secret, t, err := a.IssueToken(ctx, u, time.Duration(days)*24*time.Hour, r.PostForm.Get("note"))
		if err == nil {
			s.renderSecret(w, r, u, key, secret, finding.FormatTime(t.Expires))
		}
		return err
	case "revoke":
		if _, err := a.RevokeToken(ctx, u, r.PostForm.Get("token")); err != nil {
			return err
		}
	default: // disable, enable
		if _, err := a.SetDisabled(ctx, u, key == "disable"); err != nil {
			return err
		}
	}
	http.Redirect(w, r, s.userURL(u.ID, "")+"?done="+key, http.StatusSeeOther)
	return nil
}

// secretTexts say what a shown secret is: the page's title, the secret's label, and what to do
// with it.
var secretTexts = map[string][3]string{
	"add":      {"用户已添加", "初始密码", "请将用户名和初始密码当面或通过内部渠道转交本人。"},
	"password": {"密码已重置", "新密码", "请将新密码当面或通过内部渠道转交本人；原密码已失效。"},
	"token":    {"接口令牌已签发", "接口令牌", "请将令牌配置到调用接口的系统中（请求头 Authorization: Bearer 令牌），不要通过聊天工具或邮件明文传送。"},
}

// renderSecret shows a new password or token, once: the page is not cached, and nothing keeps
// the secret but the store's hash.
func (s *Server) renderSecret(w http.ResponseWriter, r *http.Request, u finding.User, key, secret string, expires ...string) {
	t := secretTexts[key]
	v := userActionView{layout: s.layout(r, t[0], "users"), Key: key, Row: s.userRow(u), UserURL: s.userURL(u.ID, ""),
		Secret: secret, SecretLabel: t[1], Result: t[2]}
	if len(expires) > 0 {
		v.Expires = expires[0]
	}
	status := http.StatusOK
	if key == "add" {
		status = http.StatusCreated
	}
	s.render(w, r, status, "useraction", v)
}

package web

import (
	"net"
	"net/http"
	"strings"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
)

// signInView is the sign-in page.
type signInView struct {
	layout
	Name, Next string
	Error      string
}

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) {
	if _, err := s.session(r); err == nil {
		http.Redirect(w, r, s.localNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "signin", signInView{layout: s.layout(r, "登录", ""), Next: r.URL.Query().Get("next")})
}

// signIn checks a name and password, at most a few times per account and per address in a
// while (limiter), and starts a session.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, finding.Errorf(finding.EINVALID, "登录表单无法读取，请刷新页面后重试。"))
		return
	}
	name, pw, next := strings.TrimSpace(r.PostForm.Get("name")), r.PostForm.Get("password"), r.PostForm.Get("next")
	v := signInView{layout: s.layout(r, "登录", ""), Name: name, Next: next}
	keys := []string{"account:" + name, "ip:" + s.clientIP(r)}
	if wait := s.limiter.blocked(keys...); wait > 0 {
		s.log.WarnContext(r.Context(), "sign-in refused: too many failures", "name", name, "ip", s.clientIP(r))
		v.Error = "登录失败次数过多，请 " + minutes(wait) + "后再试；如忘记密码，请联系系统管理员重置。"
		s.render(w, r, http.StatusTooManyRequests, "signin", v)
		return
	}
	u, err := s.users.UserByName(r.Context(), name)
	if err != nil && finding.ErrorCode(err) != finding.ENOTFOUND {
		s.fail(w, r, err)
		return
	}
	// An unknown name is checked against a dummy hash, so that it takes as long as a known one.
	if !auth.CheckPassword(u.PasswordHash, pw) || u.Disabled {
		s.limiter.fail(keys...)
		s.log.WarnContext(r.Context(), "sign-in failed", "name", name, "ip", s.clientIP(r))
		v.Error = "用户名或密码不正确。"
		s.render(w, r, http.StatusUnauthorized, "signin", v)
		return
	}
	s.limiter.reset(keys[0])
	if _, err := s.users.DeleteExpiredTokens(r.Context(), s.now()); err != nil {
		s.log.WarnContext(r.Context(), "delete expired sessions", "err", err)
	}
	// A session the browser still held (another account, a shared computer) ends here: one
	// browser, one signed-in user.
	if err := s.dropSession(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.setSession(w, r, u); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.users.RecordSignIn(r.Context(), u.ID, s.now()); err != nil {
		s.log.WarnContext(r.Context(), "record sign-in", "user", u.Name, "err", err)
	}
	http.Redirect(w, r, s.localNext(next), http.StatusSeeOther)
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	if err := s.endSession(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, s.path("/signin"), http.StatusSeeOther)
}

// clientIP is the address sign-in limits count against: the peer, or behind a trusted proxy
// the address the proxy appended last to X-Forwarded-For.
func (s *Server) clientIP(r *http.Request) string {
	if s.trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); ip != "" {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

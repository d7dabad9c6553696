package web

import (
	"net/http"
	"net/netip"
	"strings"
	"time"

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
	ip := s.clientIP(r)
	if wait := s.limiter.blocked(pairKey(name, ip), addressKey(ip)); wait > 0 {
		s.log.WarnContext(r.Context(), "sign-in refused: too many failures", "name", name, "ip", ip)
		v.Error = "登录失败次数过多，请 " + minutes(wait) + "后再试；如忘记密码，请联系系统管理员重置。"
		s.render(w, r, http.StatusTooManyRequests, "signin", v)
		return
	}
	if d := s.limiter.backoff(accountKey(name)); d > 0 {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(d):
		}
	}
	u, err := s.users.UserByName(r.Context(), name)
	if err != nil && finding.ErrorCode(err) != finding.ENOTFOUND {
		s.fail(w, r, err)
		return
	}
	// An unknown name is checked against a dummy hash, so that it takes as long as a known one.
	if !auth.CheckPassword(u.PasswordHash, pw) || u.Disabled {
		s.limiter.fail(pairKey(name, ip), addressKey(ip), accountKey(name))
		s.log.WarnContext(r.Context(), "sign-in failed", "name", name, "ip", ip)
		v.Error = "用户名或密码不正确。"
		s.render(w, r, http.StatusUnauthorized, "signin", v)
		return
	}
	s.limiter.reset(pairKey(name, ip))
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

// clientIP is the address sign-in limits count against: the peer; or, when the peer is one of
// the trusted proxies, the rightmost address of X-Forwarded-For that is not a trusted proxy
// itself (what a client writes there on its own is to the left of what the proxies append, so
// it is never reached). An untrusted peer's X-Forwarded-For is ignored.
func (s *Server) clientIP(r *http.Request) string {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	addr := peer.Addr().Unmap()
	if !s.trusted(addr) {
		return addr.String()
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // not an address: trust nothing further left
		}
		addr = hop.Unmap()
		if !s.trusted(addr) {
			break
		}
	}
	return addr.String()
}

// trusted reports whether addr is one of the trusted proxies.
func (s *Server) trusted(addr netip.Addr) bool {
	for _, p := range s.trustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

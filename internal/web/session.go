package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
)

// sessionCookie holds the session's secret; the store keeps only its hash.
const sessionCookie = "tiyan_session"

type userKey struct{}

// withUser returns r carrying the signed-in user.
func withUser(r *http.Request, u finding.User) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), userKey{}, u))
}

// userOf returns the signed-in user r carries; ok is false on pages that need none.
func userOf(r *http.Request) (finding.User, bool) {
	u, ok := r.Context().Value(userKey{}).(finding.User)
	return u, ok
}

// session returns the user whose live session the request's cookie names, or EUNAUTHORIZED.
func (s *Server) session(r *http.Request) (finding.User, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return finding.User{}, finding.Errorf(finding.EUNAUTHORIZED, "请先登录")
	}
	return s.users.TokenUser(r.Context(), auth.HashToken(c.Value), finding.TokenSession, s.now())
}

// page requires a session: without one, a page asks the browser to sign in and come back;
// a form post is refused (its data cannot survive the detour).
func (s *Server) page(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.session(r)
		if err != nil {
			if finding.ErrorCode(err) != finding.EUNAUTHORIZED {
				s.fail(w, r, err)
				return
			}
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, s.path("/signin")+"?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.fail(w, r, finding.Errorf(finding.EUNAUTHORIZED, "登录已过期，请重新登录后再提交。"))
			return
		}
		h(w, withUser(r, u))
	})
}

// setSession starts a session for u and sets its cookie: HttpOnly (no script reads it), Secure
// when the UI is served over https, SameSite=Lax (no cross-site posts carry it), for the UI's
// path only.
func (s *Server) setSession(w http.ResponseWriter, r *http.Request, u finding.User) error {
	secret, hash := auth.NewToken()
	now := s.now()
	expires := now.Add(s.sessionTTL)
	if err := s.users.CreateToken(r.Context(), finding.Token{Hash: hash, UserID: u.ID, Kind: finding.TokenSession, Created: now, Expires: expires}); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: secret, Path: s.cookiePath(), Expires: expires, MaxAge: int(s.sessionTTL.Seconds()),
		HttpOnly: true, Secure: s.https || r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
	return nil
}

// dropSession deletes the session the request's cookie names, if any, from the store.
func (s *Server) dropSession(r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		return s.users.DeleteToken(r.Context(), auth.HashToken(c.Value))
	}
	return nil
}

// endSession deletes the request's session and clears its cookie.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	if err := s.dropSession(r); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: s.cookiePath(), MaxAge: -1,
		HttpOnly: true, Secure: s.https || r.TLS != nil, SameSite: http.SameSiteLaxMode})
	return nil
}

func (s *Server) cookiePath() string {
	if s.base == "" {
		return "/"
	}
	return s.base + "/"
}

// localNext returns where to go after signing in: the page of this UI the browser asked for
// (a path under the base, as the sign-in redirect passes it), or the start page. Anything else
// (another host, //evil, a scheme) is ignored, so that the sign-in page cannot send people
// elsewhere.
func (s *Server) localNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return s.path("/")
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" {
		return s.path("/")
	}
	return s.path(next)
}

package portalsim

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Account is the SSO test account. The simulator sends no SMS: the code is fixed.
type Account struct {
	Phone    string // 手机号码
	Password string // 登录密码
	SMSCode  string // 短信验证码
	Name     string // the holder's name shown after sign-in
}

// DefaultAccount is the test account of the simulated SSO.
var DefaultAccount = Account{Phone: "13800000000", Password: "Tiyan@2026", SMSCode: "123456", Name: "测试用户"}

func (a Account) withDefaults() Account {
	if a.Phone == "" {
		a.Phone = DefaultAccount.Phone
	}
	if a.Password == "" {
		a.Password = DefaultAccount.Password
	}
	if a.SMSCode == "" {
		a.SMSCode = DefaultAccount.SMSCode
	}
	if a.Name == "" {
		a.Name = DefaultAccount.Name
	}
	return a
}

// sessions keeps SSO logins (TGC), one-time tickets and portal sessions, all in memory.
type sessions struct {
	mu      sync.Mutex
	tgc     map[string]string // SSO login cookie → phone
	tickets map[string]string // service ticket → phone
	portal  map[string]string // portal session cookie → phone
}

func newSessions() *sessions {
	return &sessions{tgc: map[string]string{}, tickets: map[string]string{}, portal: map[string]string{}}
}

func token(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

func (ss *sessions) put(m map[string]string, prefix, phone string) string {
	t := token(prefix)
	ss.mu.Lock()
	m[t] = phone
	ss.mu.Unlock()
	return t
}

func (ss *sessions) get(m map[string]string, t string, consume bool) (string, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	p, ok := m[t]
	if consume {
		delete(m, t)
	}
	return p, ok
}

const (
	tgcCookie     = "TGC"
	portalCookie  = "BOGSESSION"
	loginPath     = "/uccp-server/login"
	serviceAppKey = "wssb"
)

type loginView struct {
	Service, AppCode, Phone string
	Errors                  []string
}

// handleLogin is the SSO: GET shows the sign-in form (or, with a valid TGC, goes straight back
// to the service with a ticket); POST checks the account and issues a ticket.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	service := r.FormValue("service")
	if !safeService(service) {
		s.notice(w, http.StatusBadRequest, PC, "登录参数错误", "service参数缺失或不是本站地址，无法返回办事页面。")
		return
	}
	v := loginView{Service: service, AppCode: r.FormValue("appCode")}
	if r.Method == http.MethodGet {
		if c, err := r.Cookie(tgcCookie); err == nil {
			if phone, ok := s.sessions.get(s.sessions.tgc, c.Value, false); ok {
				s.redirectWithTicket(w, r, service, phone)
				return
			}
		}
		s.render(w, http.StatusOK, "login", page{Channel: serviceChannel(service), Title: "统一身份认证", Body: v})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	v.Phone = strings.TrimSpace(r.FormValue("phone"))
	acct := s.cfg.Account
	switch {
	case v.Phone == "" || r.FormValue("password") == "":
		v.Errors = append(v.Errors, "请输入手机号码和登录密码")
	case v.Phone != acct.Phone || r.FormValue("password") != acct.Password:
		v.Errors = append(v.Errors, "手机号码或密码错误")
	case r.FormValue("sms") != acct.SMSCode:
		v.Errors = append(v.Errors, "短信验证码错误或已过期，请重新获取")
	}
	if len(v.Errors) > 0 {
		s.render(w, http.StatusOK, "login", page{Channel: serviceChannel(service), Title: "统一身份认证", Body: v})
		return
	}
	tgc := s.sessions.put(s.sessions.tgc, "TGT-", acct.Phone)
	http.SetCookie(w, &http.Cookie{Name: tgcCookie, Value: tgc, Path: loginPath, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	s.redirectWithTicket(w, r, service, acct.Phone)
}

func (s *Server) redirectWithTicket(w http.ResponseWriter, r *http.Request, service, phone string) {
	ticket := s.sessions.put(s.sessions.tickets, "ST-", phone)
	sep := "?"
	if strings.Contains(service, "?") {
		sep = "&"
	}
	http.Redirect(w, r, service+sep+"ticket="+ticket, http.StatusFound)
}

// safeService accepts only a path on this site, so the SSO is no open redirect.
func safeService(service string) bool {
	u, err := url.Parse(service)
	return err == nil && service != "" && u.Scheme == "" && u.Host == "" && strings.HasPrefix(u.Path, "/") && !strings.HasPrefix(service, "//")
}

func serviceChannel(service string) string {
	if strings.HasPrefix(service, "/h5/") {
		return H5
	}
	return PC
}

// redeemTicket turns an SSO ticket in the URL into a portal session and reloads the page without
// it. With the sso-loop defect on for the item and channel, the ticket is refused and the user is
// sent back to the SSO, which (holding a TGC) sends them back again: a redirect loop.
func (s *Server) redeemTicket(w http.ResponseWriter, r *http.Request) bool {
	q := r.URL.Query()
	ticket := q.Get("ticket")
	if ticket == "" {
		return false
	}
	q.Del("ticket")
	clean := *r.URL
	clean.RawQuery = q.Encode()
	phone, ok := s.sessions.get(s.sessions.tickets, ticket, true)
	ch := serviceChannel(r.URL.Path)
	if !ok || s.board.Has(q.Get("ssqdCode"), ch, "sso-loop") {
		http.Redirect(w, r, loginURL(clean.RequestURI()), http.StatusFound)
		return true
	}
	sid := s.sessions.put(s.sessions.portal, "S-", phone)
	http.SetCookie(w, &http.Cookie{Name: portalCookie, Value: sid, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, clean.RequestURI(), http.StatusFound)
	return true
}

func loginURL(service string) string {
	return loginPath + "?service=" + url.QueryEscape(service) + "&appCode=" + serviceAppKey
}

// signedIn returns the phone of the request's portal session.
func (s *Server) signedIn(r *http.Request) (string, bool) {
	c, err := r.Cookie(portalCookie)
	if err != nil {
		return "", false
	}
	return s.sessions.get(s.sessions.portal, c.Value, false)
}

package web

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"
)

// signIn posts the sign-in form from addr and returns the answer.
func signIn(t *testing.T, h http.Handler, name, password, addr string) response {
	t.Helper()
	c := anon(h)
	form := url.Values{"name": {name}, "password": {password}, "next": {"/findings?status=found"}}
	req := strings.NewReader(form.Encode())
	r := c.doFrom(t, addr, http.MethodPost, "/signin", "application/x-www-form-urlencoded", req)
	return r
}

// sessionOf is the session cookie a sign-in set.
func sessionOf(t *testing.T, r response) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	t.Fatalf("no session cookie in %v", r.header)
	return nil
}

func TestWebSignIn(t *testing.T) {
	fx := newFixture(t)
	page := anon(fx.srv).get(t, "/signin?next=/findings/1")
	page.has(t, `<label for="name">用户名</label>`, `autocomplete="current-password"`, `name="next" value="/findings/1"`)
	page.lacks(t, "退出登录", "主导航")

	r := signIn(t, fx.srv, "liqiang", testPassword, "192.0.2.1")
	if loc := r.redirect(t); loc != "/findings?status=found" {
		t.Errorf("after sign-in to %q", loc)
	}
	c := sessionOf(t, r)
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure || c.MaxAge != int(defaultSessionTTL.Seconds()) {
		t.Errorf("session cookie %+v", c)
	}
	staff := &client{h: fx.srv, cookie: c.Value}
	staff.get(t, "/findings").has(t, "李强", "工作人员 · 六安市（341500）", "退出登录")

	// Signing in again from a browser that holds a session ends that session.
	form := url.Values{"name": {"admin"}, "password": {testPassword}}
	again := staff.post(t, "/signin", form)
	again.redirect(t)
	if r := fx.staff.get(t, "/findings"); r.status != http.StatusOK {
		t.Errorf("another browser's session: %d", r.status)
	}
	if r := staff.get(t, "/findings"); r.status != http.StatusSeeOther {
		t.Errorf("the replaced session still works: %d", r.status)
	}
	staff = &client{h: fx.srv, cookie: sessionOf(t, again).Value}

	// Signing out ends the session in the store, not only in the browser.
	out := staff.post(t, "/signout", nil)
	if out.redirect(t) != "/signin" || sessionOf(t, out).MaxAge != -1 {
		t.Errorf("sign-out: %v", out.header)
	}
	if loc := staff.get(t, "/findings").redirect(t); loc != "/signin?next=%2Ffindings" {
		t.Errorf("after sign-out, /findings goes to %q", loc)
	}
}

func TestWebSignInRefused(t *testing.T) {
	fx := newFixture(t)
	for _, c := range []struct{ name, pw string }{{"liqiang", "wrong-password"}, {"nobody", testPassword}, {"", ""}} {
		r := signIn(t, fx.srv, c.name, c.pw, "192.0.2.1")
		if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "用户名或密码不正确") || r.header.Get("Set-Cookie") != "" {
			t.Errorf("%s/%s: %d %v", c.name, c.pw, r.status, r.header)
		}
	}
	// A disabled user cannot sign in, and their sessions stop working.
	u := fx.users["scjgj"]
	u.Disabled = true
	if _, err := fx.userStore().UpdateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	if r := signIn(t, fx.srv, "scjgj", testPassword, "192.0.2.2"); r.status != http.StatusUnauthorized {
		t.Errorf("disabled user signed in: %d", r.status)
	}
	if r := fx.unitSCJGJClient.get(t, "/findings"); r.status != http.StatusSeeOther {
		t.Errorf("a disabled user's session still works: %d", r.status)
	}
}

// TestWebSignInRateLimit: failures lock an account for the address they came from, never for
// everyone: twenty failures from address A lock that account at A (after five) but not the
// right password from address B; failures on twenty names lock the address for every name.
func TestWebSignInRateLimit(t *testing.T) {
	fx := newFixture(t)
	for range addressFailures {
		signIn(t, fx.srv, "liqiang", "wrong-password", "192.0.2.1")
	}
	locked := signIn(t, fx.srv, "liqiang", testPassword, "192.0.2.1")
	if locked.status != http.StatusTooManyRequests || !strings.Contains(locked.body, "登录失败次数过多，请 15 分钟后再试") {
		t.Fatalf("locked account and address: %d\n%s", locked.status, mainOf(locked.body))
	}
	if r := signIn(t, fx.srv, "liqiang", testPassword, "192.0.2.99"); r.status != http.StatusSeeOther {
		t.Errorf("the right password from an address that has not failed: %d, want 303", r.status)
	}
	if r := signIn(t, fx.srv, "admin", testPassword, "192.0.2.1"); r.status != http.StatusSeeOther {
		t.Errorf("another account from the same address: %d, want 303", r.status)
	}
	fx.clock.set(fx.clock.now().Add(lockout + time.Second))
	if r := signIn(t, fx.srv, "liqiang", testPassword, "192.0.2.1"); r.status != http.StatusSeeOther {
		t.Errorf("after the lockout: %d", r.status)
	}

	for i := range addressFailures {
		signIn(t, fx.srv, "guess"+string(rune('a'+i)), "x", "198.51.100.7")
	}
	if r := signIn(t, fx.srv, "admin", testPassword, "198.51.100.7"); r.status != http.StatusTooManyRequests {
		t.Errorf("locked address: %d", r.status)
	}
	if r := signIn(t, fx.srv, "admin", testPassword, "198.51.100.8"); r.status != http.StatusSeeOther {
		t.Errorf("another address: %d", r.status)
	}
}

// TestWebSignInSpreadGuessing: a guessing run over many addresses slows every attempt on the
// account but never locks it: the right password from a fresh address still signs in.
func TestWebSignInSpreadGuessing(t *testing.T) {
	fx := newFixture(t)
	for i := range accountFailures {
		signIn(t, fx.srv, "admin", "guess", fmt.Sprintf("203.0.%d.%d", i/200, 1+i%200))
	}
	if d := fx.srv.limiter.backoff(accountKey("admin")); d != accountDelay {
		t.Errorf("back-off after %d failures: %v, want %v", accountFailures, d, accountDelay)
	}
	if r := signIn(t, fx.srv, "admin", testPassword, "192.0.2.200"); r.status != http.StatusSeeOther {
		t.Errorf("the right password after a spread guessing run: %d, want 303", r.status)
	}
}

// signInVia posts the sign-in form from peer with an X-Forwarded-For header.
func signInVia(t *testing.T, h http.Handler, name, password, peer, xff string) response {
	t.Helper()
	req := newPost(t, "/signin", url.Values{"name": {name}, "password": {password}})
	req.RemoteAddr = peer + ":40000"
	req.Header.Set("X-Forwarded-For", xff)
	return serve(t, h, req)
}

// TestWebSignInTrustedProxies: behind a trusted proxy two clients are told apart by
// X-Forwarded-For (its rightmost untrusted address, so what a client writes there itself does
// not count); an untrusted peer's X-Forwarded-For is ignored.
func TestWebSignInTrustedProxies(t *testing.T) {
	fx := newFixture(t)
	srv, err := New(Config{Store: fx.store, Loop: fx.loop, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range pairFailures {
		// The client writes an address of its own choosing; the proxies append the real one.
		signInVia(t, srv, "liqiang", "x", "10.0.0.5", fmt.Sprintf("198.18.0.%d, 203.0.113.1, 10.0.0.9", i))
	}
	if r := signInVia(t, srv, "liqiang", testPassword, "10.0.0.5", "203.0.113.1"); r.status != http.StatusTooManyRequests {
		t.Errorf("client 203.0.113.1 through the proxy: %d, want 429", r.status)
	}
	if r := signInVia(t, srv, "liqiang", testPassword, "10.0.0.5", "203.0.113.2"); r.status != http.StatusSeeOther {
		t.Errorf("client 203.0.113.2 through the proxy: %d, want 303", r.status)
	}
	for i := range pairFailures {
		signInVia(t, srv, "admin", "x", "192.0.2.50", fmt.Sprintf("203.0.113.%d", 10+i))
	}
	if r := signInVia(t, srv, "admin", testPassword, "192.0.2.50", "203.0.113.99"); r.status != http.StatusTooManyRequests {
		t.Errorf("an untrusted peer changing X-Forwarded-For: %d, want 429 (the header ignored)", r.status)
	}
}

func TestWebSessionExpires(t *testing.T) {
	fx := newFixture(t)
	if r := fx.staff.get(t, "/findings"); r.status != http.StatusOK {
		t.Fatalf("fresh session: %d", r.status)
	}
	fx.clock.set(fx.clock.now().Add(defaultSessionTTL + time.Minute))
	if loc := fx.staff.get(t, "/findings").redirect(t); !strings.HasPrefix(loc, "/signin?next=") {
		t.Errorf("expired session goes to %q", loc)
	}
	if r := fx.staff.post(t, "/findings/1/dismiss", url.Values{"reason": {"误报"}}); r.status != http.StatusUnauthorized || !strings.Contains(r.body, "登录已过期") {
		t.Errorf("post with an expired session: %d", r.status)
	}
}

func TestWebSignInNext(t *testing.T) {
	fx := newFixture(t)
	for next, want := range map[string]string{
		"/findings/3":           "/findings/3",
		"//evil.example/x":      "/",
		"https://evil.example/": "/",
		"/\\evil.example":       "/",
		"":                      "/",
		"findings":              "/",
	} {
		if got := fx.srv.localNext(next); got != want {
			t.Errorf("localNext(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestWebSecureCookie(t *testing.T) {
	fx := newFixture(t)
	srv, err := New(Config{Store: fx.store, Loop: fx.loop, BaseURL: "https://zwfw.example.gov.cn/tiyan"})
	if err != nil {
		t.Fatal(err)
	}
	c := sessionOf(t, signIn(t, srv, "admin", testPassword, "192.0.2.1"))
	if !c.Secure || c.Path != "/tiyan/" || !c.HttpOnly {
		t.Errorf("cookie behind https: %+v", c)
	}
}

// TestWebCrossOrigin: a form posted from another site is refused before it reaches a handler;
// the same post from this site goes through.
func TestWebCrossOrigin(t *testing.T) {
	fx := newFixture(t)
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	} {
		req := newPost(t, "/findings/1/dismiss", url.Values{"reason": {"误报"}})
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: fx.staff.cookie})
		for k, v := range h {
			req.Header.Set(k, v)
		}
		r := serve(t, fx.srv, req)
		if r.status != http.StatusForbidden || !strings.Contains(r.body, "拒绝来自其他网站的提交") {
			t.Errorf("%v: %d", h, r.status)
		}
	}
	f, _ := fx.loop.Show(t.Context(), fx.unreachable)
	if f.Status != "found" {
		t.Errorf("a cross-site post changed the finding: %s", f.Status)
	}
}

package browser_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tiyan/internal/browser"
)

// portal is a recording test server: it serves the pages a test gives it and counts every
// request that could change state (any method but GET, HEAD and OPTIONS) that reaches it.
type portal struct {
	*httptest.Server
	mu     sync.Mutex
	writes []string // "METHOD /path"
	pages  map[string]string
}

func newPortal(t *testing.T, pages map[string]string) *portal {
	t.Helper()
	p := &portal{pages: pages}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.Close)
	return p
}

func (p *portal) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
		p.mu.Lock()
		p.writes = append(p.writes, r.Method+" "+r.URL.Path)
		p.mu.Unlock()
	}
	body, ok := p.pages[r.URL.Path]
	if !ok {
		body = "<p>已收到</p>"
	}
	if strings.HasSuffix(r.URL.Path, ".js") {
		w.Header().Set("Content-Type", "text/javascript")
	} else if strings.HasSuffix(r.URL.Path, ".json") {
		w.Header().Set("Content-Type", "application/json")
	} else {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}
	fmt.Fprint(w, body)
}

func (p *portal) received() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.writes...)
}

// otherSite is the URL of s under another site (localhost rather than 127.0.0.1), so that
// Chromium puts its frames in another process.
func otherSite(s *httptest.Server) string {
	return strings.Replace(s.URL, "127.0.0.1", "localhost", 1)
}

// settle gives a page's requests time to be sent, refused, or to arrive; generous, the machine is slow.
func settle() { time.Sleep(2 * time.Second) }

// waitRefused waits until the session's refusals include every "METHOD path" of want.
func waitRefused(t *testing.T, tab context.Context, want ...string) []browser.Refusal {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		got := browser.Refusals(tab)
		var have []string
		for _, r := range got {
			u, _ := url.Parse(r.URL)
			have = append(have, r.Method+" "+u.Path)
		}
		missing := slices.DeleteFunc(slices.Clone(want), func(w string) bool { return slices.Contains(have, w) })
		if len(missing) == 0 {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("refusals %v lack %v", have, missing)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// readOnlySession opens a session as the sweep does: read-only, nothing allowed.
func readOnlySession(t *testing.T) context.Context {
	t.Helper()
	tab, cancel, err := chromium.Browser(t).NewSession(t.Context(), browser.PC)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	return tab
}

func click(t *testing.T, tab context.Context, js string) {
	t.Helper()
	if err := browser.Exec(tab, js); err != nil {
		t.Fatal(err)
	}
}

// TestReadOnlyRefusesWrites: in a read-only session, nothing a page can do sends a
// state-changing request to the server, and each refused request is recorded.
func TestReadOnlyRefusesWrites(t *testing.T) {
	other := newPortal(t, map[string]string{
		"/frame": `<form method="post" action="/frame-submit"><input name="a" value="1"><button>提交</button></form>
<script>document.forms[0].submit()</script>`,
	})
	cases := []struct {
		name  string
		pages map[string]string
		act   string   // JavaScript run after the page loaded; "" for none
		want  []string // the refusals, as METHOD path
	}{
		{"a one-page form's 提交申请 button",
			map[string]string{"/": `<form method="post" action="/apply"><label>姓名 <input name="name" value="张三"></label>
<button type="submit">提交申请</button></form>`},
			`Array.from(document.querySelectorAll('button')).find(b => b.textContent === '提交申请').click()`,
			[]string{"POST /apply"}},
		{"form.submit() on load",
			map[string]string{"/": `<form method="post" action="/auto"><input name="x" value="1"></form><script>document.forms[0].submit()</script>`},
			"", []string{"POST /auto"}},
		{"a 下一步 button that posts the form",
			map[string]string{"/": `<form method="post" action="/step2"><input name="x" value="1"><button>下一步</button></form>`},
			`document.querySelector('button').click()`, []string{"POST /step2"}},
		{"a click handler that fetches a POST",
			map[string]string{"/": `<button id="save">保存</button><script>
document.getElementById('save').onclick = () => fetch('/api/save', {method: 'POST', body: '{"a":1}'}).catch(() => {});
</script>`},
			`document.getElementById('save').click()`, []string{"POST /api/save"}},
		{"an XHR PUT and a DELETE",
			map[string]string{"/": `<script>
const x = new XMLHttpRequest(); x.open('PUT', '/api/item'); x.send('a');
fetch('/api/item', {method: 'DELETE'}).catch(() => {});
</script>`},
			"", []string{"PUT /api/item", "DELETE /api/item"}},
		{"a link that sends a beacon and a ping",
			map[string]string{"/": `<a id="go" href="#done" ping="/ping">办理</a><script>
document.getElementById('go').addEventListener('click', () => navigator.sendBeacon('/beacon', 'clicked'));
</script>`},
			`document.getElementById('go').click()`, []string{"POST /beacon", "POST /ping"}},
		{"a form in a same-site iframe",
			map[string]string{"/": `<iframe src="/inner"></iframe>`,
				"/inner": `<form method="post" action="/inner-submit"><input name="a" value="1"></form><script>document.forms[0].submit()</script>`},
			"", []string{"POST /inner-submit"}},
		{"a form in a cross-site iframe",
			map[string]string{"/": `<iframe src="` + otherSite(other.Server) + `/frame"></iframe>`},
			"", []string{"POST /frame-submit"}},
		{"a worker that posts",
			map[string]string{"/": `<script>new Worker('/w.js')</script>`,
				"/w.js": `fetch('/worker-post', {method: 'POST', body: 'x'}).catch(() => {})`},
			"", []string{"POST /worker-post"}},
		{"a popup",
			map[string]string{"/": `<script>window.open('/popup')</script>`,
				"/popup": `<p>弹窗</p>`},
			"", []string{"GET /popup"}},
		{"a service worker",
			map[string]string{"/": `<script>navigator.serviceWorker.register('/sw.js').catch(() => {})</script>`,
				"/sw.js": `self.addEventListener('install', e => e.waitUntil(fetch('/sw-post', {method: 'POST'})))`},
			"", []string{"GET /sw.js"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newPortal(t, c.pages)
			tab := readOnlySession(t)
			if err := browser.Navigate(tab, p.URL+"/"); err != nil {
				t.Fatal(err)
			}
			if c.act != "" {
				click(t, tab, c.act)
			}
			got := waitRefused(t, tab, c.want...)
			settle()
			if w := append(p.received(), other.received()...); len(w) > 0 {
				t.Errorf("state-changing requests reached the server: %v", w)
			}
			for _, r := range got {
				if !strings.HasPrefix(r.String(), "已拦截") || r.At.IsZero() || r.Frame == "" {
					t.Errorf("refusal %+v: want 已拦截…, a time and a frame", r)
				}
			}
		})
	}
}

// TestReadOnlyAllowsListedWrites: a write the session's predicate admits goes through (the
// item list API), and the others are still refused.
func TestReadOnlyAllowsListedWrites(t *testing.T) {
	p := newPortal(t, map[string]string{
		"/": `<p id="n">…</p><script>
fetch('/bog-bsdt/implement/queryImplements.do', {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: 'currentPageNo=1'})
  .then(r => r.json()).then(j => { document.getElementById('n').textContent = j.total; });
fetch('/bog-bsdt/apply/submit', {method: 'POST'}).catch(() => {});
</script>`,
		"/bog-bsdt/implement/queryImplements.do": `{"total": 53}`,
	})
	b := chromium.Browser(t)
	allow := func(method string, u *url.URL) bool {
		return method == "POST" && u.Path == "/bog-bsdt/implement/queryImplements.do"
	}
	tab, cancel, err := b.NewSession(t.Context(), browser.PC, browser.AllowWrites(allow))
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	if err := browser.Navigate(tab, p.URL+"/"); err != nil {
		t.Fatal(err)
	}
	waitRefused(t, tab, "POST /bog-bsdt/apply/submit")
	settle()
	if n, err := browser.EvalJSON[string](tab, `document.getElementById('n').textContent`); err != nil || n != "53" {
		t.Errorf("the allowed item list answered %q (%v), want 53", n, err)
	}
	if got := p.received(); !slices.Equal(got, []string{"POST /bog-bsdt/implement/queryImplements.do"}) {
		t.Errorf("writes that reached the server: %v, want only the item list", got)
	}
}

// TestSandboxSessionSubmits: a sandbox session's form submission reaches the server.
func TestSandboxSessionSubmits(t *testing.T) {
	p := newPortal(t, map[string]string{
		"/": `<form method="post" action="/apply"><input name="a" value="1"></form>`,
	})
	b := chromium.Browser(t)
	tab, cancel, err := b.NewSession(t.Context(), browser.PC, browser.Sandbox())
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	if err := browser.Navigate(tab, p.URL+"/"); err != nil {
		t.Fatal(err)
	}
	click(t, tab, `document.forms[0].submit()`)
	settle()
	if got := p.received(); !slices.Equal(got, []string{"POST /apply"}) {
		t.Errorf("writes that reached the server: %v, want POST /apply", got)
	}
	if r := browser.Refusals(tab); len(r) > 0 {
		t.Errorf("a sandbox session was refused %v", r)
	}
}

// TestReusedTabStaysReadOnly: a reused tab is read-only again for its next session, even after
// a sandbox one, and starts with no refusals.
func TestReusedTabStaysReadOnly(t *testing.T) {
	p := newPortal(t, map[string]string{
		"/": `<form method="post" action="/apply"><input name="a" value="1"></form><script>document.forms[0].submit()</script>`,
	})
	b := chromium.Browser(t)
	tab, done, err := b.ReuseSession(t.Context(), browser.PC, browser.Sandbox())
	if err != nil {
		t.Fatal(err)
	}
	if err := browser.Navigate(tab, p.URL+"/"); err != nil {
		t.Fatal(err)
	}
	settle()
	if got := p.received(); !slices.Equal(got, []string{"POST /apply"}) {
		t.Fatalf("the sandbox session sent %v, want POST /apply", got)
	}
	done(true)
	again, done2, err := b.ReuseSession(t.Context(), browser.PC)
	if err != nil {
		t.Fatal(err)
	}
	defer done2(false)
	if again != tab {
		t.Error("the tab was not reused")
	}
	if err := browser.Navigate(again, p.URL+"/"); err != nil {
		t.Fatal(err)
	}
	waitRefused(t, again, "POST /apply")
	settle()
	if got := p.received(); len(got) != 1 {
		t.Errorf("writes reached the server from the reused read-only tab: %v", got[1:])
	}
}

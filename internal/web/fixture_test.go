package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tiyan/internal/auth"
	"tiyan/internal/browser"
	"tiyan/internal/browser/browsertest"
	"tiyan/internal/finding"
	"tiyan/internal/loop"
	"tiyan/internal/store/sqlite"
)

var chromium browsertest.Shared

func TestMain(m *testing.M) {
	os.Exit(chromium.Run(m, browser.Config{})) // skips the browser tests without Chromium or with -short
}

// tinyPNG is a valid 1×1 grey PNG standing in for an annotated screenshot.
var tinyPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAADklEQVR4nGI6AQgAAP//AM4AyztYcJ8AAAAASUVORK5CYII=")

// Items and units of the fixture.
const (
	itemA = "11341500MB1234567X4000117001"
	itemB = "11341500MB1234567X4000117002"
	itemC = "11341500MB1234567X4000117003"
	scjgj = "六安市市场监督管理局"
	rsj   = "六安市人力资源和社会保障局"
)

// clock is the fixture's settable time; the loop and the server read it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// fixture is a real SQLite store holding one sweep's findings in every state of the loop, and
// a Server on it.
type fixture struct {
	store finding.Store
	loop  *loop.Loop
	clock *clock
	srv   *Server
	items *itemList // what the server's item search lists
	runID string
	// IDs by role in the fixture.
	unreachable, httpErr, guide, fixed, recurrence, manual int64
	shotID, domID                                          int64
	unitSCJGJ, unitRSJ                                     int64
	officer                                                finding.Officer
	// Clients signed in as each role: admin; staff of 六安市 and of 金安区 only; the units
	// 市场监管局 and 人社局; the officer 王芳, who filed the manual report.
	admin, staff, staffJinan, unitSCJGJClient, unitRSJClient, officerClient *client
	users                                                                   map[string]finding.User
}

// monday is the sweep's night, in a week without holidays.
var monday = time.Date(2026, 6, 1, 1, 0, 0, 0, finding.Zone)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "tiyan.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	fx := &fixture{store: s, clock: &clock{t: monday.Add(30 * time.Minute)}, items: &itemList{items: fixtureItems()}}
	if fx.loop, err = loop.New(loop.Config{Store: s, Now: fx.clock.now}); err != nil {
		t.Fatal(err)
	}
	fx.seed(t)
	fx.clock.set(monday.AddDate(0, 0, 9)) // Wednesday next week: the one-day deadline has passed
	if fx.srv, err = New(Config{Store: s, Loop: fx.loop, Items: fx.items.list}); err != nil {
		t.Fatal(err)
	}
	fx.addUsers(t)
	return fx
}

func (fx *fixture) seed(t *testing.T) {
	ctx := context.Background()
	run, err := fx.store.CreateRun(ctx, finding.Run{Kind: finding.RunSweep, Site: "皖事通办", Channels: []string{"pc", "h5"}, Started: monday, Total: 6})
	if err != nil {
		t.Fatal(err)
	}
	fx.runID = run.ID
	out := fx.ingest(t, fx.sightings()...)
	fx.unreachable, fx.httpErr, fx.guide, fx.fixed = out[0], out[1], out[2], out[3]
	start, end, review := finding.TermFrom(monday)
	if fx.officer, err = fx.store.CreateOfficer(ctx, finding.Officer{Name: "王芳", Category: finding.OfficerCitizen,
		TermStart: start, TermEnd: end, ReviewOn: review}); err != nil {
		t.Fatal(err)
	}
	fx.walkLoop(t)
	fx.recurrence = fx.ingest(t, fx.sightings()[3])[0]
	fx.manual = fx.report(t)
	run.Status, run.Finished, run.Done, run.Findings = finding.RunDone, monday.Add(20*time.Minute), 6, 5
	run.Errors = []string{itemC + " pc guide：context deadline exceeded"}
	if err := fx.store.UpdateRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	fx.evidenceIDs(t)
}

// sightings are what the sweep saw: an unreachable H5 page (with screenshot, DOM and
// measurements), an HTTP 500, a missing guide element and a layout overflow.
func (fx *fixture) sightings() []finding.Sighting {
	s := func(rule, title string, cat finding.Category, sev finding.Severity, ch finding.Channel, item, name, unit string) finding.Sighting {
		return finding.Sighting{Rule: rule, Title: title, Category: cat, Severity: sev, Channel: ch, ItemCode: item, ItemName: name,
			Unit: unit, Jurisdiction: "341500", URL: "https://www.ahzwfw.gov.cn/bog-bsdt/static/workProcess.html?ssqdCode=" + item,
			RunID: fx.runID, SeenAt: monday.Add(5 * time.Minute)}
	}
	down := s("CHANNEL-UNREACHABLE", "办事指南页面无法访问", finding.CatChannel, finding.Blocker, finding.H5, itemA, "个体工商户设立登记", scjgj)
	down.Detail = "15 秒内未打开，另从新标签页重试 2 次仍失败。"
	down.Measured = map[string]any{"load_ms": 15000, "attempts": 3, "status": "timeout"}
	down.Evidence = []finding.Evidence{
		{Kind: finding.EvidenceScreenshot, Name: "screenshot.png", ContentType: "image/png", Data: tinyPNG},
		{Kind: finding.EvidenceDOM, Name: "dom.html", ContentType: "text/plain; charset=utf-8", Data: []byte(`<div class="guide"><script>alert(1)</script>加载中</div>`)},
	}
	return []finding.Sighting{
		down,
		s("CHANNEL-HTTP-ERROR", "办事指南页面返回 HTTP 500", finding.CatChannel, finding.Blocker, finding.PC, itemB, "失业保险金申领", rsj),
		s("GUIDE-ELEMENT-MISSING", "办事指南缺少“收费标准”", finding.CatGuide, finding.Major, finding.PC, itemA, "个体工商户设立登记", scjgj),
		s("LAYOUT-OVERFLOW", "页面横向溢出", finding.CatLayout, finding.Minor, finding.H5, itemC, "道路运输经营许可", scjgj),
	}
}

func (fx *fixture) ingest(t *testing.T, ss ...finding.Sighting) []int64 {
	t.Helper()
	out, err := fx.loop.Ingest(context.Background(), ss)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(out))
	for i, o := range out {
		ids[i] = o.FindingID
	}
	return ids
}

// reprobeFixed is a Reprober whose replay no longer sees the problem.
type reprobeFixed struct{}

func (reprobeFixed) Reprobe(context.Context, finding.Finding) (bool, []finding.Evidence, error) {
	return false, nil, nil
}

// walkLoop feeds back the HTTP 500 with one working day (overdue by the time the pages are
// read), has the guide finding handled, and the layout one fixed and verified by a replay.
func (fx *fixture) walkLoop(t *testing.T) {
	ctx := context.Background()
	must := func(_ finding.Finding, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(fx.loop.Feedback(ctx, fx.httpErr, loop.Feedback{Days: 1, Note: "请尽快恢复", Actor: "李强"}))
	must(fx.loop.Feedback(ctx, fx.guide, loop.Feedback{Actor: "李强"}))
	must(fx.loop.Handle(ctx, fx.guide, "已补充收费标准", nil, "张三"))
	must(fx.loop.Feedback(ctx, fx.fixed, loop.Feedback{Actor: "李强"}))
	must(fx.loop.Handle(ctx, fx.fixed, "已修正页面样式", nil, "张三"))
	must(fx.loop.Verify(ctx, fx.fixed, reprobeFixed{}))
	u, err := fx.store.UnitByName(ctx, scjgj)
	if err != nil {
		t.Fatal(err)
	}
	fx.unitSCJGJ = u.ID
	if u, err = fx.store.UnitByName(ctx, rsj); err != nil {
		t.Fatal(err)
	}
	fx.unitRSJ = u.ID
}

// report files an officer's manual report about a window, with a photo, whose title tries to
// inject markup.
func (fx *fixture) report(t *testing.T) int64 {
	f, err := fx.loop.Report(context.Background(), loop.Report{
		Title: `窗口无人值守 <script>alert("x")</script>`, Detail: "上午 10 点至 11 点综合窗口无人。",
		Category: finding.CatService, Severity: finding.Minor, Channel: finding.Offline, UnitID: fx.unitSCJGJ,
		Photos:    []finding.Evidence{{Name: "窗口照片.jpg", ContentType: "image/jpeg", Data: []byte("\xff\xd8\xff photo")}},
		OfficerID: fx.officer.ID, Jurisdiction: "341500",
	})
	if err != nil {
		t.Fatal(err)
	}
	return f.ID
}

func (fx *fixture) evidenceIDs(t *testing.T) {
	f, err := fx.store.Finding(context.Background(), fx.unreachable)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range f.Evidence {
		switch e.Kind {
		case finding.EvidenceScreenshot:
			fx.shotID = e.ID
		case finding.EvidenceDOM:
			fx.domID = e.ID
		}
	}
	if fx.shotID == 0 || fx.domID == 0 {
		t.Fatalf("fixture evidence not stored: %+v", f.Evidence)
	}
}

// testPassword is every fixture user's password; its hash is worked out once, bcrypt being slow
// on purpose.
const testPassword = "tiyan-test-password"

var testHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// addUsers creates a user of every role and a signed-in client for each.
func (fx *fixture) addUsers(t *testing.T) {
	t.Helper()
	fx.users = map[string]finding.User{}
	for _, u := range []finding.User{
		{Name: "admin", Role: finding.RoleAdmin},
		{Name: "liqiang", DisplayName: "李强", Role: finding.RoleStaff, Jurisdiction: "341500"},
		{Name: "jinan", DisplayName: "金安区工作人员", Role: finding.RoleStaff, Jurisdiction: "341502"},
		{Name: "scjgj", DisplayName: "市场监管局窗口", Role: finding.RoleUnit, UnitID: fx.unitSCJGJ},
		{Name: "rsj", DisplayName: "人社局窗口", Role: finding.RoleUnit, UnitID: fx.unitRSJ},
		{Name: "wangfang", DisplayName: "王芳", Role: finding.RoleOfficer, OfficerID: fx.officer.ID},
	} {
		u.PasswordHash = testHash()
		got, err := fx.userStore().CreateUser(t.Context(), u)
		if err != nil {
			t.Fatal(err)
		}
		fx.users[u.Name] = got
	}
	fx.admin, fx.staff, fx.staffJinan = fx.client(t, "admin"), fx.client(t, "liqiang"), fx.client(t, "jinan")
	fx.unitSCJGJClient, fx.unitRSJClient, fx.officerClient = fx.client(t, "scjgj"), fx.client(t, "rsj"), fx.client(t, "wangfang")
}

func (fx *fixture) userStore() finding.UserStore { return fx.store }

// client returns a client of fx.srv with a session of the named user, started in the store as
// signing in would (the sign-in form itself has its own tests).
func (fx *fixture) client(t *testing.T, name string) *client {
	t.Helper()
	return fx.clientOf(t, fx.srv, name)
}

func (fx *fixture) clientOf(t *testing.T, h http.Handler, name string) *client {
	t.Helper()
	secret, hash := auth.NewToken()
	if err := fx.userStore().CreateToken(t.Context(), finding.Token{Hash: hash, UserID: fx.users[name].ID, Kind: finding.TokenSession,
		Created: fx.clock.now(), Expires: fx.clock.now().Add(defaultSessionTTL)}); err != nil {
		t.Fatal(err)
	}
	return &client{h: h, cookie: secret}
}

// apiClient returns a client that sends the named user's new API token.
func (fx *fixture) apiClient(t *testing.T, name string) *client {
	t.Helper()
	secret, hash := auth.NewToken()
	if err := fx.userStore().CreateToken(t.Context(), finding.Token{Hash: hash, UserID: fx.users[name].ID, Kind: finding.TokenAPI,
		Created: fx.clock.now()}); err != nil {
		t.Fatal(err)
	}
	return &client{h: fx.srv, bearer: secret}
}

// client sends requests to a handler in-process, with a session cookie or a bearer token.
type client struct {
	h      http.Handler
	cookie string // the session secret
	bearer string // an API token
}

// anon is a client without a session.
func anon(h http.Handler) *client { return &client{h: h} }

func (c *client) get(t *testing.T, path string) response {
	t.Helper()
	return c.do(t, http.MethodGet, path, "", nil)
}

// post sends a url-encoded form, as a same-origin browser would.
func (c *client) post(t *testing.T, path string, form url.Values) response {
	t.Helper()
	return c.do(t, http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

// file is one file of a multipart post.
type file struct {
	field, name string
	data        []byte
}

// postFiles sends a multipart form with files.
func (c *client) postFiles(t *testing.T, path string, form url.Values, files ...file) response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile(f.field, f.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.data)
	}
	mw.Close()
	return c.do(t, http.MethodPost, path, mw.FormDataContentType(), &buf)
}

// postJSON sends v as JSON.
func (c *client) postJSON(t *testing.T, path string, v any) response {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return c.do(t, http.MethodPost, path, "application/json", bytes.NewReader(b))
}

func (c *client) do(t *testing.T, method, path, contentType string, body io.Reader) response {
	t.Helper()
	return c.doFrom(t, "192.0.2.10", method, path, contentType, body)
}

// doFrom sends a request from the address addr.
func (c *client) doFrom(t *testing.T, addr, method, path, contentType string, body io.Reader) response {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), method, path, body)
	req.RemoteAddr = addr + ":40000"
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookie})
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	if method != http.MethodGet && c.bearer == "" {
		req.Header.Set("Sec-Fetch-Site", "same-origin") // as a browser posting our own form
	}
	return serve(t, c.h, req)
}

// newPost is a url-encoded form post without any headers a browser would add.
func newPost(t *testing.T, path string, form url.Values) *http.Request {
	req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// serve answers req in-process.
func serve(t *testing.T, h http.Handler, req *http.Request) response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	b, err := io.ReadAll(rec.Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: rec.Code, header: rec.Result().Header, body: string(b)}
}

// response is one answer of the server.
type response struct {
	status int
	header http.Header
	body   string
}

func (r response) has(t *testing.T, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(r.body, w) {
			t.Errorf("response lacks %q", w)
		}
	}
}

// lacks fails t if the body contains any of strs.
func (r response) lacks(t *testing.T, strs ...string) {
	t.Helper()
	for _, s := range strs {
		if strings.Contains(r.body, s) {
			t.Errorf("response contains %q", s)
		}
	}
}

// json decodes the body into v.
func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("decode %d %q: %v", r.status, r.body, err)
	}
}

// redirect returns where a 303 goes, failing t on anything else.
func (r response) redirect(t *testing.T) string {
	t.Helper()
	if r.status != http.StatusSeeOther {
		t.Fatalf("status %d, want 303:\n%.600s", r.status, r.body)
	}
	return r.header.Get("Location")
}

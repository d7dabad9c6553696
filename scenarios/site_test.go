package scenarios

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

func loadGoodSite(t *testing.T, opts SiteOptions) *Site {
	t.Helper()
	s, err := LoadSite("testdata/sites/wanshitong.yaml", opts)
	if err != nil {
		t.Fatalf("LoadSite: %v", err)
	}
	return s
}

func TestLoadSiteGood(t *testing.T) {
	s := loadGoodSite(t, SiteOptions{})
	if s.Name != "wanshitong" || s.Catalogue.PageSize != 50 || s.Catalogue.Form["serviceObject"] != "P" {
		t.Errorf("site = %+v", s)
	}
	if got := s.Guide.PC.Elements["承诺时限"]; got.By != ByLabel || got.Value != "承诺时限" {
		t.Errorf("element 承诺时限 = %v", got)
	}
	if got := s.Guide.PC.Elements["受理条件"]; got.By != ByHeading {
		t.Errorf("a bare element string should be heading text, got %v", got)
	}
	if s.Guide.H5 == nil || s.Guide.H5.Entrance.String() != `text "在线办理"` || s.Guide.H5.Materials.Row != "li" {
		t.Errorf("h5 guide = %+v", s.Guide.H5)
	}
	if s.Guide.PC.Materials.Row != DefaultMaterialRow || s.Form.Input != DefaultUploadInput {
		t.Errorf("defaults not applied: row %q, input %q", s.Guide.PC.Materials.Row, s.Form.Input)
	}
	if s.Politeness.Pause != 500*time.Millisecond || s.Politeness.MaxInFlight != 2 {
		t.Errorf("politeness = %+v", s.Politeness)
	}
	if s.Signin == nil || s.Signin.Env.Password != "TIYAN_SSO_PASSWORD" || s.Signin.Submit.Name != "登录" {
		t.Errorf("signin = %+v", s.Signin)
	}
	if got := s.Channels(); len(got) != 2 {
		t.Errorf("channels = %v", got)
	}
	u, err := s.GuideURL(PC, "abc 1", "11341500MB&X")
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://www.ahzwfw.gov.cn/bog-bsdt/static/workProcess/components/applicationMaterial.html?ssqdId=abc+1&ssqdCode=11341500MB%26X"; u.String() != want {
		t.Errorf("GuideURL = %s\nwant %s", u, want)
	}
	if u, err := s.URL(PC, s.Signin.URL); err != nil || u.Host != "sso.ahzwfw.gov.cn" {
		t.Errorf("signin URL = %v, %v", u, err)
	}
}

func TestSiteDefaults(t *testing.T) {
	data, err := os.ReadFile("testdata/badsites/private.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSite("private.yaml", data, SiteOptions{AllowPrivate: true})
	if err != nil {
		t.Fatalf("ParseSite with AllowPrivate: %v", err)
	}
	if s.Catalogue.Method != DefaultMethod || s.Catalogue.PageSize != DefaultPageSize ||
		s.Politeness.MaxInFlight != DefaultMaxInFlight || s.Politeness.Pause != DefaultPause {
		t.Errorf("defaults not applied: %+v %+v", s.Catalogue, s.Politeness)
	}
	if s.Form.Input != "" {
		t.Errorf("a site without form slots got an input selector %q", s.Form.Input)
	}
	if got := s.Channels(); len(got) != 1 || got[0] != PC {
		t.Errorf("channels = %v, want [pc]", got)
	}
	if !s.AllowHost("192.168.1.10") {
		t.Error("AllowPrivate site refuses its own private host")
	}
}

func TestParseSiteErrors(t *testing.T) {
	tests := []struct {
		file string
		opts SiteOptions
		want []string
	}{
		{"many.yaml", SiteOptions{}, []string{
			`many.yaml:1:7: name: found "Bad Site", expected an id`,
			`many.yaml:2:11: base_url: found "file:///etc/passwd", expected an https URL (found scheme "file"; file:, http: and others are refused)`,
			`many.yaml:3:17: allowed_hosts: found "http://x.gov.cn", expected a host name`,
			`many.yaml:3:36: allowed_hosts: found "*.gov.cn:443", expected a host name`,
			`many.yaml:3:52: allowed_hosts: found "10.0.0.1", expected a public host: private addresses are refused`,
			`many.yaml:3:64: allowed_hosts: found "169.254.169.254", expected a public host: link-local addresses are refused`,
			`many.yaml:3:83: allowed_hosts: found "127.1", expected a host name`,
			`many.yaml:5:8: api: found "queryImplements.do", expected a path on the site starting with a single /`,
			`many.yaml:6:11: method: found "PUT", expected GET or POST`,
			`many.yaml:7:11: params: missing key "size"`,
			`many.yaml:8:9: zone: found "3415", expected an administrative division code of 6 or 12 digits`,
			`many.yaml:9:14: page_size: found the number 0, expected a page size from 1 to 500`,
			`many.yaml:10:9: rows: found "data..rows", expected a JSON path`,
			`many.yaml:11:8: row: missing key "unit"`,
			`many.yaml:12:3: unknown key "extra" in catalogue, expected one of api, method, params, form, zone, page_size, rows, total, row`,
			`many.yaml:14:9: path: found "/guide.html?ssqdId={ssqdId}", expected a path starting with / that uses {id} and/or {code}`,
			`many.yaml:16:15: elements: found an empty mapping, expected at least one entry`,
			`many.yaml:17:40: table: found 2 ways to find one element (heading and css)`,
			`many.yaml:18:28: entrance: found 2 ways to find one target (text and label)`,
			`many.yaml:19:29: max_in_flight: found the number 100, expected a number of pages from 1 to 16`,
			`many.yaml:19:41: pause: found "fast", expected a duration`,
			`many.yaml:20:19: method: found "GET", expected POST, PUT, PATCH or DELETE`,
			`many.yaml:20:56: path: found "/apply?step=2", expected one exact path on the site`,
			`many.yaml:20:95: path: found "/", expected one exact path on the site`,
		}},
		{"private.yaml", SiteOptions{}, []string{
			`private.yaml:2:11: base_url: found a private address, expected a public host`,
			`private.yaml:3:17: allowed_hosts: found "192.168.1.10", expected a public host: private addresses are refused`,
		}},
		{"private.yaml", SiteOptions{BaseURL: "http://10.1.2.3:8080", AllowPrivate: false}, []string{
			`private.yaml:2:11: base_url: found a private address`,
			`private.yaml:3:17: allowed_hosts: found "192.168.1.10"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := "testdata/badsites/" + tt.file
			_, err := LoadSite(path, tt.opts)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error = %v, want *Error", err)
			}
			if len(e.Problems) != len(tt.want) {
				t.Errorf("got %d problems, want %d:\n%s", len(e.Problems), len(tt.want), err)
			}
			lines := strings.Split(err.Error(), "\n")
			for i, w := range tt.want {
				if i >= len(lines) || !strings.HasPrefix(lines[i], "testdata/badsites/"+w) {
					t.Errorf("problem %d: want it to start with\n\t%s\ngot:\n%s", i+1, w, err)
				}
			}
		})
	}
}

func TestParseSiteCrossChecks(t *testing.T) {
	good, err := os.ReadFile("testdata/sites/wanshitong.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, from, to, want string
	}{
		{"base host not allowed", "base_url: https://www.ahzwfw.gov.cn", "base_url: https://www.example.com", "base_url: found host www.example.com, expected a host in allowed_hosts"},
		{"http base", "base_url: https://www.ahzwfw.gov.cn", "base_url: http://www.ahzwfw.gov.cn", `expected an https URL (found scheme "http"`},
		{"signin elsewhere", "url: https://sso.ahzwfw.gov.cn/", "url: https://sso.example.com/", "signin.url: found \"https://sso.example.com/uccp-server/login?appCode=bsdt\", expected a path on the site or an https URL on a host in allowed_hosts"},
		{"signin over http", "url: https://sso.ahzwfw.gov.cn/", "url: http://sso.ahzwfw.gov.cn/", "signin.url: found \"http://sso"},
		{"sms without env", ", sms: TIYAN_SSO_SMS}", "}", `signin.env: missing key "sms"`},
		{"h5 without guide", "  h5:\n    elements:\n      受理条件: {css: \".sltj\"}\n    materials:\n      table: {css: \".materials\"}\n      row: li\n      columns: {name: 材料名称}\n    entrance: 在线办理\n", "", `guide: missing key "h5", expected where the guide's parts are on h5 pages`},
		{"guide typo", "  h5:\n    elements:", "  h4:\n    elements:", `unknown key "h4" in guide, expected one of path, pc, h5; did you mean h5?`},
		{"zone without param", ", zone: ssqdZoneCode}", "}", `catalogue.params: missing key "zone"`},
		{"bad env name", "password: TIYAN_SSO_PASSWORD", "password: TIYAN-SSO", `password: found "TIYAN-SSO", expected an environment variable name`},
		{"safe_next without slots", "form:\n  slots: .upload-item\n  name: .material-name\n", "form:\n", `form: found an incomplete form, expected at least slots and name`},
		{"write typo", "  - {method: POST, path: /uccp-server/login}", "  - {method: POST, paht: /uccp-server/login}", `unknown key "paht"`},
		{"wildcard ip", `"*.ahzwfw.gov.cn"`, `"*.ahzwfw.gov.cn", "*.1.2.3.4"`, `found "*.1.2.3.4", expected a wildcard before a host name, not before an IP address`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := strings.Replace(string(good), tt.from, tt.to, 1)
			if data == string(good) {
				t.Fatalf("%q not in the good profile", tt.from)
			}
			_, err := ParseSite("w.yaml", []byte(data), SiteOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
	data := strings.Replace(string(good), "h5:\n  user_agent", "h6:\n  user_agent", 1)
	if _, err := ParseSite("w.yaml", []byte(data), SiteOptions{}); err == nil || !strings.Contains(err.Error(), `unknown key "h6" in site`) {
		t.Errorf("error = %v", err)
	}
}

// TestAllowsWrite: only the listed method and exact path, on an allowed host, on either channel.
func TestAllowsWrite(t *testing.T) {
	s := loadGoodSite(t, SiteOptions{})
	if len(s.Form.SafeNext) != 2 || s.Form.SafeNext[0].String() != `text "下一步"` {
		t.Errorf("safe_next = %v", s.Form.SafeNext)
	}
	for raw, want := range map[string]bool{
		"https://www.ahzwfw.gov.cn/bog-bsdt/implement/queryImplements.do":        true,
		"https://www.ahzwfw.gov.cn/bog-bsdt/implement/queryImplements.do?page=2": true,
		"https://sso.ahzwfw.gov.cn/uccp-server/login":                            true,
		"https://www.ahzwfw.gov.cn/bog-bsdt/implement/queryImplements.do/extra":  false,
		"https://www.ahzwfw.gov.cn/bog-bsdt/apply/submit":                        false,
		"https://evil.example.com/bog-bsdt/implement/queryImplements.do":         false,
		"file:///bog-bsdt/implement/queryImplements.do":                          false,
		"https://www.ahzwfw.gov.cn/bog-bsdt/static/workProcess/onlineApply.html": false,
	} {
		u, _ := url.Parse(raw)
		if got := s.AllowsWrite("POST", u); got != want {
			t.Errorf("AllowsWrite(POST %s) = %v, want %v", raw, got, want)
		}
	}
	u, _ := url.Parse("https://www.ahzwfw.gov.cn/bog-bsdt/implement/queryImplements.do")
	if s.AllowsWrite("DELETE", u) {
		t.Error("a listed path allows another method")
	}
	h5, err := ParseSite("h5.yaml", mustRead(t, "sites/wanshitong.yaml"), SiteOptions{BaseURL: "http://127.0.0.1:8080"})
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := url.Parse("http://127.0.0.1:8080/h5/uccp-server/login"); !h5.AllowsWrite("POST", u) {
		t.Error("the sign-in under the H5 path prefix is refused")
	}
	// A profile that lists no writes allows none: nothing turns submission back on.
	bare, err := ParseSite("bare.yaml", []byte(strings.Split(string(mustRead(t, "testdata/sites/wanshitong.yaml")), "writes:")[0]), SiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := url.Parse("https://www.ahzwfw.gov.cn/bog-bsdt/implement/queryImplements.do"); bare.AllowsWrite("POST", u) {
		t.Error("a profile without writes allows a write")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestAllowHost(t *testing.T) {
	s := loadGoodSite(t, SiteOptions{})
	tests := []struct {
		host string
		want bool
	}{
		{"www.ahzwfw.gov.cn", true},
		{"WWW.AHZWFW.GOV.CN.", true},
		{"www.ahzwfw.gov.cn:443", true},
		{"sso.ahzwfw.gov.cn", true},
		{"a.b.ahzwfw.gov.cn", true},
		{"ahzwfw.gov.cn", false},
		{"evilahzwfw.gov.cn", false},
		{"www.ahzwfw.gov.cn.evil.com", false},
		{"example.com", false},
		{"127.0.0.1", false},
		{"localhost", false},
		{"[::1]:8080", false},
		{"10.0.0.1", false},
		{"169.254.169.254", false},
		{"::ffff:127.0.0.1", false},
		{"2130706433", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := s.AllowHost(tt.host); got != tt.want {
			t.Errorf("AllowHost(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
	if _, err := s.URL(PC, "https://example.com/x"); err == nil {
		t.Error("URL accepted a host outside allowed_hosts")
	}
	if _, err := s.URL(PC, "file:///etc/passwd"); err == nil {
		t.Error("URL accepted file:")
	}
	if _, err := s.URL(PC, "//example.com/x"); err == nil {
		t.Error("URL accepted a protocol-relative URL")
	}
}

// TestSiteTestBaseURL loads the production profile against a local server, as the simulator's
// tests do: only that server's host is let in besides the profile's own.
func TestSiteTestBaseURL(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	s := loadGoodSite(t, SiteOptions{BaseURL: srv.URL})
	if s.BaseURL != srv.URL {
		t.Errorf("BaseURL = %s, want %s", s.BaseURL, srv.URL)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	if !s.AllowHost(host) || !s.AllowHost("127.0.0.1") {
		t.Errorf("AllowHost(%s) = false for the test server", host)
	}
	if s.AllowHost("10.0.0.1") || s.AllowHost("localhost") {
		t.Error("the test base URL let in other non-public hosts")
	}
	u, err := s.GuideURL(H5, "1", "2")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u.String(), srv.URL+"/bog-bsdt/") {
		t.Errorf("GuideURL = %s, want it on %s", u, srv.URL)
	}
	resp, err := http.Get(u.String())
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	resp.Body.Close()

	for _, base := range []string{"http://10.0.0.5", "http://169.254.169.254", "file:///tmp/x"} {
		if _, err := LoadSite("testdata/sites/wanshitong.yaml", SiteOptions{BaseURL: base}); err == nil {
			t.Errorf("BaseURL %s accepted without AllowPrivate", base)
		}
	}
}

func TestSiteH5Prefix(t *testing.T) {
	good, err := os.ReadFile("testdata/sites/wanshitong.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data := strings.Replace(string(good), "base_url: https://www.ahzwfw.gov.cn", "base_url: https://www.ahzwfw.gov.cn/portal/", 1)
	data = strings.Replace(data, "h5:\n  user_agent:", "h5:\n  path_prefix: /h5\n  user_agent:", 1)
	s, err := ParseSite("w.yaml", []byte(data), SiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for ch, want := range map[Channel]string{PC: "https://www.ahzwfw.gov.cn/portal/a?b=1", H5: "https://www.ahzwfw.gov.cn/portal/h5/a?b=1"} {
		if u, err := s.URL(ch, "/a?b=1"); err != nil || u.String() != want {
			t.Errorf("URL(%s) = %v, %v; want %s", ch, u, err, want)
		}
	}
}

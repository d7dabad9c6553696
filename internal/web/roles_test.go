package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"tiyan/internal/finding"
	"tiyan/internal/loop"
)

// The fixture's findings and who may see them:
//
//	unreachable  found     市场监管局  341500  probe    admin, staff 六安市
//	httpErr      fed_back  人社局      341500  probe    admin, staff 六安市, unit 人社局 (overdue)
//	guide        handled   市场监管局  341500  probe    admin, staff 六安市, unit 市场监管局
//	fixed        verified  市场监管局  341500  probe    admin, staff 六安市, unit 市场监管局
//	recurrence   found     市场监管局  341500  probe    admin, staff 六安市
//	manual       found     市场监管局  341500  officer  admin, staff 六安市, officer 王芳
//
// Staff of 金安区 (341502) see none of them.

// as returns the fixture's client for a role name used in the tables.
func (fx *fixture) as(who string) *client {
	return map[string]*client{
		"admin": fx.admin, "staff": fx.staff, "staffJinan": fx.staffJinan,
		"unitSCJGJ": fx.unitSCJGJClient, "unitRSJ": fx.unitRSJClient, "officer": fx.officerClient,
	}[who]
}

var roles = []string{"admin", "staff", "staffJinan", "unitSCJGJ", "unitRSJ", "officer"}

// TestWebRolesSee: every role sees, in the list, on the finding's page, in its evidence and in
// the API, exactly its own findings.
func TestWebRolesSee(t *testing.T) {
	fx := newFixture(t)
	all := []int64{fx.unreachable, fx.httpErr, fx.guide, fx.fixed, fx.recurrence, fx.manual}
	sees := map[string][]int64{
		"admin":      all,
		"staff":      all,
		"staffJinan": nil,
		"unitSCJGJ":  {fx.guide, fx.fixed},
		"unitRSJ":    {fx.httpErr},
		"officer":    {fx.manual},
	}
	for _, who := range roles {
		t.Run(who, func(t *testing.T) {
			c := fx.as(who)
			list := c.get(t, "/findings")
			if list.status != http.StatusOK {
				t.Fatalf("list: %d", list.status)
			}
			got := listed(t, list.body)
			slices.Sort(got)
			if !slices.Equal(got, sees[who]) {
				t.Errorf("list shows %v, want %v", got, sees[who])
			}
			var page findingsPage
			c.get(t, "/api/findings?per_page=200").json(t, &page)
			if page.Total != len(sees[who]) || len(page.Findings) != len(sees[who]) {
				t.Errorf("API lists %d of %d, want %d", len(page.Findings), page.Total, len(sees[who]))
			}
			for _, id := range all {
				want := http.StatusNotFound
				if slices.Contains(sees[who], id) {
					want = http.StatusOK
				}
				if r := c.get(t, fmt.Sprintf("/findings/%d", id)); r.status != want {
					t.Errorf("page of #%d: %d, want %d", id, r.status, want)
				}
				if r := c.get(t, fmt.Sprintf("/api/findings/%d", id)); r.status != want {
					t.Errorf("API #%d: %d, want %d", id, r.status, want)
				}
			}
			shot := http.StatusNotFound
			if slices.Contains(sees[who], fx.unreachable) {
				shot = http.StatusOK
			}
			if r := c.get(t, fmt.Sprintf("/evidence/%d", fx.shotID)); r.status != shot {
				t.Errorf("screenshot of #%d: %d, want %d", fx.unreachable, r.status, shot)
			}
			if r := c.get(t, fmt.Sprintf("/api/evidence/%d", fx.shotID)); r.status != shot {
				t.Errorf("API screenshot of #%d: %d, want %d", fx.unreachable, r.status, shot)
			}
		})
	}
}

// TestWebUnitRefusedOtherUnit is the rule the design insists on, on its own: a unit can
// neither see nor act on another unit's finding, page and API alike.
func TestWebUnitRefusedOtherUnit(t *testing.T) {
	fx := newFixture(t)
	other := fmt.Sprintf("/findings/%d", fx.httpErr) // 人社局's, fed back
	c := fx.unitSCJGJClient
	for _, r := range []response{
		c.get(t, other),
		c.get(t, other+"/handle"),
		c.post(t, other+"/handle", url.Values{"note": {"已整改"}}),
		c.get(t, "/api"+other),
		c.postJSON(t, "/api"+other+"/handle", map[string]any{"note": "已整改"}),
	} {
		if r.status != http.StatusNotFound || strings.Contains(r.body, "失业保险金申领") {
			t.Errorf("unit got %d on another unit's finding:\n%.300s", r.status, r.body)
		}
	}
	r := c.get(t, fmt.Sprintf("/findings?unit=%d", fx.unitRSJ))
	if ids := listed(t, r.body); len(ids) != 0 {
		t.Errorf("filtering by another unit shows %v", ids)
	}
	f, err := fx.loop.Show(t.Context(), fx.httpErr)
	if err != nil || f.Status != finding.FedBack || len(f.Events) != 2 {
		t.Errorf("another unit's finding changed: %v %s %d events", err, f.Status, len(f.Events))
	}
}

// actionCase is one role trying one action on one finding.
type actionCase struct {
	who    string
	action string
	id     func(*fixture) int64
	form   url.Values
	want   int            // 303 when allowed
	to     finding.Status // the status after an allowed action
}

func unreachable(fx *fixture) int64 { return fx.unreachable }
func httpErr(fx *fixture) int64     { return fx.httpErr }
func guide(fx *fixture) int64       { return fx.guide }

// TestWebRolesAct tries every action as every role, on a finding in the state the action
// needs, through the page and through the API, and checks what happened to the finding.
func TestWebRolesAct(t *testing.T) {
	feedback := url.Values{"unit": {""}, "days": {"3"}}
	dismiss := url.Values{"reason": {"误报"}, "note": {"页面可正常打开"}}
	handle := url.Values{"note": {"已恢复服务器"}}
	pass := url.Values{"result": {"pass"}, "note": {"已核实"}}
	var cases []actionCase
	add := func(action string, id func(*fixture) int64, form url.Values, to finding.Status, allowed map[string]int) {
		for _, who := range roles {
			want, ok := allowed[who]
			if !ok {
				want = http.StatusNotFound
			}
			cases = append(cases, actionCase{who, action, id, form, want, to})
		}
	}
	add("feedback", unreachable, feedback, finding.FedBack, map[string]int{"admin": 303, "staff": 303})
	add("dismiss", unreachable, dismiss, finding.Dismissed, map[string]int{"admin": 303, "staff": 303})
	add("handle", httpErr, handle, finding.Handled, map[string]int{"admin": 303, "staff": 403, "unitRSJ": 303})
	add("evaluate", guide, pass, finding.Verified, map[string]int{"admin": 303, "staff": 303, "unitSCJGJ": 403})
	add("verify", guide, nil, finding.Verified, map[string]int{"admin": 303, "staff": 303, "unitSCJGJ": 403})
	for _, c := range cases {
		for _, via := range []string{"page", "api"} {
			t.Run(c.action+"/"+c.who+"/"+via, func(t *testing.T) {
				t.Parallel()
				fx := newFixture(t)
				fx.withReprober(t, false)
				id := c.id(fx)
				form := c.form
				if c.action == "feedback" {
					form = url.Values{"unit": {fmt.Sprint(fx.unitSCJGJ)}, "days": {"3"}}
				}
				before, _ := fx.loop.Show(t.Context(), id)
				var r response
				want := c.want
				if via == "page" {
					r = fx.as(c.who).post(t, fmt.Sprintf("/findings/%d/%s", id, c.action), form)
				} else {
					r = fx.apiClient(t, fx.users[nameOf(c.who)].Name).postJSON(t, fmt.Sprintf("/api/findings/%d/%s", id, c.action), apiBody(c.action, form))
					if want == http.StatusSeeOther {
						want = http.StatusOK
					}
				}
				if r.status != want {
					t.Fatalf("%s %s #%d: %d, want %d\n%.500s", c.who, c.action, id, r.status, want, r.body)
				}
				after, err := fx.loop.Show(t.Context(), id)
				if err != nil {
					t.Fatal(err)
				}
				if want == http.StatusSeeOther || want == http.StatusOK {
					last := after.Events[len(after.Events)-1]
					if after.Status != c.to || (c.action != "verify" && last.Actor != fx.users[nameOf(c.who)].Actor()) {
						t.Errorf("after %s: status %s, last event by %q", c.action, after.Status, last.Actor)
					}
					return
				}
				if after.Status != before.Status || len(after.Events) != len(before.Events) {
					t.Errorf("a refused %s changed the finding: %s → %s", c.action, before.Status, after.Status)
				}
			})
		}
	}
}

// nameOf maps the tables' role names to the fixture's user names.
func nameOf(who string) string {
	return map[string]string{"admin": "admin", "staff": "liqiang", "staffJinan": "jinan", "unitSCJGJ": "scjgj",
		"unitRSJ": "rsj", "officer": "wangfang"}[who]
}

// apiBody is the JSON body of the API for the pages' form.
func apiBody(action string, form url.Values) map[string]any {
	b := map[string]any{"note": form.Get("note")}
	switch action {
	case "feedback":
		var unit int64
		fmt.Sscan(form.Get("unit"), &unit)
		b["unit_id"], b["days"] = unit, 3
	case "dismiss":
		b["reason"] = form.Get("reason")
	case "evaluate":
		b["pass"] = form.Get("result") == "pass"
	}
	return b
}

// reprober is a Reprober that says what it is told.
type reprober struct{ still bool }

func (r reprober) Reprobe(context.Context, finding.Finding) (bool, []finding.Evidence, error) {
	return r.still, []finding.Evidence{{Kind: finding.EvidenceScreenshot, Name: "replay.png", ContentType: "image/png", Data: tinyPNG}}, nil
}

// withReprober rebuilds the fixture's server with a Reprober whose replays find the problem
// still there or not, keeping the clients' sessions.
func (fx *fixture) withReprober(t *testing.T, still bool) {
	t.Helper()
	released := 0
	srv, err := New(Config{Store: fx.store, Loop: fx.loop, Reprober: func(context.Context) (loop.Reprober, func(), error) {
		return reprober{still}, func() { released++ }, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	fx.srv = srv
	for _, c := range []*client{fx.admin, fx.staff, fx.staffJinan, fx.unitSCJGJClient, fx.unitRSJClient, fx.officerClient} {
		c.h = srv
	}
}

// TestWebOfficerEvaluatesOwn: an officer evaluates their own manual report once the unit has
// handled it, and nothing else.
func TestWebOfficerEvaluatesOwn(t *testing.T) {
	fx := newFixture(t)
	ctx := t.Context()
	if _, err := fx.loop.Feedback(ctx, fx.manual, loop.Feedback{Actor: "李强"}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.loop.Handle(ctx, fx.manual, "已安排专人值守", nil, "市场监管局窗口"); err != nil {
		t.Fatal(err)
	}
	page := fx.officerClient.get(t, fmt.Sprintf("/findings/%d", fx.manual))
	page.has(t, fmt.Sprintf(`href="/findings/%d/evaluate">评价结果</a>`, fx.manual))
	page.lacks(t, "/handle\"", "/verify\"", "/feedback\"")
	r := fx.officerClient.post(t, fmt.Sprintf("/findings/%d/evaluate", fx.manual), url.Values{"result": {"fail"}, "note": {"仍无人值守"}})
	r.redirect(t)
	f, _ := fx.loop.Show(ctx, fx.manual)
	if f.Status != finding.FedBack || f.Events[len(f.Events)-1].Actor != "王芳" {
		t.Errorf("after the officer's evaluation: %s by %s", f.Status, f.Events[len(f.Events)-1].Actor)
	}
	// The guide finding is automated and not the officer's: not even visible.
	if r := fx.officerClient.post(t, fmt.Sprintf("/findings/%d/evaluate", fx.guide), url.Values{"result": {"pass"}}); r.status != http.StatusNotFound {
		t.Errorf("officer evaluated an automated finding: %d", r.status)
	}
}

// TestWebRolesPages: which pages each role may open.
func TestWebRolesPages(t *testing.T) {
	fx := newFixture(t)
	for path, allowed := range map[string][]string{
		"/overview":         roles,
		"/report":           {"admin", "staff", "staffJinan", "officer"},
		"/runs":             {"admin", "staff", "staffJinan"},
		"/runs/" + fx.runID: {"admin", "staff"}, // its findings are all in 六安市, none in 金安区
		"/api/overview":     roles,
		"/api/units":        roles,
		"/api/me":           roles,
	} {
		for _, who := range roles {
			want := http.StatusForbidden
			if slices.Contains(allowed, who) {
				want = http.StatusOK
			}
			if r := fx.as(who).get(t, path); r.status != want {
				t.Errorf("%s as %s: %d, want %d", path, who, r.status, want)
			}
		}
	}
	for _, path := range []string{"/findings", "/overview", "/report", "/runs", fmt.Sprintf("/findings/%d", fx.manual)} {
		if loc := anon(fx.srv).get(t, path).redirect(t); !strings.HasPrefix(loc, "/signin?next=") {
			t.Errorf("%s without a session goes to %q", path, loc)
		}
	}
	for _, path := range []string{"/api/findings", "/api/me", fmt.Sprintf("/api/findings/%d", fx.manual)} {
		r := anon(fx.srv).get(t, path)
		if r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") == "" || !strings.Contains(r.body, `"code":"unauthorized"`) {
			t.Errorf("%s without a token: %d %s", path, r.status, r.body)
		}
	}
}

// TestWebRolesNav: the navigation offers only what the role may open.
func TestWebRolesNav(t *testing.T) {
	fx := newFixture(t)
	for who, want := range map[string][]string{
		"admin":     {"问题清单", "总览", "报告问题", "体验记录"},
		"staff":     {"问题清单", "总览", "报告问题", "体验记录"},
		"unitSCJGJ": {"问题清单", "总览"},
		"officer":   {"问题清单", "总览", "报告问题"},
	} {
		body := fx.as(who).get(t, "/overview").body
		nav := body[strings.Index(body, `<ul class="nav">`):strings.Index(body, "</nav>")]
		for _, label := range []string{"问题清单", "总览", "报告问题", "体验记录"} {
			if strings.Contains(nav, ">"+label+"<") != slices.Contains(want, label) {
				t.Errorf("%s: nav %s %q", who, map[bool]string{true: "lacks", false: "has"}[slices.Contains(want, label)], label)
			}
		}
	}
}

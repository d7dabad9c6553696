package web

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"tiyan/internal/finding"
)

func TestWebAPIFindings(t *testing.T) {
	fx := newFixture(t)
	c := fx.apiClient(t, "admin")
	var page findingsPage
	r := c.get(t, "/api/findings?status=found&per_page=2")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json; charset=utf-8" || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("GET /api/findings: %d %v", r.status, r.header)
	}
	r.json(t, &page)
	if page.Total != 3 || page.PerPage != 2 || len(page.Findings) != 2 || page.Counts[finding.Found] != 3 || page.Counts[finding.FedBack] != 1 {
		t.Errorf("page = %+v", page)
	}
	var overdue findingsPage
	c.get(t, "/api/findings?overdue=1").json(t, &overdue)
	if overdue.Total != 1 || overdue.Findings[0].ID != fx.httpErr || !overdue.Findings[0].Overdue {
		t.Errorf("overdue = %+v", overdue)
	}
	var one finding.Finding
	c.get(t, fmt.Sprintf("/api/findings/%d", fx.unreachable)).json(t, &one)
	if one.ID != fx.unreachable || len(one.Events) != 1 || len(one.Evidence) != 2 {
		t.Errorf("finding = %+v", one)
	}
	var me finding.User
	c.get(t, "/api/me").json(t, &me)
	if me.Name != "admin" || me.Role != finding.RoleAdmin || strings.Contains(c.get(t, "/api/me").body, "password") {
		t.Errorf("me = %+v", me)
	}
}

func TestWebAPIErrors(t *testing.T) {
	fx := newFixture(t)
	c := fx.apiClient(t, "liqiang")
	for _, e := range []struct {
		r      response
		status int
		code   string
	}{
		{c.get(t, "/api/findings?severity=urgent"), 400, "invalid"},
		{c.get(t, "/api/findings/999"), 404, "not_found"},
		{c.get(t, "/api/nothing"), 404, "not_found"},
		{c.postJSON(t, fmt.Sprintf("/api/findings/%d/dismiss", fx.unreachable), map[string]any{"reasons": "x"}), 400, "invalid"},
		{c.postJSON(t, fmt.Sprintf("/api/findings/%d/evaluate", fx.guide), map[string]any{}), 400, "invalid"},
		{c.postJSON(t, fmt.Sprintf("/api/findings/%d/handle", fx.httpErr), map[string]any{"note": "x"}), 403, "forbidden"},
		{c.postJSON(t, fmt.Sprintf("/api/findings/%d/feedback", fx.httpErr), map[string]any{"unit_id": fx.unitRSJ}), 409, "conflict"},
		{(&client{h: fx.srv, bearer: "not-a-token"}).get(t, "/api/me"), 401, "unauthorized"},
		// A session secret is no API token.
		{(&client{h: fx.srv, bearer: fx.staff.cookie}).get(t, "/api/me"), 401, "unauthorized"},
	} {
		var body apiError
		e.r.json(t, &body)
		if e.r.status != e.status || body.Error.Code != e.code || body.Error.Message == "" {
			t.Errorf("%d %+v, want %d %s", e.r.status, body, e.status, e.code)
		}
	}
	// The browser's session works for the API too (same origin pages may call it).
	if r := fx.staff.get(t, "/api/me"); r.status != http.StatusOK {
		t.Errorf("session on the API: %d", r.status)
	}
}

// TestWebAPILoop walks the loop through the API alone: feed back, handle with evidence,
// evaluate.
func TestWebAPILoop(t *testing.T) {
	fx := newFixture(t)
	staff, unit := fx.apiClient(t, "liqiang"), fx.apiClient(t, "rsj")
	id := fx.unreachable
	var f finding.Finding
	r := staff.postJSON(t, fmt.Sprintf("/api/findings/%d/feedback", id), map[string]any{"unit_id": fx.unitRSJ, "deadline": "2026-06-20", "note": "请核实"})
	r.json(t, &f)
	if r.status != http.StatusOK || f.Status != finding.FedBack || f.UnitID != fx.unitRSJ {
		t.Fatalf("feedback: %d %+v", r.status, f)
	}
	r = unit.postJSON(t, fmt.Sprintf("/api/findings/%d/handle", id), map[string]any{"note": "已修复",
		"evidence": []map[string]string{{"name": "修复后.png", "data": base64.StdEncoding.EncodeToString(tinyPNG)}}})
	r.json(t, &f)
	if r.status != http.StatusOK || f.Status != finding.Handled || f.Evidence[len(f.Evidence)-1].Name != "修复后.png" {
		t.Fatalf("handle: %d %s", r.status, r.body)
	}
	bad := unit.postJSON(t, fmt.Sprintf("/api/findings/%d/handle", fx.httpErr), map[string]any{"note": "x",
		"evidence": []map[string]string{{"name": "a.jpg", "data": base64.StdEncoding.EncodeToString([]byte("text"))}}})
	if bad.status != http.StatusBadRequest || !strings.Contains(bad.body, "不是JPEG、PNG 图片或 PDF 文件") {
		t.Errorf("bad evidence: %d %s", bad.status, bad.body)
	}
	r = staff.postJSON(t, fmt.Sprintf("/api/findings/%d/evaluate", id), map[string]any{"pass": true})
	r.json(t, &f)
	if r.status != http.StatusOK || f.Status != finding.Verified || f.Events[len(f.Events)-1].Actor != "李强" {
		t.Fatalf("evaluate: %d %s", r.status, r.body)
	}
}

func TestWebAPIReport(t *testing.T) {
	fx := newFixture(t)
	c := fx.apiClient(t, "wangfang")
	r := c.postJSON(t, "/api/reports", map[string]any{"title": "材料清单与窗口要求不一致", "category": "guide", "severity": "minor",
		"channel": "offline", "unit_id": fx.unitSCJGJ, "photos": []map[string]string{{"name": "清单.jpg", "data": base64.StdEncoding.EncodeToString(tinyJPEG)}}})
	var f finding.Finding
	r.json(t, &f)
	if r.status != http.StatusCreated || r.header.Get("Location") != fmt.Sprintf("/api/findings/%d", f.ID) ||
		f.OfficerID != fx.officer.ID || len(f.Evidence) != 1 || f.Evidence[0].Kind != finding.EvidencePhoto {
		t.Errorf("report: %d %s", r.status, r.body)
	}
	if r := fx.apiClient(t, "scjgj").postJSON(t, "/api/reports", map[string]any{"title": "x"}); r.status != http.StatusForbidden {
		t.Errorf("unit reporting: %d", r.status)
	}
}

func TestWebAPIUnits(t *testing.T) {
	fx := newFixture(t)
	if _, err := fx.store.CreateUnit(t.Context(), finding.Unit{Name: "金安区政务服务中心", Jurisdiction: "341502"}); err != nil {
		t.Fatal(err)
	}
	for who, want := range map[string]int{"admin": 3, "liqiang": 3, "jinan": 1, "scjgj": 1} {
		var units []finding.Unit
		fx.apiClient(t, who).get(t, "/api/units").json(t, &units)
		if len(units) != want {
			t.Errorf("%s sees %d units, want %d", who, len(units), want)
		}
	}
}

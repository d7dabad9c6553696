package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestBodyLimits: a 15 MB title through the JSON API (under the route's cap, which leaves room
// for photos) is refused by the domain's limit; a body past the cap is refused with 413 and
// the limit in Chinese; the web form meets the same limits.
func TestBodyLimits(t *testing.T) {
	fx := newFixture(t)
	c := fx.apiClient(t, "wangfang")
	report := func(title, detail string) response {
		return c.postJSON(t, "/api/reports", map[string]any{"title": title, "detail": detail, "category": "guide", "severity": "minor", "channel": "offline"})
	}
	var body apiError
	r := report(strings.Repeat("长", 15<<20/3), "")
	if r.json(t, &body); r.status != http.StatusBadRequest || !strings.Contains(body.Error.Message, "标题过长") {
		t.Errorf("15 MB title: %d %+v, want 400 标题过长", r.status, body)
	}
	r = report("标题", strings.Repeat("详", 5001))
	if r.json(t, &body); r.status != http.StatusBadRequest || !strings.Contains(body.Error.Message, "最多 5000 字") {
		t.Errorf("detail of 5,001 characters: %d %+v", r.status, body)
	}
	r = report(strings.Repeat("x", 50<<20), "")
	if r.json(t, &body); r.status != http.StatusRequestEntityTooLarge || !strings.Contains(body.Error.Message, "请求内容过大") {
		t.Errorf("50 MB body: %d %+v, want 413", r.status, body)
	}
	big := strings.Repeat("注", 2001)
	r = fx.staff.postJSON(t, fmt.Sprintf("/api/findings/%d/dismiss", fx.unreachable), map[string]any{"reason": big})
	if r.json(t, &body); r.status != http.StatusBadRequest || !strings.Contains(body.Error.Message, "最多 2000 字") {
		t.Errorf("reason of 2,001 characters: %d %+v", r.status, body)
	}
	form := url.Values{"kind": {"problem"}, "title": {strings.Repeat("标", 201)}, "category": {"guide"}, "severity": {"minor"}, "channel": {"offline"}}
	if r := fx.officerClient.post(t, "/report", form); r.status != http.StatusBadRequest || !strings.Contains(r.body, "标题过长") {
		t.Errorf("web form, title of 201 characters: %d", r.status)
	}
	form.Set("title", strings.Repeat("x", 2<<20))
	if r := fx.officerClient.post(t, "/report", form); r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "表单内容过大") {
		t.Errorf("web form of 2 MB: %d", r.status)
	}
}

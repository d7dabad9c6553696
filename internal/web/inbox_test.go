package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"tiyan/internal/finding"
)

// TestWebInboxFilters: the filters the design names (source and jurisdiction here, the others
// in TestFindingsFilters) narrow the list and its counts, for the API too.
func TestWebInboxFilters(t *testing.T) {
	fx := newFixture(t)
	huoqiu := fx.sightings()[1]
	huoqiu.Jurisdiction, huoqiu.Unit, huoqiu.ItemCode = "341522", "霍邱县人力资源和社会保障局", "11341522MB0000000X0000000001"
	hq := fx.ingest(t, huoqiu)[0]
	for _, c := range []struct {
		who, query string
		want       []int64
	}{
		{"admin", "source=officer", []int64{fx.manual}},
		{"admin", "source=自动体验&status=found", []int64{fx.unreachable, fx.recurrence, hq}},
		{"admin", "zone=341522", []int64{hq}},
		{"admin", "zone=341502", nil},
		{"staff", "zone=341522&channel=pc", []int64{hq}},
		{"staffJinan", "zone=341500", nil},
		{"unitSCJGJ", "status=found", nil},
		{"unitSCJGJ", "status=handled", []int64{fx.guide}},
	} {
		r := fx.as(c.who).get(t, "/findings?"+c.query)
		got := listed(t, r.body)
		slices.Sort(got)
		if r.status != http.StatusOK || !slices.Equal(got, c.want) {
			t.Errorf("%s ?%s: %d, listed %v, want %v", c.who, c.query, r.status, got, c.want)
		}
		var page findingsPage
		fx.as(c.who).get(t, "/api/findings?"+c.query).json(t, &page)
		if page.Total != len(c.want) {
			t.Errorf("%s API ?%s: total %d, want %d", c.who, c.query, page.Total, len(c.want))
		}
	}
	bad := fx.admin.get(t, "/findings?zone=3415")
	if bad.status != http.StatusBadRequest || !strings.Contains(bad.body, "应为 6 位或 12 位数字") {
		t.Errorf("zone=3415: %d", bad.status)
	}
}

// TestWebInboxTabs: a unit has no 发现问题 or 不予采纳 tab, and its counts are its own.
func TestWebInboxTabs(t *testing.T) {
	fx := newFixture(t)
	r := fx.unitSCJGJClient.get(t, "/findings")
	r.has(t, `全部 <span class="count">2</span>`, `已处理 <span class="count">1</span>`, `已整改 <span class="count">1</span>`, `已反馈 <span class="count">0</span>`)
	r.lacks(t, ">发现问题 <", ">不予采纳 <", `id="f-unit"`, `id="f-zone"`)
	staff := fx.staffJinan.get(t, "/findings")
	staff.has(t, `全部 <span class="count">0</span>`, `<option value="341502">金安区</option>`)
	staff.lacks(t, `<option value="341500">`, `<option value="341522">`)
	officer := fx.officerClient.get(t, "/findings")
	officer.has(t, `全部 <span class="count">1</span>`, fmt.Sprintf(`<a href="/findings/%d">`, fx.manual))
	if got := listed(t, fx.admin.get(t, fmt.Sprintf("/findings?status=%s", finding.FedBack)).body); len(got) != 1 || got[0] != fx.httpErr {
		t.Errorf("fed_back tab lists %v", got)
	}
}

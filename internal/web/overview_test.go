package web

import (
	"fmt"
	"strings"
	"testing"

	"tiyan/internal/finding"
)

// The fixture's sweep ran on 2026-06-01 over 6 item-channels (3 per channel); the unreachable
// H5 page and the PC page that answered HTTP 500 are blocking channel problems that night.
func TestWebOverviewData(t *testing.T) {
	fx := newFixture(t)
	var o overview
	fx.apiClient(t, "admin").get(t, "/api/overview").json(t, &o)
	if o.Open != 5 || o.Overdue != 1 {
		t.Errorf("open %d, overdue %d; want 5 and 1", o.Open, o.Overdue)
	}
	want := fmt.Sprint([]finding.UnitCount{{UnitID: fx.unitSCJGJ, Unit: scjgj, Count: 4}, {UnitID: fx.unitRSJ, Unit: rsj, Count: 1}})
	if got := fmt.Sprint(o.OpenByUnit); got != want {
		t.Errorf("open by unit %s, want %s", got, want)
	}
	if len(o.OverdueByUnit) != 1 || o.OverdueByUnit[0].UnitID != fx.unitRSJ {
		t.Errorf("overdue by unit %+v", o.OverdueByUnit)
	}
	if len(o.Availability) != 2 || len(o.Availability[0].Days) != availabilityDays {
		t.Fatalf("availability %+v", o.Availability)
	}
	for _, ca := range o.Availability {
		var sweep availabilityDay
		for _, d := range ca.Days {
			if d.Day == "2026-06-01" {
				sweep = d
			} else if d.Percent != nil {
				t.Errorf("%s %s has %v%% without a sweep", ca.Channel, d.Day, *d.Percent)
			}
		}
		if sweep.Probed != 3 || sweep.Unavailable != 1 || sweep.Percent == nil || fmt.Sprintf("%.1f", *sweep.Percent) != "66.7" {
			t.Errorf("%s on the sweep's night: %+v", ca.Channel, sweep)
		}
	}
	total := 0
	for _, w := range o.Weeks {
		total += w.Total
	}
	if len(o.Weeks) != trendWeeks || total != 6 || o.Weeks[trendWeeks-1].Week != "2026-06-08" || o.Weeks[trendWeeks-2].Counts[finding.CatChannel] != 2 {
		t.Errorf("weeks %+v", o.Weeks)
	}
}

// TestWebOverviewScoped: a unit's overview counts only its own findings, and its availability
// only the problems it may see.
func TestWebOverviewScoped(t *testing.T) {
	fx := newFixture(t)
	var o overview
	fx.apiClient(t, "rsj").get(t, "/api/overview").json(t, &o)
	if o.Open != 1 || o.Overdue != 1 || len(o.OpenByUnit) != 1 || o.OpenByUnit[0].Unit != rsj {
		t.Errorf("人社局's overview: %+v", o)
	}
	for _, ca := range o.Availability {
		for _, d := range ca.Days {
			if d.Day == "2026-06-01" && ca.Channel == finding.H5 && d.Unavailable != 0 {
				t.Errorf("人社局 is charged with 市场监管局's unreachable page: %+v", d)
			}
		}
	}
	fx.apiClient(t, "jinan").get(t, "/api/overview").json(t, &o)
	if o.Open != 0 || o.Overdue != 0 || len(o.OpenByUnit) != 0 || o.Scope != "金安区（341502）" {
		t.Errorf("金安区's overview: %+v", o)
	}
}

func TestWebOverviewPage(t *testing.T) {
	fx := newFixture(t)
	r := fx.staff.get(t, "/overview")
	r.has(t, "<h1>总览</h1>", `aria-current="page">总览`, "查看范围：六安市（341500）", `<span class="stat-n">5</span> 个问题尚未办结`,
		fmt.Sprintf(`<a href="/findings?unit=%d">%s</a>`, fx.unitSCJGJ, scjgj), fmt.Sprintf(`<a href="/findings?unit=%d&amp;overdue=1">%s</a>`, fx.unitRSJ, rsj),
		`<svg viewBox="0 0 300 100"`, "2026-06-01：可用率 66.7%（体验 3 个页面，1 个不可用）", "PC 端可用率：近 30 天有 1 天有体验数据，平均可用率 66.7%",
		`<th scope="row">2026-06-01</th><td class="num">66.7%</td>`, "每周新发现问题（按类别）", "<summary>按周查看数据</summary>")
	if strings.Contains(r.body, " style=") {
		t.Error("the overview uses inline styles, which the CSP blocks")
	}
}

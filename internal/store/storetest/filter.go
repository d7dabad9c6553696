package storetest

import (
	"testing"
	"time"

	"tiyan/internal/finding"
)

// fixture is a small set of findings of every kind, status and unit.
type fixture struct {
	u1, u2                              finding.Unit
	found, fedBack, handled, verified   finding.Finding
	dismissed, praise, other, probeSeen finding.Finding
}

func newFixture(t *testing.T, s finding.Store) fixture {
	c := ctx(t)
	var x fixture
	x.u1 = must[finding.Unit](t)(s.CreateUnit(c, finding.Unit{Name: "金寨县政务服务中心", Jurisdiction: "341524"}))
	x.u2 = must[finding.Unit](t)(s.CreateUnit(c, finding.Unit{Name: "霍邱县政务服务中心", Jurisdiction: "341522"}))
	mk := func(title string, cat finding.Category, sev finding.Severity, unit finding.Unit) finding.Finding {
		f := manual(title)
		f.Category, f.Severity, f.UnitID = cat, sev, unit.ID
		return create(t, s, f)
	}
	feed := func(f finding.Finding, days int) finding.Finding {
		return move(t, s, f, finding.FedBack, finding.ActFedBack, func(tr *finding.Transition) {
			tr.SetDeadline, tr.Deadline = true, finding.EndOfDay(t0.AddDate(0, 0, days))
		})
	}
	x.found = mk("发现", finding.CatGuide, finding.Major, x.u1)
	x.fedBack = feed(mk("已反馈", finding.CatGuide, finding.Minor, x.u1), 10)
	x.handled = move(t, s, feed(mk("已处理", finding.CatLayout, finding.Major, x.u1), 3), finding.Handled, finding.ActHandled, nil)
	x.verified = move(t, s, x.handled, finding.Verified, finding.ActVerified, nil)
	x.handled = move(t, s, feed(mk("已处理2", finding.CatLayout, finding.Blocker, x.u1), 2), finding.Handled, finding.ActHandled, nil)
	x.dismissed = move(t, s, mk("不予采纳", finding.CatService, finding.Advice, x.u1), finding.Dismissed, finding.ActDismissed, nil)
	p := manual("好经验")
	p.Kind, p.UnitID = finding.Praise, x.u1.ID
	x.praise = create(t, s, p)
	x.other = feed(mk("别的单位", finding.CatGuide, finding.Major, x.u2), 1)
	res := ingest(t, s, group(t, s, sighting("fp-f", "run-1", 0)))
	x.probeSeen = must[finding.Finding](t)(s.Finding(c, res[0].FindingID))
	return x
}

func testFilters(t *testing.T, s finding.Store) {
	c := ctx(t)
	x := newFixture(t, s)
	cases := []struct {
		name   string
		filter finding.FindingFilter
		want   []int64
	}{
		{"all", finding.FindingFilter{}, []int64{x.found.ID, x.fedBack.ID, x.verified.ID, x.handled.ID, x.dismissed.ID, x.praise.ID, x.other.ID, x.probeSeen.ID}},
		{"status", finding.FindingFilter{Status: []finding.Status{finding.FedBack, finding.Handled}}, []int64{x.fedBack.ID, x.handled.ID, x.other.ID}},
		{"open", finding.FindingFilter{Open: true}, []int64{x.found.ID, x.fedBack.ID, x.handled.ID, x.other.ID, x.probeSeen.ID}},
		{"unit", finding.FindingFilter{UnitID: x.u2.ID}, []int64{x.other.ID}},
		{"category", finding.FindingFilter{Category: finding.CatLayout}, []int64{x.verified.ID, x.handled.ID, x.probeSeen.ID}},
		{"severity", finding.FindingFilter{Severity: finding.Major}, []int64{x.found.ID, x.verified.ID, x.praise.ID, x.other.ID}},
		{"kind", finding.FindingFilter{Kind: finding.Praise}, []int64{x.praise.ID}},
		{"source", finding.FindingFilter{Source: finding.SourceProbe}, []int64{x.probeSeen.ID}},
		{"channel", finding.FindingFilter{Channel: finding.H5}, []int64{x.probeSeen.ID}},
		{"rule", finding.FindingFilter{Rule: "LAYOUT-OVERFLOW"}, []int64{x.probeSeen.ID}},
		{"fingerprint", finding.FindingFilter{Fingerprint: "fp-f"}, []int64{x.probeSeen.ID}},
		{"item", finding.FindingFilter{ItemCode: "11341500MB1234567X4000117001"}, []int64{x.probeSeen.ID}},
		{"newest", finding.FindingFilter{Open: true, Order: finding.ByNewest, Limit: 2}, []int64{x.probeSeen.ID, x.other.ID}},
		{"page", finding.FindingFilter{Open: true, Limit: 2, Offset: 1}, []int64{x.fedBack.ID, x.handled.ID}},
		{"offset only", finding.FindingFilter{Open: true, Offset: 3}, []int64{x.other.ID, x.probeSeen.ID}},
		{"combined", finding.FindingFilter{UnitID: x.u1.ID, Open: true, Category: finding.CatGuide}, []int64{x.found.ID, x.fedBack.ID}},
	}
	for _, tc := range cases {
		got := must[[]finding.Finding](t)(s.Findings(c, tc.filter))
		eqSlice(t, tc.name, ids(got), tc.want)
		count := tc.filter
		count.Limit, count.Offset = 0, 0
		full := must[[]finding.Finding](t)(s.Findings(c, count))
		eq(t, tc.name+" count", must[int](t)(s.CountFindings(c, tc.filter)), len(full))
	}
	if got := must[[]finding.Finding](t)(s.Findings(c, finding.FindingFilter{Open: true})); len(got) > 0 && got[0].Events != nil {
		t.Error("Findings loaded events; only Finding does")
	}
}

func testInboxOrder(t *testing.T, s finding.Store) {
	c := ctx(t)
	x := newFixture(t, s)
	got := must[[]finding.Finding](t)(s.Findings(c, finding.Inbox(x.u1.ID, 10, 0)))
	// handled (deadline +2 days), fed back (+10 days), then found (no deadline yet); no praise, nothing closed.
	eqSlice(t, "inbox", ids(got), []int64{x.handled.ID, x.fedBack.ID, x.found.ID})
	page := must[[]finding.Finding](t)(s.Findings(c, finding.Inbox(x.u1.ID, 1, 1)))
	eqSlice(t, "inbox page 2", ids(page), []int64{x.fedBack.ID})
	eq(t, "inbox count", must[int](t)(s.CountFindings(c, finding.Inbox(x.u1.ID, 1, 0))), 3)
}

func testOverdue(t *testing.T, s finding.Store) {
	c := ctx(t)
	x := newFixture(t, s)
	at := func(days int) finding.FindingFilter {
		return finding.FindingFilter{OverdueAt: finding.EndOfDay(t0.AddDate(0, 0, days)).Add(time.Second)}
	}
	eqSlice(t, "overdue on day 0", ids(must[[]finding.Finding](t)(s.Findings(c, at(-1)))), []int64{})
	// other's deadline (day 1) has passed at the end of day 1; handled ones are not overdue.
	eqSlice(t, "overdue after day 1", ids(must[[]finding.Finding](t)(s.Findings(c, at(1)))), []int64{x.other.ID})
	eqSlice(t, "overdue after day 10", ids(must[[]finding.Finding](t)(s.Findings(c, at(10)))), []int64{x.fedBack.ID, x.other.ID})
	exact := finding.FindingFilter{OverdueAt: finding.EndOfDay(t0.AddDate(0, 0, 1))}
	eqSlice(t, "overdue at the deadline itself", ids(must[[]finding.Finding](t)(s.Findings(c, exact))), []int64{})
	u1 := at(10)
	u1.UnitID = x.u1.ID
	eq(t, "overdue of unit 1", must[int](t)(s.CountFindings(c, u1)), 1)
}

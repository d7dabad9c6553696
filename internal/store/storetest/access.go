package storetest

import (
	"fmt"
	"testing"
	"time"

	"tiyan/internal/finding"
)

// accessTests are the conformance tests of finding.UserStore and finding.QueryStore, which
// every store implements besides finding.Store.
func accessTests() []struct {
	name string
	fn   func(*testing.T, finding.Store)
} {
	return []struct {
		name string
		fn   func(*testing.T, finding.Store)
	}{
		{"Users", testUsers},
		{"UsersInvalid", testUsersInvalid},
		{"Tokens", testTokens},
		{"TokenExpiry", testTokenExpiry},
		{"SignIn", testSignIn},
		{"QueryScope", testQueryScope},
		{"QueryCounts", testQueryCounts},
		{"QueryPerDay", testQueryPerDay},
		{"QueryCountsKeptInStep", testQueryCountsKeptInStep},
	}
}

func userStore(_ *testing.T, s finding.Store) finding.UserStore { return s }

func queryStore(_ *testing.T, s finding.Store) finding.QueryStore { return s }

// appoint appoints an officer for the suite.
func appoint(t *testing.T, s finding.Store, name string) finding.Officer {
	t.Helper()
	start, end, review := finding.TermFrom(t0)
	return must[finding.Officer](t)(s.CreateOfficer(ctx(t), finding.Officer{Name: name, Category: finding.OfficerCitizen,
		TermStart: start, TermEnd: end, ReviewOn: review}))
}

func testUsers(t *testing.T, s finding.Store) {
	c, us := ctx(t), userStore(t, s)
	unit := must[finding.Unit](t)(s.CreateUnit(c, finding.Unit{Name: "金安区政务服务中心", Jurisdiction: "341502"}))
	off := appoint(t, s, "王芳")
	admin := must[finding.User](t)(us.CreateUser(c, finding.User{Name: "admin", Role: finding.RoleAdmin, PasswordHash: "h1", Created: t0}))
	staff := must[finding.User](t)(us.CreateUser(c, finding.User{Name: "liqiang", DisplayName: "李强", Role: finding.RoleStaff, Jurisdiction: "341500", PasswordHash: "h2"}))
	unitUser := must[finding.User](t)(us.CreateUser(c, finding.User{Name: "jinan", Role: finding.RoleUnit, UnitID: unit.ID, PasswordHash: "h3"}))
	offUser := must[finding.User](t)(us.CreateUser(c, finding.User{Name: "wangfang", Role: finding.RoleOfficer, OfficerID: off.ID, PasswordHash: "h4"}))
	if admin.ID == 0 || admin.Role != finding.RoleAdmin || admin.PasswordHash != "h1" || admin.Disabled {
		t.Fatalf("created admin = %+v", admin)
	}
	sameTime(t, "created", admin.Created, t0)
	eq(t, "staff actor", staff.Actor(), "李强")
	eq(t, "admin actor", admin.Actor(), "admin")
	eq(t, "unit name", unitUser.Unit, "金安区政务服务中心")
	eq(t, "officer name", offUser.Officer, "王芳")
	eq(t, "staff jurisdiction", staff.Jurisdiction, "341500")

	_, err := us.CreateUser(c, finding.User{Name: "admin", Role: finding.RoleStaff, Jurisdiction: "341500", PasswordHash: "x"})
	wantCode(t, err, finding.ECONFLICT)
	got := must[finding.User](t)(us.UserByName(c, "jinan"))
	eq(t, "by name", got.ID, unitUser.ID)
	_, err = us.UserByName(c, "nobody")
	wantCode(t, err, finding.ENOTFOUND)
	_, err = us.User(c, 999)
	wantCode(t, err, finding.ENOTFOUND)
	eqSlice(t, "users", ids2(must[[]finding.User](t)(us.Users(c))), []int64{admin.ID, staff.ID, unitUser.ID, offUser.ID})

	staff.PasswordHash, staff.Disabled, staff.Jurisdiction = "h5", true, "341502"
	upd := must[finding.User](t)(us.UpdateUser(c, staff))
	if upd.PasswordHash != "h5" || !upd.Disabled || upd.Jurisdiction != "341502" || upd.Name != "liqiang" {
		t.Fatalf("updated = %+v", upd)
	}
	staff.ID = 999
	_, err = us.UpdateUser(c, staff)
	wantCode(t, err, finding.ENOTFOUND)
}

func ids2(us []finding.User) []int64 {
	out := make([]int64, len(us))
	for i, u := range us {
		out[i] = u.ID
	}
	return out
}

func testUsersInvalid(t *testing.T, s finding.Store) {
	c, us := ctx(t), userStore(t, s)
	for _, u := range []finding.User{
		{Name: "", Role: finding.RoleAdmin, PasswordHash: "h"},
		{Name: "a b", Role: finding.RoleAdmin, PasswordHash: "h"},
		{Name: "x", Role: "root", PasswordHash: "h"},
		{Name: "x", Role: finding.RoleAdmin},
		{Name: "x", Role: finding.RoleUnit, PasswordHash: "h"},
		{Name: "x", Role: finding.RoleStaff, PasswordHash: "h"},
		{Name: "x", Role: finding.RoleStaff, Jurisdiction: "3415", PasswordHash: "h"},
		{Name: "x", Role: finding.RoleOfficer, PasswordHash: "h"},
	} {
		_, err := us.CreateUser(c, u)
		wantCode(t, err, finding.EINVALID)
	}
	_, err := us.CreateUser(c, finding.User{Name: "x", Role: finding.RoleUnit, UnitID: 42, PasswordHash: "h"})
	wantCode(t, err, finding.ENOTFOUND)
}

func testTokens(t *testing.T, s finding.Store) {
	c, us := ctx(t), userStore(t, s)
	u := must[finding.User](t)(us.CreateUser(c, finding.User{Name: "admin", Role: finding.RoleAdmin, PasswordHash: "h"}))
	other := must[finding.User](t)(us.CreateUser(c, finding.User{Name: "admin2", Role: finding.RoleAdmin, PasswordHash: "h"}))
	tok := func(hash, kind string, expires time.Time) {
		t.Helper()
		if err := us.CreateToken(c, finding.Token{Hash: hash, UserID: u.ID, Kind: kind, Created: t0, Expires: expires}); err != nil {
			t.Fatal(err)
		}
	}
	tok("s1", finding.TokenSession, t0.Add(12*time.Hour))
	tok("s2", finding.TokenSession, t0.Add(time.Hour))
	tok("a1", finding.TokenAPI, time.Time{})
	if err := us.CreateToken(c, finding.Token{Hash: "o1", UserID: other.ID, Kind: finding.TokenSession, Created: t0, Expires: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, us.CreateToken(c, finding.Token{Hash: "z", UserID: 999, Kind: finding.TokenAPI}), finding.ENOTFOUND)

	got := must[finding.User](t)(us.TokenUser(c, "s1", finding.TokenSession, t0.Add(2*time.Hour)))
	eq(t, "session user", got.ID, u.ID)
	_, err := us.TokenUser(c, "s2", finding.TokenSession, t0.Add(2*time.Hour))
	wantCode(t, err, finding.EUNAUTHORIZED) // expired
	_, err = us.TokenUser(c, "s1", finding.TokenAPI, t0)
	wantCode(t, err, finding.EUNAUTHORIZED) // a session is no API token
	got = must[finding.User](t)(us.TokenUser(c, "a1", finding.TokenAPI, t0.AddDate(10, 0, 0)))
	eq(t, "API tokens do not expire", got.ID, u.ID)
	_, err = us.TokenUser(c, "nope", finding.TokenSession, t0)
	wantCode(t, err, finding.EUNAUTHORIZED)

	eq(t, "expired removed", must[int](t)(us.DeleteExpiredTokens(c, t0.Add(2*time.Hour))), 2) // s2 and o1
	if err := us.DeleteToken(c, "s1"); err != nil {
		t.Fatal(err)
	}
	if err := us.DeleteToken(c, "s1"); err != nil {
		t.Fatalf("deleting a token twice: %v", err)
	}
	_, err = us.TokenUser(c, "s1", finding.TokenSession, t0)
	wantCode(t, err, finding.EUNAUTHORIZED)

	tok("s3", finding.TokenSession, t0.Add(time.Hour))
	u.Disabled = true
	must[finding.User](t)(us.UpdateUser(c, u))
	_, err = us.TokenUser(c, "s3", finding.TokenSession, t0)
	wantCode(t, err, finding.EUNAUTHORIZED) // a disabled user's tokens open nothing
	eq(t, "sessions removed", must[int](t)(us.DeleteTokens(c, u.ID, finding.TokenSession)), 1)
	eq(t, "all removed", must[int](t)(us.DeleteTokens(c, u.ID, "")), 1)
}

// zoneFixture is findings across the zones of 六安 and two officers.
type zoneFixture struct {
	city, jinan, town, huoqiu, none, byWang, byLi finding.Finding
	wang, li                                      finding.Officer
	u1, u2                                        finding.Unit
}

func newZoneFixture(t *testing.T, s finding.Store) zoneFixture {
	c := ctx(t)
	var z zoneFixture
	z.u1 = must[finding.Unit](t)(s.CreateUnit(c, finding.Unit{Name: "金安区政务服务中心", Jurisdiction: "341502"}))
	z.u2 = must[finding.Unit](t)(s.CreateUnit(c, finding.Unit{Name: "霍邱县政务服务中心", Jurisdiction: "341522"}))
	z.wang, z.li = appoint(t, s, "王芳"), appoint(t, s, "李华")
	mk := func(title, zone string, unit finding.Unit, officer int64) finding.Finding {
		f := manual(title)
		f.Jurisdiction, f.UnitID, f.OfficerID = zone, unit.ID, officer
		return create(t, s, f)
	}
	z.city = mk("市本级", "341500", z.u1, 0)
	z.jinan = mk("金安区", "341502", z.u1, 0)
	z.town = mk("金安区某街道", "341502001000", z.u1, 0)
	z.huoqiu = mk("霍邱县", "341522000000", z.u2, 0)
	z.none = mk("无区划", "", finding.Unit{}, 0)
	z.byWang = mk("王芳报告", "341522", z.u2, z.wang.ID)
	z.byLi = mk("李华报告", "341502", z.u1, z.li.ID)
	return z
}

func testQueryScope(t *testing.T, s finding.Store) {
	c, qs := ctx(t), queryStore(t, s)
	z := newZoneFixture(t, s)
	for i, tc := range []struct {
		q    finding.Query
		want []int64
	}{
		{finding.Query{}, []int64{z.city.ID, z.jinan.ID, z.town.ID, z.huoqiu.ID, z.none.ID, z.byWang.ID, z.byLi.ID}},
		{finding.Query{Zone: "340000"}, []int64{z.city.ID, z.jinan.ID, z.town.ID, z.huoqiu.ID, z.byWang.ID, z.byLi.ID}},
		{finding.Query{Zone: "341500"}, []int64{z.city.ID, z.jinan.ID, z.town.ID, z.huoqiu.ID, z.byWang.ID, z.byLi.ID}},
		{finding.Query{Zone: "341502"}, []int64{z.jinan.ID, z.town.ID, z.byLi.ID}},
		{finding.Query{Zone: "341502000000"}, []int64{z.jinan.ID, z.town.ID, z.byLi.ID}},
		{finding.Query{Zone: "341502001000"}, []int64{z.town.ID}},
		{finding.Query{Zone: "341522"}, []int64{z.huoqiu.ID, z.byWang.ID}},
		{finding.Query{Zone: "341525"}, nil},
		{finding.Query{OfficerID: z.wang.ID}, []int64{z.byWang.ID}},
		{finding.Query{Zone: "341502", OfficerID: z.wang.ID}, nil},
		{finding.Query{Zone: "341502", FindingFilter: finding.FindingFilter{UnitID: z.u1.ID}}, []int64{z.jinan.ID, z.town.ID, z.byLi.ID}},
		{finding.Query{Zone: "341500", FindingFilter: finding.FindingFilter{UnitID: z.u2.ID, Order: finding.ByNewest}}, []int64{z.byWang.ID, z.huoqiu.ID}},
		{finding.Query{FindingFilter: finding.FindingFilter{Limit: 2, Offset: 1}}, []int64{z.jinan.ID, z.town.ID}},
	} {
		t.Run(fmt.Sprintf("%d-zone%s-officer%d", i, tc.q.Zone, tc.q.OfficerID), func(t *testing.T) {
			got := must[[]finding.Finding](t)(qs.QueryFindings(c, tc.q))
			eqSlice(t, "findings", ids(got), tc.want)
			if len(got) > 0 && got[0].Title == "" {
				t.Errorf("QueryFindings returned a finding without its fields: %+v", got[0])
			}
		})
	}
}

func testQueryCounts(t *testing.T, s finding.Store) {
	c, qs := ctx(t), queryStore(t, s)
	z := newZoneFixture(t, s)
	move(t, s, z.jinan, finding.FedBack, finding.ActFedBack, func(tr *finding.Transition) {
		tr.SetDeadline, tr.Deadline = true, t0.Add(24*time.Hour)
	})
	move(t, s, z.huoqiu, finding.Dismissed, finding.ActDismissed, nil)
	counts := must[[]finding.StatusCount](t)(qs.CountByStatus(c, finding.Query{Zone: "341500"}))
	byStatus := map[finding.Status]int{}
	for _, sc := range counts {
		byStatus[sc.Status] = sc.Count
	}
	if len(counts) != 3 || byStatus[finding.Found] != 4 || byStatus[finding.FedBack] != 1 || byStatus[finding.Dismissed] != 1 {
		t.Errorf("counts by status = %+v", counts)
	}
	overdue := must[[]finding.StatusCount](t)(qs.CountByStatus(c, finding.Query{Zone: "341502", FindingFilter: finding.FindingFilter{OverdueAt: t0.Add(48 * time.Hour)}}))
	if len(overdue) != 1 || overdue[0] != (finding.StatusCount{Status: finding.FedBack, Count: 1}) {
		t.Errorf("overdue counts = %+v", overdue)
	}
	none := must[[]finding.StatusCount](t)(qs.CountByStatus(c, finding.Query{Zone: "341525"}))
	eq(t, "counts in an empty zone", len(none), 0)

	units := must[[]finding.UnitCount](t)(qs.CountByUnit(c, finding.Query{FindingFilter: finding.FindingFilter{Open: true}}))
	want := []finding.UnitCount{{UnitID: z.u1.ID, Unit: z.u1.Name, Count: 4}, {UnitID: z.u2.ID, Unit: z.u2.Name, Count: 1}, {UnitID: 0, Unit: "", Count: 1}}
	eqSlice(t, "open by unit", units, want)

	ev := must[finding.Finding](t)(s.CreateFinding(c, manual("有照片"), foundBy("王芳"),
		[]finding.Evidence{{Kind: finding.EvidencePhoto, Name: "p.jpg", ContentType: "image/jpeg", Data: []byte("x"), Created: t0}}))
	eq(t, "evidence's finding", must[int64](t)(qs.EvidenceFinding(c, ev.Evidence[0].ID)), ev.ID)
	_, err := qs.EvidenceFinding(c, 999)
	wantCode(t, err, finding.ENOTFOUND)
}

func testQueryPerDay(t *testing.T, s finding.Store) {
	c, qs := ctx(t), queryStore(t, s)
	// t0 is 10:00 in Shanghai; 20:00 the day before is 12:00 UTC, which must still count on
	// the Shanghai day before.
	day0, dayBefore := finding.Day(t0), finding.Day(t0.AddDate(0, 0, -1))
	late := time.Date(2026, 9, 29, 23, 30, 0, 0, finding.Zone)
	for _, r := range []finding.Run{
		{ID: "run-old", Kind: finding.RunSweep, Started: t0.AddDate(0, 0, -40)},
		{ID: "run-a", Kind: finding.RunSweep, Channels: []string{"pc", "h5"}, Started: late.Add(-time.Hour)},
		{ID: "run-b", Kind: finding.RunSweep, Channels: []string{"h5"}, Started: t0},
	} {
		must[finding.Run](t)(s.CreateRun(c, r))
	}
	sightingAt := func(fp, run string, at time.Time, ch finding.Channel, item, zone string) finding.Sighting {
		si := sighting(fp, run, 0)
		si.SeenAt, si.Channel, si.ItemCode, si.Jurisdiction = at, ch, item, zone
		si.Category, si.Severity = finding.CatChannel, finding.Blocker
		return si
	}
	ingest(t, s,
		group(t, s, sightingAt("fp-1", "run-a", late, finding.PC, "item-1", "341502"), sightingAt("fp-1", "run-b", t0, finding.PC, "item-1", "341502")),
		group(t, s, sightingAt("fp-2", "run-a", late, finding.PC, "item-2", "341522")),
		group(t, s, sightingAt("fp-3", "run-b", t0, finding.H5, "item-1", "341502")),
		group(t, s, sightingAt("fp-4", "run-b", t0, finding.H5, "item-1", "341502")), // another rule on the same page
		group(t, s, sightingAt("fp-5", "run-old", t0.AddDate(0, 0, -40), finding.H5, "item-9", "341502")),
	)
	since := t0.AddDate(0, 0, -30)
	got := must[[]finding.DayCount](t)(qs.SightedPerDay(c, finding.Query{}, since))
	eqSlice(t, "sighted pages per day", got, []finding.DayCount{
		{Day: dayBefore, Channel: finding.PC, Count: 2}, {Day: day0, Channel: finding.H5, Count: 1}, {Day: day0, Channel: finding.PC, Count: 1},
	})
	got = must[[]finding.DayCount](t)(qs.SightedPerDay(c, finding.Query{Zone: "341522"}, since))
	eqSlice(t, "sighted pages in a zone", got, []finding.DayCount{{Day: dayBefore, Channel: finding.PC, Count: 1}})
	for _, d := range got {
		if d.Day.Location() != finding.Zone {
			t.Errorf("day %v is not in finding.Zone", d.Day)
		}
	}

	found := must[[]finding.DayCount](t)(qs.FoundPerDay(c, finding.Query{Zone: "341502"}, since))
	eqSlice(t, "found per day", found, []finding.DayCount{{Day: dayBefore, Category: finding.CatChannel, Count: 1}, {Day: day0, Category: finding.CatChannel, Count: 2}})

	runs := must[[]finding.Run](t)(qs.RunsSince(c, since))
	if len(runs) != 2 || runs[0].ID != "run-a" || runs[1].ID != "run-b" || len(runs[0].Channels) != 2 {
		t.Errorf("runs since = %+v", runs)
	}
}

// testQueryCountsKeptInStep: the counts by status and unit agree with the findings themselves
// after every way findings are written: created, ingested, seen again, moved through the
// loop, reassigned, recurring.
func testQueryCountsKeptInStep(t *testing.T, s finding.Store) {
	c, qs := ctx(t), queryStore(t, s)
	z := newZoneFixture(t, s)
	check := func(when string) {
		t.Helper()
		for _, q := range []finding.Query{
			{}, {Zone: "341502"}, {Zone: "341500", FindingFilter: finding.FindingFilter{Open: true}},
			{FindingFilter: finding.FindingFilter{UnitID: z.u1.ID, Category: finding.CatLayout}},
			{FindingFilter: finding.FindingFilter{Kind: finding.Problem, Source: finding.SourceProbe, Channel: finding.H5}},
		} {
			all := must[[]finding.Finding](t)(qs.QueryFindings(c, q))
			want, wantUnits := map[finding.Status]int{}, map[int64]int{}
			for _, f := range all {
				want[f.Status]++
				wantUnits[f.UnitID]++
			}
			got := map[finding.Status]int{}
			for _, sc := range must[[]finding.StatusCount](t)(qs.CountByStatus(c, q)) {
				got[sc.Status] = sc.Count
			}
			gotUnits := map[int64]int{}
			for _, uc := range must[[]finding.UnitCount](t)(qs.CountByUnit(c, q)) {
				gotUnits[uc.UnitID] = uc.Count
			}
			if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(gotUnits) != fmt.Sprint(wantUnits) {
				t.Errorf("%s, %+v: counts %v by unit %v; the findings say %v by unit %v", when, q, got, gotUnits, want, wantUnits)
			}
		}
	}
	check("created")
	res := ingest(t, s, group(t, s, sighting("fp-k1", "run-1", 0)), group(t, s, sighting("fp-k2", "run-1", 0)))
	check("ingested")
	ingest(t, s, group(t, s, sighting("fp-k1", "run-2", time.Hour)))
	check("seen again")
	f := must[finding.Finding](t)(s.Finding(c, res[0].FindingID))
	f = move(t, s, f, finding.FedBack, finding.ActFedBack, func(tr *finding.Transition) { tr.UnitID = z.u2.ID })
	f = move(t, s, f, finding.Handled, finding.ActHandled, nil)
	move(t, s, f, finding.Verified, finding.ActVerified, nil)
	move(t, s, z.city, finding.Dismissed, finding.ActDismissed, nil)
	check("moved through the loop")
	ingest(t, s, group(t, s, sighting("fp-k1", "run-3", 2*time.Hour)))
	check("recurred")
}

package storetest

import (
	"testing"

	"tiyan/internal/finding"
)

func testUnits(t *testing.T, s finding.Store) {
	c := ctx(t)
	u := must[finding.Unit](t)(s.CreateUnit(c, finding.Unit{Name: "六安市市场监督管理局", Jurisdiction: "341500", SlackChannel: "#la-scjg"}))
	if u.ID == 0 || u.Name != "六安市市场监督管理局" || u.Jurisdiction != "341500" || u.SlackChannel != "#la-scjg" || u.Created.IsZero() {
		t.Fatalf("created unit = %+v", u)
	}
	_, err := s.CreateUnit(c, finding.Unit{Name: "六安市市场监督管理局"})
	wantCode(t, err, finding.ECONFLICT)
	_, err = s.CreateUnit(c, finding.Unit{Name: " "})
	wantCode(t, err, finding.EINVALID)
	_, err = s.CreateUnit(c, finding.Unit{Name: "金安区政务服务中心", Jurisdiction: "3415"})
	wantCode(t, err, finding.EINVALID)
	u2 := must[finding.Unit](t)(s.CreateUnit(c, finding.Unit{Name: "金安区政务服务中心", Jurisdiction: "341502000000"}))

	got := must[finding.Unit](t)(s.Unit(c, u.ID))
	eq(t, "Unit name", got.Name, u.Name)
	got = must[finding.Unit](t)(s.UnitByName(c, "金安区政务服务中心"))
	eq(t, "UnitByName id", got.ID, u2.ID)
	_, err = s.Unit(c, 99999)
	wantCode(t, err, finding.ENOTFOUND)
	_, err = s.UnitByName(c, "不存在的单位")
	wantCode(t, err, finding.ENOTFOUND)

	all := must[[]finding.Unit](t)(s.Units(c))
	if len(all) != 2 || all[0].ID != u.ID || all[1].ID != u2.ID {
		t.Errorf("Units = %+v", all)
	}
}

func testEnsureUnits(t *testing.T, s finding.Store) {
	c := ctx(t)
	old := must[finding.Unit](t)(s.CreateUnit(c, finding.Unit{Name: "霍山县数据资源局", Jurisdiction: "341525"}))
	got := must[[]finding.Unit](t)(s.EnsureUnits(c, []finding.Unit{
		{Name: "舒城县政务服务中心", Jurisdiction: "341523"},
		{Name: "霍山县数据资源局", Jurisdiction: "341500"},
	}))
	if len(got) != 2 || got[0].ID == 0 || got[0].Name != "舒城县政务服务中心" || got[0].Jurisdiction != "341523" {
		t.Fatalf("EnsureUnits = %+v", got)
	}
	if got[1].ID != old.ID || got[1].Jurisdiction != "341525" {
		t.Errorf("EnsureUnits changed an existing unit: %+v", got[1])
	}
	again := must[[]finding.Unit](t)(s.EnsureUnits(c, []finding.Unit{{Name: "舒城县政务服务中心"}}))
	eq(t, "EnsureUnits again", again[0].ID, got[0].ID)
	eq(t, "units", len(must[[]finding.Unit](t)(s.Units(c))), 2)
}

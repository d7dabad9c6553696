package catalog

import (
	"slices"
	"strings"
	"testing"
)

// bruteForce is the obvious reading of a query, to check the indexed one against.
func bruteForce(c *Catalog, q Query) []Item {
	prefix := zonePrefix(normalizeZone(q.Zone))
	var out []Item
	for _, it := range c.Items() {
		if strings.HasPrefix(it.ZoneCode, prefix) && q.matches(&it) {
			out = append(out, it)
		}
	}
	return out
}

func TestQueryByZone(t *testing.T) {
	c := mustLoad(t)
	count := func(prefix string) int {
		n := 0
		for _, it := range c.Items() {
			if strings.HasPrefix(it.ZoneCode, prefix) {
				n++
			}
		}
		return n
	}
	cases := []struct {
		zone string
		want int
	}{
		{"", c.Len()},
		{ProvinceCode, c.Len()},
		{LuanCode, c.Len()},
		{"341500", c.Len()},
		{"341524000000", count("341524")},
		{"341524", count("341524")},
		{"341525000000", count("341525")},
		{"110000000000", 0},
		{"not a zone", 0},
	}
	for _, tc := range cases {
		_, total := c.Query(Query{Zone: tc.zone})
		if total != tc.want {
			t.Errorf("Query(zone %q) total = %d, want %d", tc.zone, total, tc.want)
		}
	}
	rows, total := c.Query(Query{Zone: "341524000000", PageSize: 100})
	if total < 2 {
		t.Fatalf("金寨县 has %d items, the catalogue should give it a few", total)
	}
	for _, it := range rows {
		if it.ZoneCode != "341524000000" {
			t.Errorf("金寨县 query returned %s of %s", it.Name, it.ZoneCode)
		}
	}
}

func TestQueryFilters(t *testing.T) {
	c := mustLoad(t)
	c.AddSynthetic(500, 9)
	yes, no := true, false
	for _, q := range []Query{
		{ServiceObject: "P"},
		{ServiceObject: "C"},
		{Online: &yes},
		{Online: &no},
		{Name: "个体工商户"},
		{Name: "最低生活保障", Online: &yes},
		{Zone: "341522000000", ServiceObject: "P", Online: &yes},
		{Zone: "341503", Name: "登记"},
		{Name: "没有这个事项"},
	} {
		want := bruteForce(c, q)
		q.PageSize = c.Len()
		rows, total := c.Query(q)
		if total != len(want) || !slices.EqualFunc(rows, want, func(a, b Item) bool { return a.ID == b.ID }) {
			t.Errorf("Query(%+v) = %d rows of %d, want %d", q, len(rows), total, len(want))
		}
	}
	_, p := c.Query(Query{ServiceObject: "P"})
	_, cc := c.Query(Query{ServiceObject: "C"})
	if p == 0 || cc == 0 || p+cc != c.Len() {
		t.Errorf("P %d + C %d != %d items", p, cc, c.Len())
	}
}

func TestQueryPaging(t *testing.T) {
	c := mustLoad(t)
	var paged []Item
	for page := 1; ; page++ {
		rows, total := c.Query(Query{Page: page, PageSize: 7})
		if total != c.Len() {
			t.Fatalf("page %d: total %d, want %d", page, total, c.Len())
		}
		if len(rows) == 0 {
			break
		}
		paged = append(paged, rows...)
	}
	if !slices.EqualFunc(paged, c.Items(), func(a, b Item) bool { return a.ID == b.ID }) {
		t.Error("pages joined do not give the catalogue in order")
	}
	rows, _ := c.Query(Query{})
	if len(rows) != DefaultPageSize {
		t.Errorf("zero query gave %d rows, want DefaultPageSize %d", len(rows), DefaultPageSize)
	}
	rows, _ = c.Query(Query{Page: -3, PageSize: 5})
	if len(rows) != 5 || rows[0].ID != c.Items()[0].ID {
		t.Error("a page below 1 should read as page 1")
	}
}

func BenchmarkQuery10k(b *testing.B) {
	c := mustLoad(b)
	c.AddSynthetic(10_000, 1)
	yes := true
	queries := []Query{
		{Zone: ProvinceCode, PageSize: 20},
		{Zone: LuanCode, ServiceObject: "P", Online: &yes, Page: 3, PageSize: 20},
		{Zone: "341524000000", Name: "登记", PageSize: 20},
		{Name: "住房公积金", Page: 2, PageSize: 50},
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c.Query(queries[i%len(queries)])
	}
}

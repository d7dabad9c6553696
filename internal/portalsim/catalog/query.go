package catalog

import "strings"

// DefaultPageSize is the page size of a Query that leaves PageSize zero, as the portal's list does.
const DefaultPageSize = 10

// Query mirrors the form fields of the portal's queryImplements.do. The zero value lists the
// first page of everything.
type Query struct {
	// Zone is a 行政区划代码 (12 digits, or 6 as people write it). It selects that jurisdiction
	// and everything under it: 341500000000 is all of 六安, 341524000000 only 金寨县,
	// 340000000000 the whole province. Empty means no restriction.
	Zone string
	// ServiceObject is P (个人), C (法人) or empty for both.
	ServiceObject string
	// Online, when set, keeps only items that do (or do not) offer 在线办理.
	Online *bool
	// Name keeps items whose 事项名称 contains it.
	Name string
	// Page is 1-based; zero or less means 1.
	Page int
	// PageSize is the number of rows per page; zero or less means DefaultPageSize.
	PageSize int
}

// Query returns one page of the items matching q, in catalogue order, and how many match in all.
// Candidates come from the zone index, so a county query never scans the whole catalogue. Rows
// share their slices with the catalogue, as Items do.
func (c *Catalog) Query(q Query) (rows []Item, total int) {
	page, size := max(q.Page, 1), q.PageSize
	if size <= 0 {
		size = DefaultPageSize
	}
	first := (page - 1) * size
	for _, i := range c.byZone[zonePrefix(normalizeZone(q.Zone))] {
		it := &c.items[i]
		if !q.matches(it) {
			continue
		}
		if total >= first && total < first+size {
			rows = append(rows, *it)
		}
		total++
	}
	return rows, total
}

func (q Query) matches(it *Item) bool {
	return (q.ServiceObject == "" || it.ServiceObject == q.ServiceObject) &&
		(q.Online == nil || it.Online == *q.Online) &&
		(q.Name == "" || strings.Contains(it.Name, q.Name))
}

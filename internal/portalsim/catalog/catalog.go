package catalog

// Catalog is the implementation list: real items from items.yaml, optionally followed by
// synthetic ones for load tests. It is built once and then only read (or grown by AddSynthetic
// before it is shared), so it has no lock.
type Catalog struct {
	items     []Item
	byID      map[string]int
	byCode    map[string]int
	byZone    map[string][]int  // zone prefix (see zoneKeys) → item indices in catalogue order
	unitCodes map[string]string // unit name → credit code, so a unit keeps one code everywhere
	synthetic int               // synthetic items so far; numbers the next one
}

// newCatalog indexes items as given, without validating them.
func newCatalog(items []Item) *Catalog {
	c := &Catalog{
		byID:      make(map[string]int, len(items)),
		byCode:    make(map[string]int, len(items)),
		byZone:    make(map[string][]int),
		unitCodes: make(map[string]string),
	}
	c.items = make([]Item, 0, len(items))
	for _, it := range items {
		c.add(it)
	}
	return c
}

// add appends an item and indexes it. The first item seen for a unit fixes the unit's code.
func (c *Catalog) add(it Item) {
	i := len(c.items)
	c.items = append(c.items, it)
	if _, dup := c.byID[it.ID]; !dup {
		c.byID[it.ID] = i
	}
	if _, dup := c.byCode[it.Code]; !dup {
		c.byCode[it.Code] = i
	}
	for _, k := range zoneKeys(it.ZoneCode) {
		c.byZone[k] = append(c.byZone[k], i)
	}
	if _, ok := c.unitCodes[it.Unit]; !ok {
		c.unitCodes[it.Unit] = it.UnitCode
	}
	if it.Synthetic {
		c.synthetic++
	}
}

// Len is the number of items, synthetic ones included.
func (c *Catalog) Len() int { return len(c.items) }

// Items returns every item in catalogue order: items.yaml order, then synthetic items in the order
// they were added. The items share their slices with the catalogue; Clone one before changing it.
func (c *Catalog) Items() []Item {
	out := make([]Item, len(c.items))
	copy(out, c.items)
	return out
}

// ByID finds an item by ssqdId, the portal's internal id used in guide URLs.
func (c *Catalog) ByID(id string) (Item, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Item{}, false
	}
	return c.items[i], true
}

// ByCode finds an item by its 28-character 事项编码.
func (c *Catalog) ByCode(code string) (Item, bool) {
	i, ok := c.byCode[code]
	if !ok {
		return Item{}, false
	}
	return c.items[i], true
}

// Units lists the implementing units (实施主体) in the order they first appear.
func (c *Catalog) Units() []string {
	seen := make(map[string]bool)
	var out []string
	for _, it := range c.items {
		if !seen[it.Unit] {
			seen[it.Unit] = true
			out = append(out, it.Unit)
		}
	}
	return out
}

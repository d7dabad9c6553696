package catalog

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// AddSynthetic appends n generated items for load tests (--items N). Each is a real item moved
// to a jurisdiction of 六安 and numbered "（第k号）", with its own id and code, and Synthetic set.
// The same catalogue, n and seed always give the same items.
func (c *Catalog) AddSynthetic(n int, seed int64) {
	templates := c.templates()
	if n <= 0 || len(templates) == 0 {
		return
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x746979616e)) // "tiyan": the stream is fixed, the seed varies
	local := zones[1:]                                       // every zone but the province itself
	c.items = slices.Grow(c.items, n)
	for range n {
		t := c.items[templates[rng.IntN(len(templates))]]
		z := local[rng.IntN(len(local))]
		c.add(c.variant(t, z, seed, c.synthetic+1, rng))
	}
}

// templates are the indices of the real items, so synthetic items are never built on synthetic ones.
func (c *Catalog) templates() []int {
	var out []int
	for i := range c.items {
		if !c.items[i].Synthetic {
			out = append(out, i)
		}
	}
	return out
}

// variant builds synthetic item number k from template t, placed in zone z. Moved to another zone,
// the item gets that zone's counterpart unit, service centre and a local phone number.
func (c *Catalog) variant(t Item, z zone, seed int64, k int, rng *rand.Rand) Item {
	it := t.Clone()
	it.Name = fmt.Sprintf("%s（第%d号）", t.Name, k)
	it.Synthetic = true
	if z.Code != t.ZoneCode {
		it.ZoneCode = z.Code
		it.Unit = unitIn(t.Unit, z)
		it.UnitCode = c.unitCode(it.Unit, t.UnitCode[:2], z.Code)
		it.Place = z.centre + "综合受理窗口（" + z.address + "）"
		it.ConsultPhone = fmt.Sprintf("0564-%s%04d", z.phone, rng.IntN(10_000))
		it.SupervisePhone = "12345"
	}
	// Real item codes never start with 99, so these cannot collide with them.
	it.Code = fmt.Sprintf("%s99%08d", it.UnitCode, k)
	it.ID = c.syntheticID(seed, k)
	return it
}

// unitIn names the counterpart of unit in zone z: 六安市民政局 in 霍山县 is 霍山县民政局.
// The housing fund has one centre for the city, with a 管理部 in each district and county.
func unitIn(unit string, z zone) string {
	suffix := unit
	for _, other := range zones {
		if s, ok := strings.CutPrefix(unit, other.Name); ok {
			suffix = s
			break
		}
	}
	if suffix == "住房公积金管理中心" && z.Code != LuanCode {
		return "六安市住房公积金管理中心" + z.Name + "管理部"
	}
	return z.Name + suffix
}

// unitCode returns the unit's credit code, deriving one the first time a unit appears.
func (c *Catalog) unitCode(unit, kind, zoneCode string) string {
	if code, ok := c.unitCodes[unit]; ok {
		return code
	}
	code := deriveCreditCode(unit, kind, zoneCode)
	c.unitCodes[unit] = code
	return code
}

// syntheticID hashes seed and number into an ssqdId shaped like the real ones.
func (c *Catalog) syntheticID(seed int64, k int) string {
	for salt := 0; ; salt++ {
		sum := sha1.Sum(fmt.Appendf(nil, "synthetic:%d:%d:%d", seed, k, salt))
		id := "8a8a8b1e" + hex.EncodeToString(sum[:12])
		if _, taken := c.byID[id]; !taken {
			return id
		}
	}
}

package catalog

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestAddSyntheticIsDeterministic(t *testing.T) {
	a, b, other := mustLoad(t), mustLoad(t), mustLoad(t)
	a.AddSynthetic(10_000, 42)
	b.AddSynthetic(10_000, 42)
	other.AddSynthetic(10_000, 43)
	if !reflect.DeepEqual(a.Items(), b.Items()) {
		t.Error("the same seed gave different items")
	}
	if reflect.DeepEqual(a.Items(), other.Items()) {
		t.Error("different seeds gave the same items")
	}
}

func TestAddSynthetic10k(t *testing.T) {
	c := mustLoad(t)
	real := c.Len()
	start := time.Now()
	c.AddSynthetic(10_000, 1)
	elapsed := time.Since(start)
	t.Logf("10,000 synthetic items in %v", elapsed)
	if elapsed > 2*time.Second {
		t.Errorf("AddSynthetic(10000) took %v, want well under a second", elapsed)
	}
	if c.Len() != real+10_000 {
		t.Fatalf("Len = %d, want %d", c.Len(), real+10_000)
	}
	// Validate covers unique ids and codes and every guide rule.
	if err := c.Validate(); err != nil {
		t.Fatalf("synthetic items do not validate: %v", firstLine(err))
	}
	zones := map[string]int{}
	for _, it := range c.Items()[real:] {
		if !it.Synthetic || !strings.Contains(it.Name, "（第") {
			t.Fatalf("item %s is not marked as synthetic", it.Name)
		}
		if _, ok := c.ByID(it.ID); !ok {
			t.Fatalf("item %s is not indexed by id", it.Name)
		}
		zones[it.ZoneCode]++
	}
	if len(zones) != len(Jurisdictions())-1 {
		t.Errorf("synthetic items cover %d zones, want all %d of 六安", len(zones), len(Jurisdictions())-1)
	}
	_, total := c.Query(Query{Zone: "341525000000"})
	if total < 500 {
		t.Errorf("霍山县 has %d items after 10,000 synthetic ones, want them spread", total)
	}
}

func TestAddSyntheticTwiceKeepsNumbering(t *testing.T) {
	c := mustLoad(t)
	c.AddSynthetic(5, 1)
	c.AddSynthetic(5, 1)
	if err := c.Validate(); err != nil {
		t.Fatalf("two batches with one seed collide: %v", firstLine(err))
	}
	last := c.Items()[c.Len()-1]
	if !strings.HasSuffix(last.Name, "（第10号）") {
		t.Errorf("last synthetic item is %s, want number 10", last.Name)
	}
}

func TestUnitIn(t *testing.T) {
	jinzhai, _ := zoneByCode("341524000000")
	luan, _ := zoneByCode(LuanCode)
	for _, tc := range []struct {
		unit string
		z    zone
		want string
	}{
		{"六安市民政局", jinzhai, "金寨县民政局"},
		{"霍山县民政局", luan, "六安市民政局"},
		{"六安市住房公积金管理中心", jinzhai, "六安市住房公积金管理中心金寨县管理部"},
		{"六安市住房公积金管理中心", luan, "六安市住房公积金管理中心"},
	} {
		if got := unitIn(tc.unit, tc.z); got != tc.want {
			t.Errorf("unitIn(%s, %s) = %s, want %s", tc.unit, tc.z.Name, got, tc.want)
		}
	}
}

func TestDerivedCreditCodeIsWellFormed(t *testing.T) {
	code := deriveCreditCode("金寨县民政局", "11", "341524000000")
	if err := checkCreditCode(code, "341524000000"); err != nil {
		t.Fatal(err)
	}
	if got := creditCheckChar(code); got != code[17] {
		t.Errorf("check character of %s is %c, want %c", code, code[17], got)
	}
}

func BenchmarkAddSynthetic10k(b *testing.B) {
	for b.Loop() {
		c := mustLoad(b)
		c.AddSynthetic(10_000, 1)
	}
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

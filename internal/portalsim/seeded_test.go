package portalsim

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"testing"

	"tiyan/internal/portalsim/catalog"
)

var update = flag.Bool("update", false, "rewrite seeded.yaml from the catalogue")

// pageDownDefects take a guide page down or remove an element. The seeded mix puts them on the
// H5 channel, so every item's PC guide (the URL an API row leads to) answers with a full guide.
var pageDownDefects = map[string]bool{"unreachable": true, "http-500": true, "maintenance": true, "blank": true, "slow": true, "element-missing": true}

// seededMix assigns every sweepable defect to its own item, so no two defects interact: the
// item's other channel stays clean. One compared defect is put on both channels, to cover the
// case where the channels agree with each other but not with the catalogue.
func seededMix(cat *catalog.Catalog) []FixtureEntry {
	// The item of DESIGN.md's scenario example stays clean, so scenarios run on the seeded demo.
	used := map[string]bool{"11341500MB1234567X4000117001": true}
	var out []FixtureEntry
	turn := 0
	for _, d := range defects {
		if !d.Sweep {
			continue
		}
		ch := d.Only
		switch {
		case pageDownDefects[d.Name]:
			ch = H5
		case ch == "":
			ch = channels[turn%2]
			turn++
		}
		if d.Name == "fee-mismatch" {
			ch = "all"
		}
		for _, it := range cat.Items() {
			fitCh := ch
			if ch == "all" {
				fitCh = PC
			}
			if used[it.Code] || d.fits(it, fitCh) != "" {
				continue
			}
			used[it.Code] = true
			out = append(out, FixtureEntry{Item: it.Code, Channel: ch, Defect: d.Name})
			break
		}
	}
	return out
}

func renderFixture(cat *catalog.Catalog, entries []FixtureEntry) []byte {
	var b bytes.Buffer
	b.WriteString("# The seeded defect mix of `portalsim --defects seeded`: one defect per item, so that defects\n")
	b.WriteString("# never interact. Regenerate with: go test ./internal/portalsim -run TestSeededFixture -update\n")
	b.WriteString("defects:\n")
	for _, e := range entries {
		it, _ := cat.ByCode(e.Item)
		fmt.Fprintf(&b, "  - {item: %q, channel: %s, defect: %s}  # %s\n", e.Item, e.Channel, e.Defect, it.Name)
	}
	return b.Bytes()
}

func TestSeededFixture(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	want := renderFixture(cat, seededMix(cat))
	if *update {
		if err := os.WriteFile("seeded.yaml", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(seededFixture, want) && !*update {
		t.Fatal("seeded.yaml is out of date with the catalogue; run: go test ./internal/portalsim -run TestSeededFixture -update")
	}
	var sweepable int
	for _, d := range defects {
		if d.Sweep {
			sweepable++
		}
	}
	if n := len(seededMix(cat)); n != sweepable {
		t.Errorf("seeded mix places %d of %d sweepable defects: the catalogue lacks items that fit", n, sweepable)
	}
}

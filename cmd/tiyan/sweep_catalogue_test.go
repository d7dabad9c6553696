package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var proberError = regexp.MustCompile(`msg="prober error" item=(\S+) channel=(\S+) probe=(\S+)`)

// TestSweepCatalogueFormatsAgree sweeps the seeded simulator three times, against its 实施清单
// as JSON, as an XLSX workbook and as CSV: the findings are the same (rule, item, channel and
// locator, by fingerprint), and include the catalogue comparisons the defects call for.
func TestSweepCatalogueFormatsAgree(t *testing.T) {
	repoRoot(t)
	s, base := seededSimulator(t)
	dir := t.TempDir()
	exports := map[string]func(io.Writer) error{
		"ssqd.json": s.Catalog().WriteJSON, "ssqd.xlsx": s.Catalog().WriteXLSX,
		"ssqd.csv": s.Catalog().WriteCSV, "ssqd.materials.csv": s.Catalog().WriteMaterialsCSV,
	}
	for name, write := range exports {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := write(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	const (
		itemMismatch = "11341500MB154286390500302001" // catalogue-mismatch on pc
		itemMaterial = "11341500MB1C5943650100502001" // material-requirement-diff on pc
	)
	// What the prober could not look at (an error of its own, such as axe-core over its time
	// budget on a busy machine) is left out of the comparison on every run: the accessibility
	// rules of the item-channel when axe-core erred, the whole item-channel otherwise.
	erred := map[string]string{} // item channel → the probe that erred ("*" for several)
	sweepWith := func(catalogue string) []string {
		t.Helper()
		out, err := run(t, "sweep", "--base-url", base, "--catalogue", catalogue, "--no-store", "--channels", "pc",
			"--items", strings.Join([]string{itemFee, itemMismatch, itemMaterial}, ","), "--format", "json", "--out", t.TempDir())
		if err != nil {
			t.Fatalf("sweep --catalogue %s: %v\n%s", catalogue, err, out)
		}
		var found []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if m := proberError.FindStringSubmatch(l); m != nil {
				if k := m[1] + " " + m[2]; erred[k] == "" || erred[k] == m[3] {
					erred[k] = m[3]
				} else {
					erred[k] = "*"
				}
			}
			if !strings.HasPrefix(l, "{") {
				continue // the log and the summary
			}
			var f struct {
				Rule        string `json:"rule"`
				ItemCode    string `json:"item_code"`
				Channel     string `json:"channel"`
				Fingerprint string `json:"fingerprint"`
			}
			if err := json.Unmarshal([]byte(l), &f); err != nil {
				t.Fatalf("not a finding: %q", l)
			}
			found = append(found, f.Rule+" "+f.ItemCode+" "+f.Channel+" "+f.Fingerprint)
		}
		return found
	}
	comparable := func(found []string) []string {
		out := slices.DeleteFunc(slices.Clone(found), func(f string) bool {
			p := strings.Fields(f)
			switch erred[p[1]+" "+p[2]] {
			case "":
				return false
			case "a11y":
				return strings.HasPrefix(p[0], "A11Y-")
			}
			return true
		})
		slices.Sort(out)
		return out
	}
	want := sweepWith(filepath.Join(dir, "ssqd.json"))
	for _, must := range []string{"GUIDE-CATALOGUE-MISMATCH " + itemFee + " pc", "GUIDE-CATALOGUE-MISMATCH " + itemMismatch + " pc",
		"GUIDE-MATERIAL-MISMATCH " + itemMaterial + " pc"} {
		if !slices.ContainsFunc(want, func(f string) bool { return strings.HasPrefix(f, must) }) {
			t.Errorf("the JSON sweep lacks %s:\n%s", must, strings.Join(want, "\n"))
		}
	}
	got := map[string][]string{}
	for _, src := range []string{"ssqd.xlsx", "ssqd.csv"} {
		got[src] = sweepWith(filepath.Join(dir, src))
	}
	if len(comparable(want)) < 3 {
		t.Fatalf("the prober erred too much to compare: %v", erred)
	}
	for src, found := range got {
		if g, w := comparable(found), comparable(want); !slices.Equal(g, w) {
			t.Errorf("--catalogue %s:\n%s\nwant (JSON):\n%s", src, strings.Join(g, "\n"), strings.Join(w, "\n"))
		}
	}
}

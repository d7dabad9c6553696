package portalsim

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestCatalogueCommandFormats: `portalsim catalogue` writes each format; CSV also writes the
// materials beside the items; an unknown format is refused.
func TestCatalogueCommandFormats(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) error {
		cmd := NewCommand("portalsim")
		cmd.SetArgs(append([]string{"catalogue"}, args...))
		cmd.SetOut(&bytes.Buffer{})
		return cmd.ExecuteContext(t.Context())
	}
	for _, format := range []string{"json", "csv", "xlsx"} {
		if err := run("--format", format, "--out", filepath.Join(dir, "ssqd."+format)); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
	}
	materials, err := os.ReadFile(filepath.Join(dir, "ssqd.materials.csv"))
	if err != nil || !strings.Contains(string(materials), "事项编码,事项名称,材料名称,材料必要性,空表,样表") {
		t.Errorf("materials beside the CSV: %v, starts %.80q", err, materials)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "ssqd.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 {
		t.Errorf("workbook sheets %v", got)
	}
	if err := run("--format", "yaml"); err == nil || !strings.Contains(err.Error(), "json、csv 或 xlsx") {
		t.Errorf("--format yaml: %v", err)
	}
}

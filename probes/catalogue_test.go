package probes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCatalogueAll reads an export and lists its items by code, as the report form's search
// needs them; an export without items is refused with what was wrong.
func TestCatalogueAll(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ssqd.json")
	doc := `{"title": "六安市实施清单", "items": [
		{"ssqdCode": "11341500MB1234567X4000117002", "name": "失业保险金申领", "unit": "六安市人力资源和社会保障局", "zoneCode": "341500"},
		{"ssqdCode": "11341500MB1234567X4000117001", "name": "个体工商户设立登记", "unit": "六安市市场监督管理局", "zoneCode": "341500",
		 "materials": [{"clmc": "身份证明", "sfby": 1}]}]}`
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := LoadCatalogue(t.Context(), nil, file)
	if err != nil {
		t.Fatal(err)
	}
	all := cat.All()
	if len(all) != 2 || all[0].Name != "个体工商户设立登记" || all[0].Unit != "六安市市场监督管理局" ||
		all[1].Code != "11341500MB1234567X4000117002" || all[0].Materials[0].Requirement != "必要" {
		t.Errorf("All: %+v", all)
	}
	if got := (*Catalogue)(nil).All(); got != nil {
		t.Errorf("a nil catalogue lists %v", got)
	}
	empty := filepath.Join(dir, "empty.json")
	if err := os.WriteFile(empty, []byte(`{"items": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCatalogue(t.Context(), nil, empty); err == nil || !strings.Contains(err.Error(), "没有事项") {
		t.Errorf("an empty export: %v", err)
	}
}

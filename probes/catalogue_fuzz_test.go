package probes

import (
	"strings"
	"testing"
)

// The catalogue readers take files from outside: whatever the bytes, they return a catalogue
// or an error, never panic, and a catalogue they return has items with codes and names. Seeds
// are in testdata/fuzz; run longer with go test -fuzz FuzzCatalogueXLSX ./probes/.

func checkFuzzedCatalogue(t *testing.T, cat *Catalogue, err error) {
	if err != nil {
		if strings.TrimSpace(err.Error()) == "" {
			t.Fatal("an error without a message")
		}
		return
	}
	if cat.Len() == 0 {
		t.Fatal("a catalogue without items was accepted")
	}
	for _, r := range cat.All() {
		if r.Code == "" || r.Name == "" {
			t.Fatalf("an item without code or name: %+v", r)
		}
	}
}

func FuzzCatalogueJSON(f *testing.F) {
	f.Add([]byte(`{"title":"t","items":[{"ssqdCode":"C1","name":"n","materials":[{"clmc":"m","sfby":1}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, err := readJSONCatalogue("ssqd.json", data)
		if err == nil && (cat.Len() == 0 || cat.All()[0].Code == "") {
			t.Fatalf("a catalogue without items or codes was accepted: %+v", cat.All())
		}
	})
}

func FuzzCatalogueCSV(f *testing.F) {
	f.Add([]byte("标题\n事项编码,事项名称,承诺办结时限,是否收费\nC1,n,3个工作日,否\n"), []byte("事项编码,材料名称,材料必要性,空表\nC1,m,容缺后补,是\n"))
	f.Fuzz(func(t *testing.T, items, materials []byte) {
		cat, err := readCSVCatalogue("i.csv", items, "m.csv", materials, CatalogueOptions{Headers: map[string][]string{"承诺办结时限": {"承诺期限"}}})
		checkFuzzedCatalogue(t, cat, err)
	})
}

func FuzzCatalogueXLSX(f *testing.F) {
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, err := readXLSXCatalogue("ssqd.xlsx", data, CatalogueOptions{})
		checkFuzzedCatalogue(t, cat, err)
	})
}

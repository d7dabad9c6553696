package config

import (
	"reflect"
	"strings"
	"testing"
)

// TestCatalogueHeaders reads a header mapping of single names and lists.
func TestCatalogueHeaders(t *testing.T) {
	cfg, err := Parse("tiyan.yaml", []byte("site:\n  catalogue: ssqd.xlsx\n  catalogue_headers:\n    承诺办结时限: [承诺期限, 承诺时限]\n    法定办结时限: 法定期限\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	want := CatalogueHeaders{"承诺办结时限": {"承诺期限", "承诺时限"}, "法定办结时限": {"法定期限"}}
	if !reflect.DeepEqual(cfg.Site.CatalogueHeaders, want) {
		t.Errorf("headers = %v, want %v", cfg.Site.CatalogueHeaders, want)
	}
}

// TestCatalogueHeadersRefused: every mistake of a header mapping is reported at its line:col.
func TestCatalogueHeadersRefused(t *testing.T) {
	doc := `site:
  catalogue_headers:
    承诺时限: 承诺期限
    法定办结时限: [法定期限, {a: b}]
    事项名称: 法定期限
    收费标准: ""
`
	_, err := Parse("tiyan.yaml", []byte(doc), noEnv)
	if err == nil {
		t.Fatal("a bad mapping was accepted")
	}
	for _, want := range []string{
		"tiyan.yaml:3:5: site.catalogue_headers 中的“承诺时限”不是实施清单的标准列名",
		"tiyan.yaml:4:20: site.catalogue_headers.法定办结时限 应为导出文件中的列名",
		"tiyan.yaml:5:11: site.catalogue_headers.事项名称：列名“法定期限”已对应到“法定办结时限”",
		"tiyan.yaml:6:11: site.catalogue_headers.收费标准 应为导出文件中的列名",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
	if _, err := Parse("tiyan.yaml", []byte("site:\n  catalogue_headers: [a]\n"), noEnv); err == nil || !strings.Contains(err.Error(), "tiyan.yaml:2:22:") {
		t.Errorf("a list instead of a mapping: %v", err)
	}
}

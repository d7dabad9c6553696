package probes

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"tiyan/internal/config"
	"tiyan/internal/portalsim/catalog"
)

// writeExports writes the simulator's catalogue (with synthetic items) as JSON, CSV (items and
// materials beside them) and XLSX into dir.
func writeExports(t *testing.T, dir string) {
	t.Helper()
	c, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	c.AddSynthetic(40, 7)
	for name, write := range map[string]func(*bytes.Buffer) error{
		"ssqd.json":           func(b *bytes.Buffer) error { return c.WriteJSON(b) },
		"ssqd.csv":            func(b *bytes.Buffer) error { return c.WriteCSV(b) },
		"ssqd.materials.csv":  func(b *bytes.Buffer) error { return c.WriteMaterialsCSV(b) },
		"ssqd.xlsx":           func(b *bytes.Buffer) error { return c.WriteXLSX(b) },
		"other-materials.csv": func(b *bytes.Buffer) error { return c.WriteMaterialsCSV(b) },
	} {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCatalogueReadersAgree: the JSON, CSV and XLSX exports of one catalogue read into the same
// Catalogue, every element and material of every item.
func TestCatalogueReadersAgree(t *testing.T) {
	dir := t.TempDir()
	writeExports(t, dir)
	load := func(src string) *Catalogue {
		t.Helper()
		cat, err := LoadCatalogue(t.Context(), nil, src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		return cat
	}
	want := load(filepath.Join(dir, "ssqd.json"))
	if want.Len() < 40 || want.Title != "六安市政务服务事项实施清单" {
		t.Fatalf("JSON: %d items, title %q", want.Len(), want.Title)
	}
	for _, src := range []string{
		filepath.Join(dir, "ssqd.csv"),
		filepath.Join(dir, "ssqd.csv") + "," + filepath.Join(dir, "other-materials.csv"),
		filepath.Join(dir, "ssqd.xlsx"),
	} {
		got := load(src)
		if got.Title != want.Title || got.Len() != want.Len() {
			t.Errorf("%s: title %q, %d items; want %q, %d", src, got.Title, got.Len(), want.Title, want.Len())
		}
		for _, w := range want.All() {
			if g := got.Lookup(w.Code); !reflect.DeepEqual(g, w) {
				t.Errorf("%s: item %s\n got %+v\nwant %+v", src, w.Code, g, w)
			}
		}
	}
	first := want.All()[0]
	if len(first.Materials) == 0 || first.Elements["承诺办结时限"] == "" || len(first.Elements) != 15 {
		t.Errorf("the first item reads thin: %+v", first)
	}
}

// workbook builds an XLSX of sheets, each a list of rows.
func workbook(t *testing.T, sheets map[string][][]string, order ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// provincial is a workbook as the provincial system might export it: title rows, a blank row,
// headers with stars, spaces and full-width colons, sheets called otherwise, materials first.
func provincial(promised string) map[string][][]string {
	return map[string][][]string{
		"申请材料清单": {
			{"材料目录"},
			{"实施编码", "材料名称", "必要性", "空表下载", "样表下载"},
			{"C001", "身份证明", "必须提供", "", ""},
			{"C001", "申请书", "容缺后补", "https://example.org/blank.docx", "否"},
			{"C002", "营业执照", "非必要", "无", "有"},
		},
		"事项": {
			{"安徽省政务服务事项实施清单"},
			{"导出时间：2026-12-01"},
			{},
			{"*实施编码", "事项名称 ", "实施机构", "所属区划", "法定期限", "承诺办结时限：", "是否收费", "收费标准", "到现场次数", "是否全程网办"},
			{"C001", "个体工商户设立登记", "六安市市场监督管理局", "六安市（341500000000）", "15个工作日", "3 个工作日", "否", "不收费", "0次", "是"},
			{"C002", "食品经营许可", "六安市市场监督管理局", "341500000000", "２０个工作日", "即办", "否", "不收费", "1", "否"},
			{"C003", "失业保险金申领", "六安市人力资源和社会保障局", "", "即办", promised, "否", "不收费", "0", "否"},
		},
	}
}

// TestCatalogueXLSXProvincial reads a workbook laid out unlike the simulator's, with a header
// name given in the configuration, and refuses a malformed cell naming file, sheet, row and
// column.
func TestCatalogueXLSXProvincial(t *testing.T) {
	opts := CatalogueOptions{Headers: map[string][]string{"法定办结时限": {"法定期限"}}}
	data := workbook(t, provincial("5个自然日"), "申请材料清单", "事项")
	cat, err := readXLSXCatalogue("ssqd.xlsx", data, opts)
	if err != nil {
		t.Fatal(err)
	}
	c1, c2 := cat.Lookup("C001"), cat.Lookup("C002")
	if cat.Title != "安徽省政务服务事项实施清单" || cat.Len() != 3 || c1 == nil || c2 == nil {
		t.Fatalf("catalogue %q with %d items: %+v", cat.Title, cat.Len(), cat.All())
	}
	if c1.Zone != "341500000000" || c1.Elements["承诺办结时限"] != "3个工作日" || c1.Elements["法定办结时限"] != "15个工作日" ||
		!c1.FullyOnline || c1.Visits != 0 || c1.Elements["到现场次数"] != "0次" || c2.Elements["法定办结时限"] != "20个工作日" ||
		c2.Elements["承诺办结时限"] != "即办" || c1.Unit != "六安市市场监督管理局" {
		t.Errorf("C001 %+v\nC002 %+v", c1, c2)
	}
	wantMaterials := []RefMaterial{{Name: "身份证明", Requirement: "必要"}, {Name: "申请书", Requirement: "容缺", Blank: true}}
	if !reflect.DeepEqual(c1.Materials, wantMaterials) || !reflect.DeepEqual(c2.Materials, []RefMaterial{{Name: "营业执照", Requirement: "可选", Sample: true}}) {
		t.Errorf("materials C001 %+v, C002 %+v", c1.Materials, c2.Materials)
	}
	if _, ok := c1.Elements["办理地点"]; ok {
		t.Errorf("a column the workbook lacks is an element: %+v", c1.Elements)
	}

	_, err = readXLSXCatalogue("ssqd.xlsx", workbook(t, provincial("五天"), "申请材料清单", "事项"), opts)
	want := "ssqd.xlsx 工作表“事项”第 7 行 第 F 列（承诺办结时限）：“五天”无法识别为时限，应为如“5个工作日”或“即办”"
	if err == nil || err.Error() != want {
		t.Errorf("a bad time limit:\n got %v\nwant %s", err, want)
	}
	plain, err := readXLSXCatalogue("ssqd.xlsx", data, CatalogueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := plain.Lookup("C001").Elements["法定办结时限"]; ok {
		t.Errorf("without the header mapping 法定期限 is still read as 法定办结时限: %q", v)
	}
}

// TestCatalogueCSVErrors: each malformed CSV is refused with where and what was expected.
func TestCatalogueCSVErrors(t *testing.T) {
	items := "事项编码,事项名称,承诺办结时限,是否收费\nC001,个体工商户设立登记,3个工作日,否\n"
	materials := "事项编码,材料名称,材料必要性\nC001,身份证明,必要\n"
	for name, tc := range map[string]struct{ items, materials, want string }{
		"unknown item":      {items, materials + "C009,申请书,必要\n", "m.csv 第 3 行 第 A 列（事项编码）：“C009”不在事项表中"},
		"bad requirement":   {items, materials + "C001,申请书,看情况\n", "m.csv 第 3 行 第 C 列（材料必要性）：“看情况”无法识别，应为“必要”“容缺”或“可选”"},
		"bad fee":           {items + "C002,食品经营许可,即办,收一点\n", materials, "i.csv 第 3 行 第 D 列（是否收费）：“收一点”无法识别，应为“是”或“否”"},
		"duplicate code":    {items + "C001,重复,即办,否\n", materials, "i.csv 第 3 行 第 A 列（事项编码）：“C001”重复：第 2 行已有此事项编码"},
		"empty name":        {items + "C002,,即办,否\n", materials, "i.csv 第 3 行 第 B 列（事项名称）：不能为空"},
		"no header":         {"编码,名称\nC001,x\n", materials, "i.csv：前 20 行中没有找到表头"},
		"no items":          {"事项编码,事项名称\n", materials, "i.csv：表头下没有事项"},
		"twice one column":  {"事项编码,事项名称,实施编码\n", materials, "i.csv 第 1 行 第 C 列（实施编码）：与第 A 列都是“事项编码”"},
		"broken quotes":     {items + "C002,\"食品\"经营\",即办,否\n", materials, "i.csv 第 3 行 第 "},
		"no materials head": {items, "编码,名称\n", "m.csv：前 20 行中没有找到表头"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := readCSVCatalogue("i.csv", []byte(tc.items), "m.csv", []byte(tc.materials), CatalogueOptions{})
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("got %v\nwant it to start %s", err, tc.want)
			}
		})
	}
}

// TestCatalogueCSVFromExcel reads a CSV saved by a Chinese Excel: GB18030, found beside its
// materials by the sibling convention.
func TestCatalogueCSVFromExcel(t *testing.T) {
	dir := t.TempDir()
	enc := simplifiedchinese.GB18030.NewEncoder()
	items, _ := enc.String("实施清单\n事项编码,事项名称,承诺办结时限\nC001,个体工商户设立登记,3个工作日\n")
	materials, _ := enc.String("事项编码,材料名称,材料必要性,空表\nC001,身份证明,必要,是\n")
	if err := os.WriteFile(filepath.Join(dir, "qd.csv"), []byte(items), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCatalogue(t.Context(), nil, filepath.Join(dir, "qd.csv")); err == nil || !strings.Contains(err.Error(), "qd.materials.csv") {
		t.Errorf("without its materials file: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "qd.materials.csv"), []byte(materials), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := LoadCatalogue(t.Context(), nil, filepath.Join(dir, "qd.csv"))
	if err != nil {
		t.Fatal(err)
	}
	c1 := cat.Lookup("C001")
	if cat.Title != "实施清单" || c1 == nil || c1.Name != "个体工商户设立登记" || c1.Elements["承诺办结时限"] != "3个工作日" ||
		!reflect.DeepEqual(c1.Materials, []RefMaterial{{Name: "身份证明", Requirement: "必要", Blank: true}}) {
		t.Errorf("read %q: %+v", cat.Title, c1)
	}
}

// TestCatalogueBounds: a file over the size bound and a table over the row bound are refused
// with a message, not read into memory without end.
func TestCatalogueBounds(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxCatalogueBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := LoadCatalogue(t.Context(), nil, big); err == nil || !strings.Contains(err.Error(), "超过 64 MB 上限") {
		t.Errorf("an oversized file: %v", err)
	}
	var rows strings.Builder
	rows.WriteString("事项编码,事项名称\n")
	for i := range maxCatalogueRows + 1 {
		rows.WriteString("C")
		rows.WriteString(strings.Repeat("x", i%7))
		rows.WriteString(",n\n")
	}
	_, err = readCSVCatalogue("i.csv", []byte(rows.String()), "m.csv", []byte("事项编码,材料名称,材料必要性\n"), CatalogueOptions{})
	if err == nil || !strings.Contains(err.Error(), "重复") && !strings.Contains(err.Error(), "行上限") {
		t.Errorf("too many rows: %v", err)
	}
}

// TestConfigKnowsCatalogueFields: catalogue_headers in tiyan.yaml is validated against the
// same standard headers these readers know.
func TestConfigKnowsCatalogueFields(t *testing.T) {
	if got := CatalogueFields(); !reflect.DeepEqual(got, config.CatalogueFields) {
		t.Errorf("probes reads %v\nconfig accepts %v", got, config.CatalogueFields)
	}
}

// TestCatalogueWords reads cells as people write them, and refuses what cannot be read.
func TestCatalogueWords(t *testing.T) {
	for in, want := range map[string]string{"必要": "必要", " 必须提供 ": "必要", "容缺后补": "容缺", "非必要": "可选", "3": "可选", "看情况": ""} {
		if got, _ := requirementWord(in); got != want {
			t.Errorf("requirementWord(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"5个工作日": "5个工作日", "２０ 个工作日": "20个工作日", "30自然日": "30个自然日", "即办": "即办", "五天": "", "5天": "", "": ""} {
		if got, _ := limitWord(in); got != want {
			t.Errorf("limitWord(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]int{"0": 0, "1次": 1, " ２ 次": 2, "-1": -1, "一次": -1} {
		got, ok := visitsWord(in)
		if !ok {
			got = -1
		}
		if got != want {
			t.Errorf("visitsWord(%q) = %d, want %d", in, got, want)
		}
	}
}

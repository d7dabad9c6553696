package catalog

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestJSONRoundTrip(t *testing.T) {
	c := mustLoad(t)
	c.AddSynthetic(200, 7)
	var buf bytes.Buffer
	if err := c.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Items(), c.Items()) {
		t.Fatal("items read back differ from the items written")
	}
	// Growing the read-back catalogue continues where the export left off.
	c.AddSynthetic(10, 8)
	back.AddSynthetic(10, 8)
	if !reflect.DeepEqual(back.Items(), c.Items()) {
		t.Error("AddSynthetic after ReadJSON does not continue the numbering")
	}
}

func TestReadJSONRejectsBadInput(t *testing.T) {
	c := mustLoad(t)
	var buf bytes.Buffer
	if err := c.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string]string{
		"unknown key": strings.Replace(buf.String(), `"title"`, `"titel"`, 1),
		"not json":    "<html>",
	} {
		if _, err := ReadJSON(strings.NewReader(doc)); err == nil {
			t.Errorf("%s: ReadJSON accepted it", name)
		}
	}

	broken := c.Items()
	broken[3].Conditions = ""
	buf.Reset()
	if err := newCatalog(broken).WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	_, err := ReadJSON(&buf)
	if err == nil || !strings.Contains(err.Error(), broken[3].Name) || !strings.Contains(err.Error(), "受理条件") {
		t.Errorf("ReadJSON of an item without 受理条件: %v, want an error naming item and element", err)
	}
}

func TestWriteCSV(t *testing.T) {
	c := mustLoad(t)
	var buf bytes.Buffer
	if err := c.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	data, ok := bytes.CutPrefix(buf.Bytes(), []byte("\ufeff"))
	if !ok {
		t.Fatal("CSV does not start with a UTF-8 BOM")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(records[0], []string{exportTitle}) || !slices.Equal(records[1], csvHeader) || len(csvHeader) != 21 {
		t.Errorf("title and header = %v, %v", records[0], records[1])
	}
	if len(records) != c.Len()+2 {
		t.Fatalf("%d records, want title, header + %d items", len(records), c.Len())
	}
	row := records[2]
	first := c.Items()[0]
	if row[0] != first.Code || row[1] != first.Name || row[3] != "六安市（341500000000）" || row[4] != "个人" {
		t.Errorf("first row starts %v", row[:5])
	}
	wantMaterial := first.Materials[0].Name + "[必要;原件1份;复印件0份]"
	if !strings.HasPrefix(row[18], wantMaterial) || strings.Count(row[18], "；") != len(first.Materials)-1 {
		t.Errorf("materials cell = %q, want it to start %q", row[18], wantMaterial)
	}
	if got := strings.Count(row[19], "\n") + 1; got != len(first.Process) {
		t.Errorf("process cell has %d lines, want %d", got, len(first.Process))
	}
	if want := yesNo(first.Online); row[20] != want {
		t.Errorf("是否网上办理 = %q, want %q", row[20], want)
	}
}

// TestWriteMaterialsCSV: one material per row, joined to its item by 事项编码, in the
// catalogue's order.
func TestWriteMaterialsCSV(t *testing.T) {
	c := mustLoad(t)
	var buf bytes.Buffer
	if err := c.WriteMaterialsCSV(&buf); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, it := range c.Items() {
		n += len(it.Materials)
	}
	first, m := c.Items()[0], c.Items()[0].Materials[0]
	if !slices.Equal(records[0], materialsHeader) || len(records) != n+1 {
		t.Fatalf("header %v and %d rows, want %d materials", records[0], len(records)-1, n)
	}
	if want := []string{first.Code, first.Name, m.Name, m.Requirement.Label(), yesNo(m.BlankForm), yesNo(m.Sample)}; !slices.Equal(records[1][:6], want) {
		t.Errorf("first material row %v, want %v", records[1][:6], want)
	}
}

// TestWriteXLSX: the workbook has the items under a title row on 事项 and the materials on 材料.
func TestWriteXLSX(t *testing.T) {
	c := mustLoad(t)
	var buf bytes.Buffer
	if err := c.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{itemsSheet, materialsSheet}) {
		t.Errorf("sheets %v", got)
	}
	items, err := f.GetRows(itemsSheet)
	if err != nil {
		t.Fatal(err)
	}
	first := c.Items()[0]
	if len(items) != c.Len()+2 || items[0][0] != exportTitle || !slices.Equal(items[1], csvHeader) ||
		items[2][0] != first.Code || items[2][8] != first.PromisedLimit.String() {
		t.Errorf("%d rows; title %v, header %v, first %v", len(items), items[0], items[1], items[2][:9])
	}
	materials, err := f.GetRows(materialsSheet)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(materials[0], materialsHeader) || materials[1][2] != first.Materials[0].Name {
		t.Errorf("materials sheet starts %v, %v", materials[0], materials[1])
	}
}

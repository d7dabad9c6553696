package catalog

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"slices"
	"strings"
	"testing"
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
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(records[0], csvHeader) || len(csvHeader) != 20 {
		t.Errorf("header = %v", records[0])
	}
	if len(records) != c.Len()+1 {
		t.Fatalf("%d records, want header + %d items", len(records), c.Len())
	}
	row := records[1]
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
}

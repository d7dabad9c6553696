package catalog

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Sheet names of the workbook WriteXLSX writes. Readers find the tables by their headers, not by
// these names: the provincial export names its sheets as it likes.
const (
	itemsSheet     = "事项"
	materialsSheet = "材料"
)

// WriteXLSX writes the 实施清单 as an Excel workbook, the format the provincial system exports:
// the items on a sheet 事项 under a title row, their materials on a sheet 材料, one per row.
func (c *Catalog) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", itemsSheet); err != nil {
		return fmt.Errorf("write catalogue xlsx: %w", err)
	}
	if _, err := f.NewSheet(materialsSheet); err != nil {
		return fmt.Errorf("write catalogue xlsx: %w", err)
	}
	items := [][]string{{exportTitle}, csvHeader}
	for i := range c.items {
		items = append(items, csvRow(&c.items[i]))
	}
	if err := writeSheet(f, itemsSheet, items); err != nil {
		return err
	}
	if err := writeSheet(f, materialsSheet, append([][]string{materialsHeader}, c.materialRows()...)); err != nil {
		return err
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write catalogue xlsx: %w", err)
	}
	return nil
}

// writeSheet streams rows of text cells into a sheet, so that a catalogue of ten thousand
// synthetic items does not build a cell tree in memory. Every cell is text: 事项编码 and phone
// numbers must not turn into numbers.
func writeSheet(f *excelize.File, sheet string, rows [][]string) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("write catalogue xlsx: sheet %s: %w", sheet, err)
	}
	for i, row := range rows {
		cells := make([]any, len(row))
		for j, v := range row {
			cells[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return fmt.Errorf("write catalogue xlsx: sheet %s row %d: %w", sheet, i+1, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write catalogue xlsx: sheet %s: %w", sheet, err)
	}
	return nil
}

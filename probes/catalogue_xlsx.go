package probes

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/xuri/excelize/v2"
)

// An XLSX 实施清单 is one workbook: a sheet of items and a sheet of materials, found by their
// headers whatever the sheets are called.

// Unzipped bounds of a workbook: a small file may inflate to far more (a zip bomb).
const (
	maxXLSXUnzipped    = 512 << 20
	maxXLSXInMemoryXML = 16 << 20 // larger sheets are spooled to a temporary file
)

// readXLSXCatalogue reads a workbook's items sheet and materials sheet.
func readXLSXCatalogue(name string, data []byte, opts CatalogueOptions) (*Catalogue, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxXLSXUnzipped, UnzipXMLSizeLimit: maxXLSXInMemoryXML})
	if err != nil {
		return nil, &CatalogueError{File: name, Msg: fmt.Sprintf("不是有效的 XLSX 工作簿（%v）：请用 Excel 另存为 .xlsx 后再试", err)}
	}
	defer f.Close()
	itemsSheet, materialsSheet, err := findSheets(f, name, opts)
	if err != nil {
		return nil, err
	}
	ib := newItemsBuilder(tableSource{File: name, Sheet: itemsSheet}, opts.Headers)
	if err := readSheetRows(f, name, itemsSheet, ib.row); err != nil {
		return nil, err
	}
	if err := ib.done(); err != nil {
		return nil, err
	}
	mb := newMaterialsBuilder(tableSource{File: name, Sheet: materialsSheet}, opts.Headers, ib.items)
	if err := readSheetRows(f, name, materialsSheet, mb.row); err != nil {
		return nil, err
	}
	return catalogueOf(ib, mb)
}

// findSheets picks the first sheet whose header is the items table's and the first whose
// header is the materials table's.
func findSheets(f *excelize.File, name string, opts CatalogueOptions) (items, materials string, err error) {
	for _, sheet := range f.GetSheetList() {
		ib := newItemsBuilder(tableSource{File: name, Sheet: sheet}, opts.Headers)
		mb := newMaterialsBuilder(tableSource{File: name, Sheet: sheet}, opts.Headers, nil)
		err := readSheetRows(f, name, sheet, func(row int, cells []string) error {
			if row > headerSearchRows || ib.header != nil || mb.header != nil {
				return errStopRows
			}
			if found, _ := mb.findHeader(row, cells); found {
				return errStopRows
			}
			_, _ = ib.findHeader(row, cells)
			return nil
		})
		if err != nil && !errors.Is(err, errStopRows) {
			return "", "", err
		}
		switch {
		case mb.header != nil && materials == "":
			materials = sheet
		case ib.header != nil && items == "":
			items = sheet
		}
	}
	switch {
	case items == "":
		return "", "", &CatalogueError{File: name, Msg: "没有找到事项表：应有一个工作表，前 20 行中有“事项编码”“事项名称”等列的表头"}
	case materials == "":
		return "", "", &CatalogueError{File: name, Msg: "没有找到材料表：应有一个工作表，前 20 行中有“事项编码”“材料名称”“材料必要性”等列的表头"}
	}
	return items, materials, nil
}

// errStopRows ends a sheet's rows early.
var errStopRows = errors.New("stop reading rows")

// readSheetRows feeds each row of a sheet to row with its 1-based number, streaming.
func readSheetRows(f *excelize.File, name, sheet string, row func(int, []string) error) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return &CatalogueError{File: name, Sheet: sheet, Msg: fmt.Sprintf("无法读取（%v）", err)}
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns()
		if err != nil {
			return &CatalogueError{File: name, Sheet: sheet, Row: n, Msg: fmt.Sprintf("无法读取（%v）", err)}
		}
		if err := row(n, cells); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return &CatalogueError{File: name, Sheet: sheet, Msg: fmt.Sprintf("无法读取（%v）", err)}
	}
	return nil
}

package probes

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// A CSV 实施清单 is two files: the items, and their materials beside them. Name both
// (--catalogue items.csv,materials.csv), or name the items only and keep the materials in the
// sibling file NAME.materials.csv (ssqd.csv → ssqd.materials.csv).

// csvPair splits a CSV source into its items and materials sources.
func csvPair(src string) (items, materials string) {
	if a, b, ok := strings.Cut(src, ","); ok && isCSVName(a) && isCSVName(b) {
		return strings.TrimSpace(a), strings.TrimSpace(b)
	}
	return src, materialsSibling(src)
}

func isCSVName(s string) bool {
	return strings.HasSuffix(strings.ToLower(strings.TrimSpace(stripQuery(s))), ".csv")
}

func stripQuery(s string) string {
	s, _, _ = strings.Cut(s, "?")
	return s
}

// materialsSibling is the materials file beside an items file: ssqd.csv → ssqd.materials.csv.
func materialsSibling(src string) string {
	base, query, hasQuery := strings.Cut(src, "?")
	ext := path.Ext(base)
	out := strings.TrimSuffix(base, ext) + ".materials" + ext
	if ext == "" {
		out = base + ".materials.csv"
	}
	if hasQuery {
		out += "?" + query
	}
	return out
}

// readCSVCatalogue reads a CSV items table and its materials table.
func readCSVCatalogue(itemsName string, items []byte, materialsName string, materials []byte, opts CatalogueOptions) (*Catalogue, error) {
	ib := newItemsBuilder(tableSource{File: itemsName}, opts.Headers)
	if err := readCSVRows(itemsName, items, ib.row); err != nil {
		return nil, err
	}
	if err := ib.done(); err != nil {
		return nil, err
	}
	mb := newMaterialsBuilder(tableSource{File: materialsName}, opts.Headers, ib.items)
	if err := readCSVRows(materialsName, materials, mb.row); err != nil {
		return nil, err
	}
	return catalogueOf(ib, mb)
}

// readCSVRows feeds each record to row with its 1-based line. Files saved by Excel in China are
// often GB18030 rather than UTF-8; those are decoded first.
func readCSVRows(name string, data []byte, row func(int, []string) error) error {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		decoded, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return &CatalogueError{File: name, Msg: "既不是 UTF-8 也不是 GB18030 编码的文本：应为实施清单导出的 CSV 文件"}
		}
		data = decoded
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return &CatalogueError{File: name, Row: pe.Line, Col: pe.Column, Msg: fmt.Sprintf("CSV 格式错误（%v）：引号应成对，字段中的引号应写成两个", pe.Err)}
			}
			return &CatalogueError{File: name, Msg: fmt.Sprintf("读取 CSV 失败：%v", err)}
		}
		line, _ := r.FieldPos(0)
		if err := row(line, rec); err != nil {
			return err
		}
	}
}

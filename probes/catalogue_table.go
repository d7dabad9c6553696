package probes

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// A 实施清单 as tables (CSV files, XLSX sheets): an items table, one item per row, and a
// materials table, one material per row joined to its item by 事项编码. Columns are found by
// their header, which may sit below title rows; a header cell names a column after spaces and
// punctuation are dropped, by its standard name, a common alias, or a name of catalogue_headers.

// itemColumns are the items table's columns, by standard header, with the names exports also
// use. 事项编码 and 事项名称 are required; a missing optional column leaves its element unknown,
// so guides are not compared on it.
var itemColumns = []tableColumn{
	{Name: "事项编码", Aliases: []string{"实施编码", "实施清单编码", "事项代码", "实施编码事项编码"}, Required: true},
	{Name: "事项名称", Aliases: []string{"实施清单名称", "实施事项名称"}, Required: true},
	{Name: "实施主体", Aliases: []string{"实施机构", "办理部门"}},
	{Name: "行政区划", Aliases: []string{"行政区划代码", "区划代码", "所属区划"}},
	{Name: "设定依据"},
	{Name: "受理条件"},
	{Name: "法定办结时限"},
	{Name: "承诺办结时限"},
	{Name: "是否收费"},
	{Name: "收费标准", Aliases: []string{"收费依据及标准"}},
	{Name: "办理形式"},
	{Name: "办理地点", Aliases: []string{"办理地址"}},
	{Name: "办理时间"},
	{Name: "咨询电话", Aliases: []string{"咨询方式"}},
	{Name: "监督投诉电话", Aliases: []string{"监督电话", "投诉电话", "监督投诉方式"}},
	{Name: "是否网上办理", Aliases: []string{"是否在线办理", "是否可网上办理", "是否网办"}},
	{Name: "是否全程网办"},
	{Name: "到现场次数", Aliases: []string{"到办事现场次数", "跑动次数"}},
}

// materialColumns are the materials table's columns.
var materialColumns = []tableColumn{
	{Name: "事项编码", Aliases: []string{"实施编码", "实施清单编码", "事项代码"}, Required: true},
	{Name: "材料名称", Required: true},
	{Name: "材料必要性", Aliases: []string{"必要性", "是否必要", "必要性要求", "材料要求"}, Required: true},
	{Name: "空表", Aliases: []string{"空表下载", "空白表格", "是否有空表"}},
	{Name: "样表", Aliases: []string{"样表下载", "示例样表", "示范文本", "是否有样表"}},
}

type tableColumn struct {
	Name     string
	Aliases  []string
	Required bool
}

// CatalogueFields are the standard column headers of the 实施清单 tables, items then materials:
// the keys catalogue_headers may give other names to.
func CatalogueFields() []string {
	var out []string
	for _, c := range append(slices.Clone(itemColumns), materialColumns...) {
		if !slices.Contains(out, c.Name) {
			out = append(out, c.Name)
		}
	}
	return out
}

// Bounds of what a catalogue reader takes in.
const (
	maxCatalogueRows = 200_000 // per table
	headerSearchRows = 20      // title rows above the header
)

// tableSource is where a table came from, for messages: a file, and a sheet in a workbook.
type tableSource struct {
	File, Sheet string
}

// CatalogueError is a malformed 实施清单 table: its file, sheet, row and column, and what was
// expected there.
type CatalogueError struct {
	File, Sheet string
	Row, Col    int    // 1-based; 0 when the error has no row or column
	Header      string // the column's header as written
	Msg         string
}

func (e *CatalogueError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Sheet != "" {
		fmt.Fprintf(&b, " 工作表“%s”", e.Sheet)
	}
	if e.Row > 0 {
		if e.Sheet == "" {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "第 %d 行", e.Row)
	}
	if e.Col > 0 {
		fmt.Fprintf(&b, " 第 %s 列", columnLetters(e.Col))
		if e.Header != "" {
			fmt.Fprintf(&b, "（%s）", e.Header)
		}
	}
	b.WriteString("：")
	b.WriteString(e.Msg)
	return b.String()
}

// columnLetters names a column as spreadsheets do: 1 A, 26 Z, 27 AA.
func columnLetters(n int) string {
	s := ""
	for n > 0 {
		n--
		s = string(rune('A'+n%26)) + s
		n /= 26
	}
	return s
}

// headerIndex maps folded header names to standard column names.
type headerIndex map[string]string

func newHeaderIndex(cols []tableColumn, extra map[string][]string) headerIndex {
	idx := headerIndex{}
	for _, c := range cols {
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			idx[foldCell(n)] = c.Name
		}
		for _, n := range extra[c.Name] {
			idx[foldCell(n)] = c.Name
		}
	}
	return idx
}

// table is a table whose header row has been found: rows are read through it.
type table struct {
	src     tableSource
	cols    []tableColumn
	index   headerIndex
	header  map[string]int    // standard name → 0-based column
	written map[string]string // standard name → the header as written
	rows    int               // data rows seen, for the row bound
}

// findHeader tries a row as the header row: it is one when every required column is there.
// It returns whether it is, or an error for a header that names one column twice.
func (t *table) findHeader(rowNum int, cells []string) (bool, error) {
	header, written := map[string]int{}, map[string]string{}
	for i, cell := range cells {
		name, ok := t.index[foldCell(cell)]
		if !ok {
			continue
		}
		if j, dup := header[name]; dup {
			return false, t.errAt(rowNum, i+1, cell, fmt.Sprintf("与第 %s 列都是“%s”，一列只能出现一次", columnLetters(j+1), name))
		}
		header[name], written[name] = i, strings.TrimFunc(cell, func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
		})
	}
	for _, c := range t.cols {
		if _, ok := header[c.Name]; c.Required && !ok {
			return false, nil
		}
	}
	t.header, t.written = header, written
	return true, nil
}

// missingHeader is the error for a table whose header was not in its first rows.
func (t *table) missingHeader() error {
	var names []string
	for _, c := range t.cols {
		if c.Required {
			names = append(names, "“"+c.Name+"”")
		}
	}
	return &CatalogueError{File: t.src.File, Sheet: t.src.Sheet, Msg: fmt.Sprintf(
		"前 %d 行中没有找到表头（应有%s等列；列名不同时可在 tiyan.yaml 的 site.catalogue_headers 中对应）",
		headerSearchRows, strings.Join(names, ""))}
}

// cell is the trimmed text of a column in a row, and whether the table has the column.
func (t *table) cell(cells []string, name string) (string, bool) {
	i, ok := t.header[name]
	if !ok {
		return "", false
	}
	if i >= len(cells) {
		return "", true
	}
	return strings.TrimSpace(cells[i]), true
}

func (t *table) errAt(row, col int, header, msg string) error {
	return &CatalogueError{File: t.src.File, Sheet: t.src.Sheet, Row: row, Col: col, Header: strings.TrimSpace(header), Msg: msg}
}

// errCell is the error for a column's cell in a row.
func (t *table) errCell(row int, name, value, msg string) error {
	if value != "" {
		msg = quoteCell(value) + msg
	}
	return t.errAt(row, t.header[name]+1, t.written[name], msg)
}

// countRow applies the row bound.
func (t *table) countRow(row int) error {
	t.rows++
	if t.rows > maxCatalogueRows {
		return t.errAt(row, 0, "", fmt.Sprintf("超过 %d 行上限：请按行政区划或部门分开导出", maxCatalogueRows))
	}
	return nil
}

func blankRow(cells []string) bool {
	return !slices.ContainsFunc(cells, func(c string) bool { return strings.TrimSpace(c) != "" })
}

// itemsBuilder reads item rows into references.
type itemsBuilder struct {
	table
	title string
	items map[string]*Reference
	order []string
	at    map[string]int // code → row, for duplicates
}

func newItemsBuilder(src tableSource, headers map[string][]string) *itemsBuilder {
	return &itemsBuilder{
		table: table{src: src, cols: itemColumns, index: newHeaderIndex(itemColumns, headers)},
		items: map[string]*Reference{}, at: map[string]int{},
	}
}

// row takes one row of the table; before the header row is found, rows are title rows.
func (b *itemsBuilder) row(rowNum int, cells []string) error {
	if b.header == nil {
		return b.beforeHeader(rowNum, cells)
	}
	if blankRow(cells) {
		return nil
	}
	if err := b.countRow(rowNum); err != nil {
		return err
	}
	ref, err := b.reference(rowNum, cells)
	if err != nil {
		return err
	}
	if first, dup := b.at[ref.Code]; dup {
		v, _ := b.cell(cells, "事项编码")
		return b.errCell(rowNum, "事项编码", v, fmt.Sprintf("重复：第 %d 行已有此事项编码", first))
	}
	b.at[ref.Code] = rowNum
	b.items[ref.Code] = ref
	return nil
}

func (b *itemsBuilder) beforeHeader(rowNum int, cells []string) error {
	found, err := b.findHeader(rowNum, cells)
	switch {
	case err != nil:
		return err
	case found:
		return nil
	case rowNum >= headerSearchRows:
		return b.missingHeader()
	}
	if b.title == "" {
		if i := slices.IndexFunc(cells, func(c string) bool { return strings.TrimSpace(c) != "" }); i >= 0 {
			b.title = strings.TrimSpace(cells[i])
		}
	}
	return nil
}

// textElements are the elements whose cell is taken as written.
var textElements = []string{"实施主体", "设定依据", "受理条件", "收费标准", "办理形式", "办理地点", "办理时间", "咨询电话", "监督投诉电话"}

// reference reads an item row. The elements are those of the JSON export, so that a guide
// compares the same against either.
func (b *itemsBuilder) reference(rowNum int, cells []string) (*Reference, error) {
	ref := &Reference{Elements: map[string]string{}}
	code, _ := b.cell(cells, "事项编码")
	name, _ := b.cell(cells, "事项名称")
	switch {
	case code == "":
		return nil, b.errCell(rowNum, "事项编码", "", expectNotEmpty)
	case name == "":
		return nil, b.errCell(rowNum, "事项名称", "", expectNotEmpty)
	}
	ref.Code, ref.Name, ref.Elements["事项名称"] = code, name, name
	for _, el := range textElements {
		if v, ok := b.cell(cells, el); ok {
			ref.Elements[el] = v
		}
	}
	ref.Unit = ref.Elements["实施主体"]
	for _, read := range []func(int, []string, *Reference) error{b.readZone, b.readLimits, b.readFlags, b.readVisits} {
		if err := read(rowNum, cells, ref); err != nil {
			return nil, err
		}
	}
	return ref, nil
}

func (b *itemsBuilder) readZone(rowNum int, cells []string, ref *Reference) error {
	v, ok := b.cell(cells, "行政区划")
	if !ok || v == "" {
		return nil
	}
	zone, ok := zoneWord(v)
	if !ok {
		return b.errCell(rowNum, "行政区划", v, "无法识别为行政区划，"+expectZone)
	}
	ref.Zone = zone
	return nil
}

func (b *itemsBuilder) readLimits(rowNum int, cells []string, ref *Reference) error {
	for _, el := range []string{"法定办结时限", "承诺办结时限"} {
		v, ok := b.cell(cells, el)
		if !ok {
			continue
		}
		limit, ok := limitWord(v)
		if !ok {
			return b.errCell(rowNum, el, v, "无法识别为时限，"+expectLimit)
		}
		ref.Elements[el] = limit
	}
	return nil
}

// readFlags reads the 是/否 columns: 是否收费 and 是否全程网办 are elements; 是否网上办理 and
// 是否全程网办 are what the item promises.
func (b *itemsBuilder) readFlags(rowNum int, cells []string, ref *Reference) error {
	for _, el := range []string{"是否收费", "是否网上办理", "是否全程网办"} {
		v, ok := b.cell(cells, el)
		if !ok {
			continue
		}
		yes, ok := yesNoWord(v)
		if !ok {
			return b.errCell(rowNum, el, v, "无法识别，"+expectYesNo)
		}
		switch el {
		case "是否网上办理":
			ref.Online = yes
		case "是否全程网办":
			ref.FullyOnline = yes
			ref.Elements[el] = yesNo(yes)
		default:
			ref.Elements[el] = yesNo(yes)
		}
	}
	return nil
}

func (b *itemsBuilder) readVisits(rowNum int, cells []string, ref *Reference) error {
	v, ok := b.cell(cells, "到现场次数")
	if !ok {
		return nil
	}
	n, ok := visitsWord(v)
	if !ok {
		return b.errCell(rowNum, "到现场次数", v, "无法识别，"+expectVisits)
	}
	ref.Visits, ref.Elements["到现场次数"] = n, strconv.Itoa(n)+"次"
	return nil
}

// materialsBuilder reads material rows onto the items they name.
type materialsBuilder struct {
	table
	items map[string]*Reference
}

func newMaterialsBuilder(src tableSource, headers map[string][]string, items map[string]*Reference) *materialsBuilder {
	return &materialsBuilder{table: table{src: src, cols: materialColumns, index: newHeaderIndex(materialColumns, headers)}, items: items}
}

func (b *materialsBuilder) row(rowNum int, cells []string) error {
	if b.header == nil {
		found, err := b.findHeader(rowNum, cells)
		if err == nil && !found && rowNum >= headerSearchRows {
			err = b.missingHeader()
		}
		return err
	}
	if blankRow(cells) {
		return nil
	}
	if err := b.countRow(rowNum); err != nil {
		return err
	}
	code, _ := b.cell(cells, "事项编码")
	ref := b.items[code]
	if ref == nil {
		return b.errCell(rowNum, "事项编码", code, "不在事项表中：材料应属于事项表所列的事项")
	}
	m, err := b.material(rowNum, cells)
	if err != nil {
		return err
	}
	ref.Materials = append(ref.Materials, m)
	return nil
}

func (b *materialsBuilder) material(rowNum int, cells []string) (RefMaterial, error) {
	var m RefMaterial
	if m.Name, _ = b.cell(cells, "材料名称"); m.Name == "" {
		return m, b.errCell(rowNum, "材料名称", "", expectNotEmpty)
	}
	v, _ := b.cell(cells, "材料必要性")
	req, ok := requirementWord(v)
	if !ok {
		return m, b.errCell(rowNum, "材料必要性", v, "无法识别，"+expectReq)
	}
	m.Requirement = req
	for _, col := range []string{"空表", "样表"} {
		v, _ := b.cell(cells, col)
		has, ok := offered(v)
		if !ok {
			return m, b.errCell(rowNum, col, v, "无法识别，"+expectYesNo+"（或下载地址）")
		}
		if col == "空表" {
			m.Blank = has
		} else {
			m.Sample = has
		}
	}
	return m, nil
}

// offered reads a 空表 or 样表 cell: 是/否, a download link, or blank for none.
func offered(v string) (has, ok bool) {
	switch {
	case v == "":
		return false, true
	case strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://"):
		return true, true
	}
	return yesNoWord(v)
}

// done checks the items table once its rows are read: it had a header and items under it.
func (b *itemsBuilder) done() error {
	if b.header == nil {
		return b.missingHeader()
	}
	if len(b.items) == 0 {
		return &CatalogueError{File: b.src.File, Sheet: b.src.Sheet, Msg: "表头下没有事项"}
	}
	return nil
}

// catalogueOf makes the catalogue of the tables read.
func catalogueOf(items *itemsBuilder, materials *materialsBuilder) (*Catalogue, error) {
	if materials.header == nil {
		return nil, materials.missingHeader()
	}
	return &Catalogue{Title: items.title, items: items.items}, nil
}

package catalog

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// export is the file WriteJSON writes and ReadJSON reads.
type export struct {
	Title         string         `json:"title"`
	Standard      string         `json:"standard"`
	Jurisdictions []Jurisdiction `json:"jurisdictions"`
	Items         []Item         `json:"items"`
}

const exportTitle = "六安市政务服务事项实施清单"

// WriteJSON writes the catalogue as the authoritative 实施清单 that guide-accuracy rules compare
// guide pages against. ReadJSON reads it back.
func (c *Catalog) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	doc := export{Title: exportTitle, Standard: "GB/T 39046-2020", Jurisdictions: Jurisdictions(), Items: c.items}
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write catalogue json: %w", err)
	}
	return nil
}

// ReadJSON loads a catalogue written by WriteJSON, so a prober can compare guides against an
// export without the simulator. Unknown keys and invalid items are errors.
func ReadJSON(r io.Reader) (*Catalog, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var doc export
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("read catalogue json: %w", err)
	}
	c := newCatalog(doc.Items)
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("read catalogue json: invalid items:\n%w", err)
	}
	return c, nil
}

// csvHeader names the GB/T 39046 elements of the 实施清单, in Chinese for the staff who open it.
var csvHeader = []string{
	"事项编码", "事项名称", "实施主体", "行政区划", "服务对象", "设定依据", "受理条件",
	"法定办结时限", "承诺办结时限", "是否收费", "收费标准", "办理形式", "办理地点", "办理时间",
	"咨询电话", "监督投诉电话", "到现场次数", "是否全程网办", "申请材料", "办理流程", "是否网上办理",
}

// materialsHeader names the columns of the materials table (the CSV file beside the items, the
// second sheet of the workbook): one material per row, joined to its item by 事项编码.
var materialsHeader = []string{"事项编码", "事项名称", "材料名称", "材料必要性", "空表", "样表", "原件份数", "复印件份数", "材料来源"}

// WriteCSV writes the 实施清单 as CSV, one item per row under a title row, as the provincial
// export has it. It starts with a UTF-8 byte order mark because Excel otherwise reads the
// Chinese as the local code page. The materials, one per row, are WriteMaterialsCSV's.
func (c *Catalog) WriteCSV(w io.Writer) error {
	rows := [][]string{{exportTitle}, csvHeader}
	for i := range c.items {
		rows = append(rows, csvRow(&c.items[i]))
	}
	if err := writeCSV(w, rows); err != nil {
		return fmt.Errorf("write catalogue csv: %w", err)
	}
	return nil
}

// WriteMaterialsCSV writes the materials of every item, one per row, for the file beside
// WriteCSV's (ssqd.csv → ssqd.materials.csv).
func (c *Catalog) WriteMaterialsCSV(w io.Writer) error {
	if err := writeCSV(w, append([][]string{materialsHeader}, c.materialRows()...)); err != nil {
		return fmt.Errorf("write catalogue materials csv: %w", err)
	}
	return nil
}

func writeCSV(w io.Writer, rows [][]string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// materialRows is the materials table, item by item, in the catalogue's order.
func (c *Catalog) materialRows() [][]string {
	var rows [][]string
	for _, it := range c.items {
		for _, m := range it.Materials {
			rows = append(rows, []string{it.Code, it.Name, m.Name, m.Requirement.Label(), yesNo(m.BlankForm), yesNo(m.Sample),
				strconv.Itoa(m.Originals), strconv.Itoa(m.Copies), m.Source})
		}
	}
	return rows
}

func csvRow(it *Item) []string {
	return []string{
		it.Code, it.Name, it.Unit, zoneLabel(it.ZoneCode), objectLabel(it.ServiceObject),
		it.Basis, it.Conditions, it.LegalLimit.String(), it.PromisedLimit.String(),
		yesNo(it.Fee), it.FeeStandard, it.Form, it.Place, it.Hours,
		it.ConsultPhone, it.SupervisePhone, strconv.Itoa(it.Visits), yesNo(it.FullyOnline),
		materialsCell(it.Materials), processCell(it.Process), yesNo(it.Online),
	}
}

// materialsCell encodes materials in one cell: 名称[必要;原件1份;复印件0份]；名称[…].
func materialsCell(ms []Material) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = fmt.Sprintf("%s[%s;原件%d份;复印件%d份]", m.Name, m.Requirement.Label(), m.Originals, m.Copies)
	}
	return strings.Join(parts, "；")
}

// processCell puts one step per line, since step details contain the separators materials use.
func processCell(steps []Step) string {
	lines := make([]string, len(steps))
	for i, s := range steps {
		lines[i] = fmt.Sprintf("%d.%s（%s）：%s", i+1, s.Name, s.Limit, s.Detail)
	}
	return strings.Join(lines, "\n")
}

func zoneLabel(code string) string {
	if z, ok := zoneByCode(code); ok {
		return z.Name + "（" + code + "）"
	}
	return code
}

func objectLabel(o string) string {
	switch o {
	case "P":
		return "个人"
	case "C":
		return "法人"
	}
	return o
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

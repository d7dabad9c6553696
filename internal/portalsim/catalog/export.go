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
	"咨询电话", "监督投诉电话", "到现场次数", "是否全程网办", "申请材料", "办理流程",
}

// WriteCSV writes the 实施清单 as CSV, one item per row. It starts with a UTF-8 byte order mark
// because Excel otherwise reads the Chinese as the local code page.
func (c *Catalog) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("write catalogue csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("write catalogue csv: %w", err)
	}
	for i := range c.items {
		if err := cw.Write(csvRow(&c.items[i])); err != nil {
			return fmt.Errorf("write catalogue csv: item %s: %w", c.items[i].Code, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write catalogue csv: %w", err)
	}
	return nil
}

func csvRow(it *Item) []string {
	return []string{
		it.Code, it.Name, it.Unit, zoneLabel(it.ZoneCode), objectLabel(it.ServiceObject),
		it.Basis, it.Conditions, it.LegalLimit.String(), it.PromisedLimit.String(),
		yesNo(it.Fee), it.FeeStandard, it.Form, it.Place, it.Hours,
		it.ConsultPhone, it.SupervisePhone, strconv.Itoa(it.Visits), yesNo(it.FullyOnline),
		materialsCell(it.Materials), processCell(it.Process),
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

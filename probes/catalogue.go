package probes

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Reference is one item of the authoritative catalogue (实施清单), with its guide elements as a
// guide should state them.
type Reference struct {
	Code        string
	Name        string
	Unit        string
	Zone        string
	Online      bool // offers 在线办理
	FullyOnline bool // 全程网办
	Visits      int  // 到现场次数
	// Elements maps a GB/T 39046 element name (法定办结时限, 收费标准, 咨询电话, …) to its value.
	Elements  map[string]string
	Materials []RefMaterial
}

// RefMaterial is a material of the catalogue.
type RefMaterial struct {
	Name        string
	Requirement string // 必要 / 容缺 / 可选
	Blank       bool   // a 空表 is to be offered
	Sample      bool   // a 样表 is to be offered
}

// Catalogue is the authoritative catalogue, by item code.
type Catalogue struct {
	Title string
	items map[string]*Reference
}

// Lookup finds an item by its code.
func (c *Catalogue) Lookup(code string) *Reference {
	if c == nil {
		return nil
	}
	return c.items[code]
}

// Len is the number of items.
func (c *Catalogue) Len() int { return len(c.items) }

// All is every item, by code: what a search over the catalogue (the report form's) goes through.
func (c *Catalogue) All() []*Reference {
	if c == nil {
		return nil
	}
	out := make([]*Reference, 0, len(c.items))
	for _, r := range c.items {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *Reference) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// maxCatalogueBytes bounds a catalogue file or download: the JSON export of ten thousand items
// is about 40 MB.
const maxCatalogueBytes = 64 << 20

// CatalogueOptions say how to read a 实施清单 table. The zero value reads the standard headers.
type CatalogueOptions struct {
	// Headers gives more names to the tables' columns: standard header (CatalogueFields) →
	// the names an export uses for it (site.catalogue_headers in tiyan.yaml).
	Headers map[string][]string
}

// LoadCatalogue reads the 实施清单 export from a file or an http(s) URL with the standard headers.
func LoadCatalogue(ctx context.Context, client *http.Client, src string) (*Catalogue, error) {
	return LoadCatalogueWith(ctx, client, src, CatalogueOptions{})
}

// LoadCatalogueWith reads the 实施清单 export from a file or an http(s) URL: the JSON of GB/T
// 39046 fields the portal publishes, an XLSX workbook (a sheet of items, a sheet of materials)
// or CSV (items.csv,materials.csv, or items.csv with items.materials.csv beside it), told
// apart by their content and, for an empty or odd file, by the extension.
func LoadCatalogueWith(ctx context.Context, client *http.Client, src string, opts CatalogueOptions) (*Catalogue, error) {
	first, second := src, ""
	if isCSVName(src) {
		first, second = csvPair(src)
	}
	data, err := readSource(ctx, client, first)
	if err != nil {
		return nil, err
	}
	name := sourceName(first)
	switch catalogueFormat(first, data) {
	case "xlsx":
		return readXLSXCatalogue(name, data, opts)
	case "json":
		return readJSONCatalogue(name, data)
	}
	if second == "" {
		second = materialsSibling(first)
	}
	materials, err := readSource(ctx, client, second)
	if err != nil {
		return nil, fmt.Errorf("%w（CSV 格式的实施清单须附材料表：--catalogue 事项.csv,材料.csv，或放在 %s）", err, sourceName(second))
	}
	return readCSVCatalogue(name, data, sourceName(second), materials, opts)
}

// catalogueFormat tells the format from the content: a zip is a workbook, a brace is JSON,
// anything else is CSV. A .xlsx name whose content is not a zip stays xlsx, to be refused as a
// broken workbook rather than misread as CSV.
func catalogueFormat(src string, data []byte) string {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\ufeff")), " \t\r\n")
	ext := strings.ToLower(path.Ext(stripQuery(src)))
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), ext == ".xlsx":
		return "xlsx"
	case bytes.HasPrefix(trimmed, []byte("{")), ext == ".json":
		return "json"
	}
	return "csv"
}

// sourceName is how messages name a source: a file's base name, or a URL's last segment.
func sourceName(src string) string {
	return path.Base(stripQuery(src))
}

// readJSONCatalogue reads the JSON export.
func readJSONCatalogue(name string, data []byte) (*Catalogue, error) {
	var doc catalogueDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("实施清单 %s 不是有效的 JSON：%w（应为实施清单导出的 JSON 文件）", name, err)
	}
	if len(doc.Items) == 0 {
		return nil, fmt.Errorf("实施清单 %s 没有事项（items 为空）", name)
	}
	if len(doc.Items) > maxCatalogueRows {
		return nil, fmt.Errorf("实施清单 %s 有 %d 个事项，超过 %d 个上限：请按行政区划或部门分开导出", name, len(doc.Items), maxCatalogueRows)
	}
	c := &Catalogue{Title: doc.Title, items: make(map[string]*Reference, len(doc.Items))}
	for i, it := range doc.Items {
		if it.Code == "" {
			return nil, fmt.Errorf("实施清单 %s 第 %d 个事项没有事项编码（ssqdCode）", name, i+1)
		}
		c.items[it.Code] = it.reference()
	}
	return c, nil
}

// readSource reads a file or downloads a URL, refusing more than maxCatalogueBytes.
func readSource(ctx context.Context, client *http.Client, src string) ([]byte, error) {
	if !strings.HasPrefix(src, "http://") && !strings.HasPrefix(src, "https://") {
		f, err := os.Open(src)
		if err != nil {
			return nil, fmt.Errorf("读取实施清单失败：%w", err)
		}
		defer f.Close()
		return readBounded(src, f)
	}
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, fmt.Errorf("实施清单地址无效：%w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("下载实施清单失败：%w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("下载实施清单失败：%s 返回 HTTP %d", src, resp.StatusCode)
	}
	return readBounded(src, resp.Body)
}

func readBounded(src string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxCatalogueBytes+1))
	if err != nil {
		return nil, fmt.Errorf("读取实施清单 %s 失败：%w", src, err)
	}
	if len(data) > maxCatalogueBytes {
		return nil, fmt.Errorf("实施清单 %s 超过 %d MB 上限：请按行政区划或部门分开导出", sourceName(src), maxCatalogueBytes>>20)
	}
	return data, nil
}

// catalogueDoc is the export's shape: GB/T 39046 field names in pinyin initials.
type catalogueDoc struct {
	Title string       `json:"title"`
	Items []catalogRow `json:"items"`
}

type catalogRow struct {
	Code        string `json:"ssqdCode"`
	Name        string `json:"name"`
	Unit        string `json:"unit"`
	Zone        string `json:"zoneCode"`
	Online      bool   `json:"isOnline"`
	FullyOnline bool   `json:"qcwb"`
	Visits      int    `json:"dxcc"`
	Basis       string `json:"sdyj"`
	Conditions  string `json:"sltj"`
	Type        string `json:"sxlx"`
	Legal       limit  `json:"fdbjsx"`
	Promised    limit  `json:"cnbjqx"`
	Fee         bool   `json:"sfsf"`
	FeeStd      string `json:"sfbz"`
	Form        string `json:"blxs"`
	Place       string `json:"bldz"`
	Hours       string `json:"blsj"`
	Consult     string `json:"zxdh"`
	Supervise   string `json:"jddh"`
	Materials   []struct {
		Name        string `json:"clmc"`
		Requirement int    `json:"sfby"`
		Blank       bool   `json:"kbxz"`
		Sample      bool   `json:"ybxz"`
	} `json:"materials"`
}

type limit struct {
	Value int    `json:"value"`
	Unit  string `json:"unit"`
}

func (l limit) String() string {
	if l.Unit == "即办" {
		return "即办"
	}
	return strconv.Itoa(l.Value) + "个" + l.Unit
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func (r catalogRow) reference() *Reference {
	ref := &Reference{Code: r.Code, Name: r.Name, Unit: r.Unit, Zone: r.Zone, Online: r.Online, FullyOnline: r.FullyOnline, Visits: r.Visits}
	ref.Elements = map[string]string{
		"事项名称": r.Name, "实施主体": r.Unit, "设定依据": r.Basis, "受理条件": r.Conditions,
		"法定办结时限": r.Legal.String(), "承诺办结时限": r.Promised.String(),
		"是否收费": yesNo(r.Fee), "收费标准": r.FeeStd, "办理形式": r.Form,
		"是否全程网办": yesNo(r.FullyOnline), "到现场次数": strconv.Itoa(r.Visits) + "次",
		"办理地点": r.Place, "办理时间": r.Hours, "咨询电话": r.Consult, "监督投诉电话": r.Supervise,
	}
	for _, m := range r.Materials {
		req := map[int]string{1: "必要", 2: "容缺", 3: "可选"}[m.Requirement]
		ref.Materials = append(ref.Materials, RefMaterial{Name: m.Name, Requirement: req, Blank: m.Blank, Sample: m.Sample})
	}
	return ref
}

package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tiyan/probes"
	"tiyan/scenarios"
)

// maxCataloguePages bounds paging through the item API, against a portal that never ends a list.
const maxCataloguePages = 10000

// ListOptions narrow the items a sweep visits.
type ListOptions struct {
	Zone  string   // zone code; "" means the profile's
	Codes []string // only these item codes; empty means all
	Limit int      // at most this many items; 0 means all
}

// List reads the service items through the site profile's catalogue API, page by page.
func List(ctx context.Context, client *http.Client, site *scenarios.Site, opts ListOptions) ([]probes.Item, error) {
	cat := site.Catalogue
	size := cat.PageSize
	want := map[string]bool{}
	for _, c := range opts.Codes {
		want[c] = true
	}
	var items []probes.Item
	for page := 1; page <= maxCataloguePages; page++ {
		rows, total, err := listPage(ctx, client, site, opts.Zone, page)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			it, err := rowItem(cat.Row, r)
			if err != nil {
				return nil, fmt.Errorf("catalogue page %d: %w", page, err)
			}
			if len(want) == 0 || want[it.Code] {
				items = append(items, it)
			}
			if opts.Limit > 0 && len(items) >= opts.Limit {
				return items, nil
			}
		}
		if len(rows) < size || (total > 0 && page*size >= total) {
			break
		}
	}
	if len(want) > 0 && len(items) < len(want) {
		return items, missingCodes(want, items)
	}
	return items, nil
}

func missingCodes(want map[string]bool, items []probes.Item) error {
	for _, it := range items {
		delete(want, it.Code)
	}
	var codes []string
	for c := range want {
		codes = append(codes, c)
	}
	return fmt.Errorf("事项编码不在门户事项列表中：%s（请核对 --items）", strings.Join(codes, "、"))
}

// listPage asks for one page of items and returns its rows and the total the API reports.
func listPage(ctx context.Context, client *http.Client, site *scenarios.Site, zone string, page int) ([]any, int, error) {
	cat := site.Catalogue
	api, err := site.URL(scenarios.PC, cat.API)
	if err != nil {
		return nil, 0, err
	}
	form := url.Values{}
	for k, v := range cat.Form {
		form.Set(k, v)
	}
	form.Set(cat.Params.Page, strconv.Itoa(page))
	form.Set(cat.Params.Size, strconv.Itoa(cat.PageSize))
	if zone == "" {
		zone = cat.Zone
	}
	if cat.Params.Zone != "" && zone != "" {
		form.Set(cat.Params.Zone, zone)
	}
	req, err := catalogueRequest(ctx, cat.Method, api, form)
	if err != nil {
		return nil, 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("事项列表接口无法访问（%s）：%w", api.Redacted(), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, 0, fmt.Errorf("read item list: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("事项列表接口返回 HTTP %d（%s）：%s", resp.StatusCode, api.Redacted(), snippet(body))
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, 0, fmt.Errorf("事项列表接口没有返回 JSON（%s）：%s", api.Redacted(), snippet(body))
	}
	rows, ok := dig(doc, cat.Rows).([]any)
	if !ok {
		return nil, 0, fmt.Errorf("事项列表的 %s 不是数组，请检查站点配置 catalogue.rows", cat.Rows)
	}
	total := 0
	if cat.Total != "" {
		if n, ok := dig(doc, cat.Total).(float64); ok {
			total = int(n)
		}
	}
	return rows, total, nil
}

func catalogueRequest(ctx context.Context, method string, api *url.URL, form url.Values) (*http.Request, error) {
	if method == http.MethodGet {
		u := *api
		u.RawQuery = form.Encode()
		return http.NewRequestWithContext(ctx, method, u.String(), nil)
	}
	req, err := http.NewRequestWithContext(ctx, method, api.String(), strings.NewReader(form.Encode()))
	if err == nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req, err
}

// rowItem reads an item's fields out of one row.
func rowItem(f scenarios.RowFields, row any) (probes.Item, error) {
	it := probes.Item{ID: text(dig(row, f.ID)), Code: text(dig(row, f.Code)), Name: text(dig(row, f.Name)), Unit: text(dig(row, f.Unit))}
	if f.Zone != "" {
		it.Zone = text(dig(row, f.Zone))
	}
	if it.Code == "" {
		return it, fmt.Errorf("a row has no item code at %s", f.Code)
	}
	return it, nil
}

// dig follows a dotted JSON path.
func dig(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if r := []rune(s); len(r) > 120 {
		return string(r[:120]) + "…"
	}
	return s
}

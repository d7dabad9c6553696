package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// itemList is the item list the fixture's server searches, as Config.Items gives it (the
// catalogue's or the portal's under tiyan serve); it counts its listings and can be made to fail.
type itemList struct {
	mu    sync.Mutex
	items []Item
	err   error
	loads int
}

func (l *itemList) list(context.Context) ([]Item, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.loads++
	return l.items, l.err
}

func (l *itemList) set(items []Item, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.items, l.err = items, err
}

func (l *itemList) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.loads
}

// fixtureItems are the fixture's three items and, as a province's list has, the same item
// (个体工商户变更登记) in 24 places, under codes of their own.
func fixtureItems() []Item {
	items := []Item{
		{Code: itemB, Name: "失业保险金申领", Unit: rsj, Zone: "341500"},
		{Code: itemA, Name: "个体工商户设立登记", Unit: scjgj, Zone: "341500"},
		{Code: itemC, Name: "道路运输经营许可", Unit: scjgj, Zone: "341500"},
	}
	for i := range 24 {
		items = append(items, Item{Code: fmt.Sprintf("11341522MB0000%03dX4000117005", i), Name: "个体工商户变更登记",
			Unit: fmt.Sprintf("霍邱县市场监督管理局第%d市场监管所", i+1), Zone: "341522"})
	}
	return items
}

// searchAPI asks the item search for q as c.
func searchAPI(t *testing.T, c *client, q string) []Item {
	t.Helper()
	r := c.get(t, "/api/items?q="+q)
	if r.status != http.StatusOK {
		t.Fatalf("GET /api/items?q=%s: %d %s", q, r.status, r.body)
	}
	var out []Item
	r.json(t, &out)
	if out == nil {
		t.Fatalf("GET /api/items?q=%s answered %s, want a list", q, r.body)
	}
	return out
}

func codes(items []Item) string {
	var out []string
	for _, it := range items {
		out = append(out, it.Code)
	}
	return strings.Join(out, ",")
}

// TestWebItemSearch: part of a name, the start of a code (in any case), at most 20, and
// nothing for nothing typed; only signed in.
func TestWebItemSearch(t *testing.T) {
	fx := newFixture(t)
	c := fx.officerClient
	got := searchAPI(t, c, "工商户设立")
	if len(got) != 1 || got[0] != (Item{Code: itemA, Name: "个体工商户设立登记", Unit: scjgj, Zone: "341500"}) {
		t.Errorf("工商户设立: %+v", got)
	}
	if got := searchAPI(t, c, "11341500mb1234567x400011700"); codes(got) != itemA+","+itemB+","+itemC {
		t.Errorf("code prefix: %s", codes(got))
	}
	// A code matches by its start only: its middle is every item's organisation code.
	if got := searchAPI(t, c, "1234567X"); len(got) != 0 {
		t.Errorf("a code's middle: %s", codes(got))
	}
	got = searchAPI(t, c, "个体工商户")
	if len(got) != itemLimit || got[0].Code != itemA || got[1].Name != "个体工商户变更登记" {
		t.Errorf("个体工商户: %d items, first %+v", len(got), got[0])
	}
	// Names that start with what was typed come before names that only contain it.
	got = searchAPI(t, c, "登记")
	if len(got) != itemLimit || got[0].Code != itemA {
		t.Errorf("登记: %d items, first %+v", len(got), got)
	}
	for _, q := range []string{"", "%20%20", "没有这个事项"} {
		if got := searchAPI(t, c, q); len(got) != 0 {
			t.Errorf("%q: %s", q, codes(got))
		}
	}
	// Staff and machines with a token search too; nobody signed out does.
	if got := searchAPI(t, fx.apiClient(t, "liqiang"), "失业"); codes(got) != itemB {
		t.Errorf("staff by token: %s", codes(got))
	}
	if r := anon(fx.srv).get(t, "/api/items?q=%E4%B8%AA%E4%BD%93"); r.status != http.StatusUnauthorized || strings.Contains(r.body, itemA) {
		t.Errorf("signed out: %d %s", r.status, r.body)
	}
}

// TestWebItemSearchListing: the list is read once an hour, not per keystroke; a listing that
// fails leaves the last good list in place and is tried again five minutes later.
func TestWebItemSearchListing(t *testing.T) {
	fx := newFixture(t)
	c := fx.officerClient
	searchAPI(t, c, "个体")
	searchAPI(t, c, "失业")
	if n := fx.items.count(); n != 1 {
		t.Errorf("two searches listed the items %d times, want once", n)
	}
	fx.items.set(nil, errors.New("门户事项列表：HTTP 502"))
	fx.clock.set(fx.clock.now().Add(itemsTTL))
	if got := searchAPI(t, c, "失业"); codes(got) != itemB || fx.items.count() != 2 {
		t.Errorf("after a failed listing: %s, %d listings", codes(got), fx.items.count())
	}
	fx.items.set([]Item{{Code: "11341500MB1234567X4000117009", Name: "失业登记"}}, nil)
	fx.clock.set(fx.clock.now().Add(itemsRetry - time.Second))
	searchAPI(t, c, "失业")
	if n := fx.items.count(); n != 2 {
		t.Errorf("retried %d times within five minutes", n-2)
	}
	fx.clock.set(fx.clock.now().Add(time.Second))
	if got := searchAPI(t, c, "失业"); len(got) != 1 || got[0].Name != "失业登记" {
		t.Errorf("after the retry: %+v", got)
	}
}

// TestWebItemSearchOff: without Config.Items the search answers nothing and the form offers
// none, its fields typed in full as before.
func TestWebItemSearchOff(t *testing.T) {
	fx := newFixture(t)
	srv, err := New(Config{Store: fx.store, Loop: fx.loop})
	if err != nil {
		t.Fatal(err)
	}
	c := fx.clientOf(t, srv, "wangfang")
	if got := searchAPI(t, c, "个体"); len(got) != 0 {
		t.Errorf("without items: %s", codes(got))
	}
	page := c.get(t, "/report")
	page.has(t, `<input id="item_name" name="item_name" type="text" maxlength="200" value="">`, `<label for="item_code">事项编码（选填）</label>`)
	page.lacks(t, "data-items", "items.js")
	fx.officerClient.get(t, "/report").has(t, `data-items="/api/items"`, `<script src="/static/items.js?v=`, `id="item-hint"`)
}

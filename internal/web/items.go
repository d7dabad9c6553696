package web

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Item is a service item (事项) the report form's search offers: its code (事项编码) and name,
// with the unit and zone that tell apart the items of one name in different places.
type Item struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Unit string `json:"unit,omitempty"` // 实施主体
	Zone string `json:"zone,omitempty"` // administrative division code
}

const (
	// itemLimit is how many suggestions one search answers: a phone's screen of them.
	itemLimit = 20
	// itemsTTL is how long a listing is kept: catalogues change by the week, and listing the
	// portal's items takes many requests.
	itemsTTL = time.Hour
	// itemsRetry is how soon a failed listing is tried again; the last good one serves meanwhile.
	itemsRetry = 5 * time.Minute
	// itemsTimeout bounds one listing, whoever's request started it.
	itemsTimeout = time.Minute
)

// itemIndex keeps the items Config.Items lists, with their search keys, and lists them again
// when they are older than itemsTTL.
type itemIndex struct {
	load func(ctx context.Context) ([]Item, error)
	now  func() time.Time
	log  *slog.Logger

	mu    sync.Mutex
	items []indexedItem // by code
	next  time.Time     // when to list again
}

// indexedItem is an item with its code and name upper-cased, so that "mb" finds "MB".
type indexedItem struct {
	Item
	code, name string
}

// current returns the items, listing them first when the last listing is too old. A failed
// listing is logged and leaves the last good one (or none) in place: the form then works as
// without search.
func (x *itemIndex) current(ctx context.Context) []indexedItem {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	if now.Before(x.next) {
		return x.items
	}
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), itemsTimeout)
	defer cancel()
	items, err := x.load(lctx)
	if err != nil {
		x.log.WarnContext(ctx, "item search: listing the items failed", "err", err)
		x.next = now.Add(itemsRetry)
		return x.items
	}
	x.items = make([]indexedItem, 0, len(items))
	for _, it := range items {
		x.items = append(x.items, indexedItem{Item: it, code: strings.ToUpper(it.Code), name: strings.ToUpper(it.Name)})
	}
	slices.SortFunc(x.items, func(a, b indexedItem) int { return strings.Compare(a.code, b.code) })
	x.next = now.Add(itemsTTL)
	return x.items
}

// searchItems returns up to limit items whose code starts with q or whose name contains it:
// code matches first, then names that start with q, then the other names; each group by code.
func searchItems(items []indexedItem, q string, limit int) []Item {
	q = strings.ToUpper(strings.TrimSpace(q))
	if q == "" {
		return []Item{}
	}
	var groups [3][]Item // by code, by the start of the name, by a part of it
	for _, it := range items {
		g := -1
		switch {
		case strings.HasPrefix(it.code, q):
			g = 0
		case strings.HasPrefix(it.name, q):
			g = 1
		case strings.Contains(it.name, q):
			g = 2
		}
		if g >= 0 && len(groups[g]) < limit {
			groups[g] = append(groups[g], it.Item)
		}
	}
	out := make([]Item, 0, limit)
	for _, g := range groups {
		out = append(out, g...)
	}
	return out[:min(len(out), limit)]
}

// apiItems is the report form's item search (GET /api/items?q=…), open to everyone signed in:
// the items are the portal's public list. Without Config.Items, or before a listing succeeds,
// it answers an empty list.
func (s *Server) apiItems(w http.ResponseWriter, r *http.Request) {
	out := []Item{}
	if q := r.URL.Query().Get("q"); s.items != nil && strings.TrimSpace(q) != "" {
		out = searchItems(s.items.current(r.Context()), q, itemLimit)
	}
	writeJSON(w, http.StatusOK, out)
}

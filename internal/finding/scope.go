package finding

// Scope says what a finding is about: one item's page (the default), the whole site, or a page
// template many items share. A site or template finding has no item: it goes to the portal
// operator (门户运营方), not to a window unit, and says how many items it affects.
type Scope string

// Scopes.
const (
	ScopeItem     Scope = "item"
	ScopeSite     Scope = "site"
	ScopeTemplate Scope = "template"
)

// Or returns s, or ScopeItem when s is empty: findings stored before scopes existed, and
// sightings that do not say, are an item's.
func (s Scope) Or() Scope {
	if s == "" {
		return ScopeItem
	}
	return s
}

// Shared reports whether the finding is about the site or a template rather than one item.
func (s Scope) Shared() bool { return s == ScopeSite || s == ScopeTemplate }

// Label is the scope as staff read it.
func (s Scope) Label() string {
	switch s {
	case ScopeSite:
		return "站点问题"
	case ScopeTemplate:
		return "模板问题"
	}
	return "事项问题"
}

// Operator is who a site or template finding is addressed to.
const Operator = "门户运营方"

// AffectedKey is the key of Finding.Measured (and Sighting.Measured) that lists the items a site
// or template finding affects, as []AffectedItem (read back from JSON as a list of objects).
const AffectedKey = "affected_items"

// LocatorKey is the key of Measured that keeps the stable locator of a site or template
// finding, so that verification can look for the same condition on the affected items.
const LocatorKey = "locator"

// AffectedItem is one item a site or template finding affects.
type AffectedItem struct {
	Code string `json:"code"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// AffectedItems reads the affected items out of measured values, whichever way they were put
// there: as []AffectedItem, or decoded from JSON.
func AffectedItems(measured map[string]any) []AffectedItem {
	switch v := measured[AffectedKey].(type) {
	case []AffectedItem:
		return v
	case []any:
		out := make([]AffectedItem, 0, len(v))
		for _, e := range v {
			m, _ := e.(map[string]any)
			code, _ := m["code"].(string)
			name, _ := m["name"].(string)
			u, _ := m["url"].(string)
			if code != "" {
				out = append(out, AffectedItem{Code: code, Name: name, URL: u})
			}
		}
		return out
	}
	return nil
}

package sweep

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"tiyan/internal/finding"
	"tiyan/internal/loop"
	"tiyan/probes"
	"tiyan/scenarios"
)

// Default grouping of a condition many items share (Config.TemplateShare, TemplateMinItems).
const (
	DefaultTemplateShare    = 0.8
	DefaultTemplateMinItems = 5
)

// siteRules are conditions of the whole site: however many pages show them, they are one
// finding per channel, for the portal operator.
var siteRules = []string{"LAYOUT-NO-ELDER-MODE"}

// templateRule says whether findings of a rule may come from a page template shared by many
// items (the page's layout and accessibility, a guide element the template lacks), and so be
// grouped into one template finding when enough items show them at the same place.
func templateRule(rule string) bool {
	r, ok := probes.RuleByID(rule)
	return ok && (r.Category == probes.CategoryLayout || rule == "GUIDE-ELEMENT-MISSING") && !slices.Contains(siteRules, rule)
}

// Groupable says whether a finding may end up in a site or template finding: a sweep that
// files findings as it goes must keep these back until every item is probed (Group).
func Groupable(f Finding) bool {
	return f.ItemCode != "" && (slices.Contains(siteRules, f.Rule) || templateRule(f.Rule))
}

// groupKey is a condition across items: the same rule at the same stable place of the page.
type groupKey struct {
	rule, locator string
	channel       scenarios.Channel
}

func keyOf(f Finding) groupKey { return groupKey{f.Rule, f.Evidence.Locator, f.Channel} }

// Grouping decides, from what the items of a sweep showed, which findings are one condition of
// the site or of a page template. Feed it every item-channel's findings with Add; it keeps back
// the groupable ones, hands back at once those that can no longer be part of a template finding,
// and Finish makes the rest into site, template or item findings.
type Grouping struct {
	share    float64
	min      int
	channels map[scenarios.Channel]*channelCount
	held     map[groupKey][]Finding
}

// channelCount counts a channel's item-channels: to probe, probed, and usable as guides.
type channelCount struct{ total, done, usable int }

// NewGrouping groups findings of a sweep of items on chs. A rule and locator seen on at least
// share of a channel's usable guide pages, and on at least min items, is a template finding;
// share ≤ 0 and min ≤ 0 take the defaults.
func NewGrouping(items int, chs []scenarios.Channel, share float64, min int) *Grouping {
	if share <= 0 {
		share = DefaultTemplateShare
	}
	if min <= 0 {
		min = DefaultTemplateMinItems
	}
	g := &Grouping{share: share, min: min, channels: map[scenarios.Channel]*channelCount{}, held: map[groupKey][]Finding{}}
	for _, ch := range chs {
		g.channels[ch] = &channelCount{total: items}
	}
	return g
}

// Add takes one item-channel's findings (usable: its guide page could be checked) and returns
// those to file now: the ungroupable ones, and any held ones that can no longer make a template.
func (g *Grouping) Add(ch scenarios.Channel, usable bool, fs []Finding) []Finding {
	c := g.count(ch)
	c.done++
	if usable {
		c.usable++
	}
	var out []Finding
	for _, f := range fs {
		if !Groupable(f) {
			out = append(out, f)
			continue
		}
		k := keyOf(f)
		if g.certain(k) || slices.Contains(siteRules, f.Rule) && len(g.held[k]) > 0 {
			f.Evidence.PNG = nil // one example picture is enough for a shared condition
		}
		g.held[k] = append(g.held[k], f)
	}
	for _, k := range slices.SortedFunc(maps.Keys(g.held), compareKeys) {
		if k.channel == ch && g.hopeless(k) {
			out = append(out, g.held[k]...)
			delete(g.held, k)
		}
	}
	return out
}

func (g *Grouping) count(ch scenarios.Channel) *channelCount {
	c := g.channels[ch]
	if c == nil {
		c = &channelCount{}
		g.channels[ch] = c
	}
	return c
}

// certain: the key is a template finding however the rest of the sweep goes (even if every
// page still to come is a usable guide without the condition).
func (g *Grouping) certain(k groupKey) bool {
	c, n := g.count(k.channel), len(g.held[k])
	rest := max(c.total-c.done, 0)
	return templateRule(k.rule) && n >= g.min && float64(n) >= g.share*float64(c.usable+rest)
}

// hopeless: the key cannot become a template finding even if every page still to come shows it.
func (g *Grouping) hopeless(k groupKey) bool {
	if slices.Contains(siteRules, k.rule) {
		return false
	}
	c, n := g.count(k.channel), len(g.held[k])
	rest := max(c.total-c.done, 0)
	return n+rest < g.min || float64(n+rest) < g.share*float64(c.usable+rest)
}

// Finish makes the held findings into one site finding per site rule and channel, one template
// finding per condition shared by enough items, and item findings for the rest.
func (g *Grouping) Finish() []Finding {
	var out []Finding
	for _, k := range slices.SortedFunc(maps.Keys(g.held), compareKeys) {
		fs := g.held[k]
		c := g.count(k.channel)
		switch {
		case slices.Contains(siteRules, k.rule):
			out = append(out, shared(fs, finding.ScopeSite, c.usable))
		case len(fs) >= g.min && float64(len(fs)) >= g.share*float64(c.usable) && c.usable > 0:
			out = append(out, shared(fs, finding.ScopeTemplate, c.usable))
		default:
			out = append(out, fs...)
		}
	}
	g.held = map[groupKey][]Finding{}
	return out
}

// Group groups a whole sweep's findings at once: items probed on each of chs, usable counting
// the usable guide pages per channel. It is what a Grouping fed item by item gives.
func Group(fs []Finding, usable map[scenarios.Channel]int, share float64, min int) []Finding {
	var chs []scenarios.Channel
	items := 0
	for ch, n := range usable {
		chs = append(chs, ch)
		items = max(items, n)
	}
	g := NewGrouping(items, chs, share, min)
	for ch, n := range usable {
		g.count(ch).done, g.count(ch).usable = n, n
	}
	var out []Finding
	for _, f := range fs {
		if !Groupable(f) {
			out = append(out, f)
			continue
		}
		g.held[keyOf(f)] = append(g.held[keyOf(f)], f)
	}
	return append(out, g.Finish()...)
}

func compareKeys(a, b groupKey) int {
	return cmp.Or(cmp.Compare(a.channel, b.channel), cmp.Compare(a.rule, b.rule), cmp.Compare(a.locator, b.locator))
}

// shared makes the findings of one condition on many items into one finding of the site or a
// template, for the portal operator: no item and no unit, the items it affects listed, the
// first finding with a picture as the example.
func shared(fs []Finding, scope finding.Scope, usable int) Finding {
	slices.SortStableFunc(fs, func(a, b Finding) int { return cmp.Compare(a.ItemCode, b.ItemCode) })
	example := fs[0]
	for _, f := range fs {
		if len(f.Evidence.PNG) > 0 {
			example = f
			break
		}
	}
	items := make([]finding.AffectedItem, 0, len(fs))
	seen := map[string]bool{}
	for _, f := range fs {
		if !seen[f.ItemCode] {
			seen[f.ItemCode] = true
			items = append(items, finding.AffectedItem{Code: f.ItemCode, Name: f.ItemName, URL: f.URL})
		}
	}
	measured := maps.Clone(example.Evidence.Measured)
	if measured == nil {
		measured = map[string]any{}
	}
	measured[finding.AffectedKey] = items
	measured[finding.LocatorKey] = example.Evidence.Locator
	measured["example_item"] = example.ItemCode
	measured["usable_pages"] = usable
	out := example
	out.ItemCode, out.ItemName, out.Unit, out.Zone = "", "", "", commonZone(fs)
	out.Scope, out.Affected = scope, len(items)
	out.Severity = worst(fs)
	out.Title, out.Detail = sharedText(example, scope, len(items), usable)
	out.Fingerprint = SharedFingerprint(example.Rule, example.Channel, example.Evidence.Locator, scope)
	out.Evidence.Measured = measured
	return out
}

// SharedFingerprint identifies a site or template finding across sweeps: its rule, channel,
// place on the page and scope, whichever items show it tonight.
func SharedFingerprint(rule string, ch scenarios.Channel, locator string, scope finding.Scope) string {
	return loop.Fingerprint(rule, "scope:"+string(scope), string(ch), locator)
}

func worst(fs []Finding) probes.Severity {
	rank := map[probes.Severity]int{probes.Blocker: 4, probes.Major: 3, probes.Minor: 2, probes.Advice: 1}
	s := fs[0].Severity
	for _, f := range fs[1:] {
		if rank[f.Severity] > rank[s] {
			s = f.Severity
		}
	}
	return s
}

func sharedText(ex Finding, scope finding.Scope, n, usable int) (title, detail string) {
	where := "电脑端"
	if ex.Channel == scenarios.H5 {
		where = "皖事通APP"
	}
	if scope == finding.ScopeSite {
		return ex.Title + "（全站）", fmt.Sprintf("这是整个站点的问题，由门户运营方整改：%s检查的 %d 个办事指南页面中，%d 个事项的页面存在此问题。示例（%s %s）：%s",
			where, usable, n, ex.ItemName, ex.ItemCode, ex.Detail)
	}
	return ex.Title + fmt.Sprintf("（%d 个事项的页面相同）", n), fmt.Sprintf("这是页面模板或站点公共部分的问题，由门户运营方统一整改：%s检查的 %d 个办事指南页面中，%d 个事项的页面在同一位置（%s）存在此问题。示例（%s %s）：%s",
		where, usable, n, ex.Evidence.Locator, ex.ItemName, ex.ItemCode, ex.Detail)
}

// commonZone is the smallest zone (province, city or county, as a 6-digit code) that holds every
// affected item, so that the staff of that zone see the finding; "" when they span provinces.
func commonZone(fs []Finding) string {
	p := ""
	for i, f := range fs {
		z := f.Zone[:min(len(f.Zone), 6)]
		if i == 0 {
			p = z
		}
		n := 0
		for n < len(p) && n < len(z) && p[n] == z[n] {
			n++
		}
		p = p[:n]
	}
	p = p[:len(p)/2*2]
	if len(p) < 2 {
		return ""
	}
	return p + strings.Repeat("0", 6-len(p))
}

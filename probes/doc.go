// Package probes holds tiyan's rules: what a careful officer checks on each service item's pages,
// measured in a real browser. Every probe is a Probe function, registered by name; the rule
// families live one per file (layout.go, a11y.go, guide.go, channel.go) and the catalogue of rule
// IDs, categories, default severities, thresholds and bases is in rules.go.
//
// A guide is read the way a person reads it (guide.js, guideread.go): each element under any of
// its labels (guidelabels.go), whatever markup carries it — th/td rows, dt/dd, a label followed by
// its value, "标签：值" text, closed tabs and accordions, content that arrives after load; the
// materials by a header row recognised by its column names or by cards that state a requirement.
// The site profile's locators are tried first. Values are compared and validated only after
// normalize.go has read them as people write them (phones, 必须/非必要/容缺后补, 五个工作日/即办,
// 免费/无/0元, full-width forms).
//
// A probe returns observations (the portal is wrong here, with evidence) or an error (tiyan could
// not look). The two never mix: an error of the prober is not filed as a portal finding.
package probes

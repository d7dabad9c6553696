// Package probes holds tiyan's rules: what a careful officer checks on each service item's pages,
// measured in a real browser. Every probe is a Probe function, registered by name; the rule
// families live one per file (layout.go, a11y.go, guide.go, channel.go) and the catalogue of rule
// IDs, categories, default severities, thresholds and bases is in rules.go.
//
// A probe returns observations (the portal is wrong here, with evidence) or an error (tiyan could
// not look). The two never mix: an error of the prober is not filed as a portal finding.
package probes

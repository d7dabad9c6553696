package loop

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"tiyan/internal/finding"
)

// Outcome is what Ingest did with one sighting.
type Outcome struct {
	FindingID int64
	// New: this sighting opened the finding (the first of its fingerprint in the batch when
	// no open finding had it).
	New bool
	// Recurrence: the new finding re-opens a verified one (回潮); see Finding.RecurrenceOf.
	Recurrence bool
}

// Ingest files what probes and scenario runs saw, deduplicated by fingerprint: an open finding
// with the fingerprint is updated (last seen, occurrences, evidence); a verified one is
// re-opened as a new finding linked to it; a dismissed one counts the sighting and stays
// dismissed; otherwise a new finding is opened (status found, event found by tiyan). Units
// named by the sightings that do not exist yet are created with the sighting's jurisdiction.
// Outcomes are in the order of s. Sightings go to the store in batches of Config.IngestBatch,
// one transaction each; a failure leaves the earlier batches filed.
func (l *Loop) Ingest(ctx context.Context, s []finding.Sighting) ([]Outcome, error) {
	start := time.Now()
	ss, err := l.normalize(s)
	if err != nil {
		return nil, err
	}
	units, err := l.ensureUnits(ctx, ss)
	if err != nil {
		return nil, err
	}
	groups, index := group(ss, units)
	results := make([]finding.Ingested, 0, len(groups))
	for _, chunk := range chunks(groups, l.batch) {
		res, err := l.store.Ingest(ctx, chunk)
		if err != nil {
			return nil, fmt.Errorf("ingest %d sightings: %w", len(s), err)
		}
		results = append(results, res...)
	}
	out := outcomes(index, results)
	l.logIngest(ctx, len(s), results, time.Since(start))
	return out, nil
}

// normalize checks sightings and fills in defaults: source probe, seen now, a fingerprint.
func (l *Loop) normalize(in []finding.Sighting) ([]finding.Sighting, error) {
	now := l.now()
	out := make([]finding.Sighting, len(in))
	for i, s := range in {
		if s.Source == "" {
			s.Source = finding.SourceProbe
		}
		if s.SeenAt.IsZero() {
			s.SeenAt = now
		}
		if s.Fingerprint == "" {
			s.Fingerprint = Fingerprint(s.Rule, s.ItemCode, string(s.Channel), s.URL)
		}
		// A probe's words are shortened to the domain's limits rather than refused: a page
		// with a thousand faults still files its finding.
		s.Title, s.Detail = finding.Clip(s.Title, finding.MaxTitle), finding.Clip(s.Detail, finding.MaxDetail)
		if err := checkSighting(s); err != nil {
			return nil, fmt.Errorf("sighting %d (%s %s): %w", i, s.Rule, s.ItemCode, err)
		}
		out[i] = s
	}
	return out, nil
}

func checkSighting(s finding.Sighting) error {
	switch {
	case s.Title == "":
		return finding.Errorf(finding.EINVALID, "发现的问题缺少标题")
	case !s.Category.Valid():
		_, err := finding.ParseCategory(string(s.Category))
		return err
	case !s.Severity.Valid():
		_, err := finding.ParseSeverity(string(s.Severity))
		return err
	case !s.Source.Valid():
		_, err := finding.ParseSource(string(s.Source))
		return err
	case s.Channel != "" && !s.Channel.Valid():
		_, err := finding.ParseChannel(string(s.Channel))
		return err
	case s.Scope != "" && s.Scope != finding.ScopeItem && !s.Scope.Shared():
		return finding.Errorf(finding.EINVALID, "问题范围应为 item、site 或 template，收到 %q", s.Scope)
	case s.Scope.Shared() && (s.ItemCode != "" || s.Unit != ""):
		return finding.Errorf(finding.EINVALID, "%s面向门户运营方，不属于某个事项或窗口单位（收到事项 %q、单位 %q）", s.Scope.Label(), s.ItemCode, s.Unit)
	}
	return nil
}

// Fingerprint hashes the parts that identify a defect across runs, for callers that have no
// better stable locator.
func Fingerprint(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// ensureUnits returns the IDs of the units the sightings name, creating the missing ones.
func (l *Loop) ensureUnits(ctx context.Context, ss []finding.Sighting) (map[string]int64, error) {
	seen := map[string]bool{}
	var want []finding.Unit
	for _, s := range ss {
		if s.Unit != "" && !seen[s.Unit] {
			seen[s.Unit] = true
			want = append(want, finding.Unit{Name: s.Unit, Jurisdiction: s.Jurisdiction})
		}
	}
	ids := make(map[string]int64, len(want))
	if len(want) == 0 {
		return ids, nil
	}
	units, err := l.store.EnsureUnits(ctx, want)
	if err != nil {
		return nil, fmt.Errorf("ensure %d units: %w", len(want), err)
	}
	for _, u := range units {
		ids[u.Name] = u.ID
	}
	return ids, nil
}

// sightingRef places one sighting: its group and whether it is the group's first.
type sightingRef struct {
	group int
	first bool
}

// group gathers sightings by fingerprint, in order of first appearance.
func group(ss []finding.Sighting, units map[string]int64) ([]finding.SightingGroup, []sightingRef) {
	byFP := make(map[string]int, len(ss))
	groups := make([]finding.SightingGroup, 0, len(ss))
	index := make([]sightingRef, len(ss))
	for i, s := range ss {
		g, ok := byFP[s.Fingerprint]
		if !ok {
			g = len(groups)
			byFP[s.Fingerprint] = g
			groups = append(groups, finding.SightingGroup{UnitID: units[s.Unit]})
		}
		groups[g].Sightings = append(groups[g].Sightings, s)
		index[i] = sightingRef{group: g, first: !ok}
	}
	return groups, index
}

// chunks splits groups into runs of about n sightings, never splitting a group.
func chunks(groups []finding.SightingGroup, n int) [][]finding.SightingGroup {
	var out [][]finding.SightingGroup
	start, size := 0, 0
	for i, g := range groups {
		size += len(g.Sightings)
		if size >= n {
			out = append(out, groups[start:i+1])
			start, size = i+1, 0
		}
	}
	if start < len(groups) {
		out = append(out, groups[start:])
	}
	return out
}

func outcomes(index []sightingRef, results []finding.Ingested) []Outcome {
	out := make([]Outcome, len(index))
	for i, ref := range index {
		r := results[ref.group]
		out[i] = Outcome{FindingID: r.FindingID}
		if ref.first && r.New {
			out[i].New, out[i].Recurrence = true, r.RecurrenceOf != 0
		}
	}
	return out
}

func (l *Loop) logIngest(ctx context.Context, n int, results []finding.Ingested, took time.Duration) {
	var opened, recurred, suppressed int
	for _, r := range results {
		switch {
		case r.RecurrenceOf != 0:
			recurred++
		case r.New:
			opened++
		case r.Suppressed:
			suppressed++
		}
	}
	l.log.InfoContext(ctx, "ingested sightings", "sightings", n, "findings", len(results), "new", opened,
		"recurrences", recurred, "dismissed_seen_again", suppressed, "took", took)
}

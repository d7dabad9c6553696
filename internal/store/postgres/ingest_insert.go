package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tiyan/internal/finding"
)

// newRows are the columns of new findings, as arrays for unnest.
type newRows struct {
	kind, status, rule, category, severity, source, itemCode, itemName, channel []string
	jurisdiction, title, detail, url, fingerprint, scenario, runID, measured    []string
	scope                                                                       []string
	unitID, recurrenceOf                                                        []int64
	occurrences, affected                                                       []int32
	firstSeen, lastSeen                                                         []time.Time
}

func (r *newRows) add(f finding.Finding) error {
	m, err := jsonbText(f.Measured)
	if err != nil {
		return err
	}
	r.kind, r.status, r.rule = append(r.kind, string(f.Kind)), append(r.status, string(f.Status)), append(r.rule, f.Rule)
	r.category, r.severity = append(r.category, string(f.Category)), append(r.severity, string(f.Severity))
	r.source, r.itemCode, r.itemName = append(r.source, string(f.Source)), append(r.itemCode, f.ItemCode), append(r.itemName, f.ItemName)
	r.channel, r.jurisdiction = append(r.channel, string(f.Channel)), append(r.jurisdiction, f.Jurisdiction)
	r.title, r.detail, r.url = append(r.title, f.Title), append(r.detail, f.Detail), append(r.url, f.URL)
	r.fingerprint, r.scenario, r.runID = append(r.fingerprint, f.Fingerprint), append(r.scenario, f.Scenario), append(r.runID, f.RunID)
	r.measured, r.unitID, r.recurrenceOf = append(r.measured, m), append(r.unitID, f.UnitID), append(r.recurrenceOf, f.RecurrenceOf)
	r.occurrences = append(r.occurrences, int32(f.Occurrences))
	r.scope, r.affected = append(r.scope, string(f.Scope.Or())), append(r.affected, int32(f.Affected))
	r.firstSeen, r.lastSeen = append(r.firstSeen, f.FirstSeen), append(r.lastSeen, f.LastSeen)
	return nil
}

// openFindings inserts the new findings of groups fresh with one INSERT … SELECT FROM unnest,
// and copies their found events.
func (s *Store) openFindings(ctx context.Context, tx pgx.Tx, groups []finding.SightingGroup, fresh []int, recurrenceOf map[int]int64, out []finding.Ingested) error {
	if len(fresh) == 0 {
		return nil
	}
	var r newRows
	fs := make([]finding.Finding, len(fresh))
	for i, g := range fresh {
		fs[i] = groups[g].Finding(recurrenceOf[g])
		if err := fs[i].Validate(); err != nil {
			return err
		}
		if err := r.add(fs[i]); err != nil {
			return err
		}
	}
	rows, err := tx.Query(ctx, `INSERT INTO findings (kind, status, rule, category, severity, source, item_code,
		item_name, channel, jurisdiction, title, detail, url, fingerprint, scenario, run_id, measured, unit_id,
		recurrence_of, occurrences, first_seen, last_seen, created, updated, scope, affected)
		SELECT kind, status, rule, category, severity, source, item_code, item_name, channel, jurisdiction, title,
		detail, url, fingerprint, scenario, run_id, nullif(measured, '')::jsonb, nullif(unit_id, 0),
		nullif(recurrence_of, 0), occurrences, first_seen, last_seen, $23, $23, scope, affected
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
		$9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
		$17::text[], $18::bigint[], $19::bigint[], $20::int[], $21::timestamptz[], $22::timestamptz[], $24::text[], $25::int[])
		AS u(kind, status, rule, category, severity, source, item_code, item_name, channel, jurisdiction, title,
		detail, url, fingerprint, scenario, run_id, measured, unit_id, recurrence_of, occurrences, first_seen, last_seen,
		scope, affected)
		RETURNING fingerprint, id`,
		r.kind, r.status, r.rule, r.category, r.severity, r.source, r.itemCode, r.itemName, r.channel,
		r.jurisdiction, r.title, r.detail, r.url, r.fingerprint, r.scenario, r.runID, r.measured, r.unitID,
		r.recurrenceOf, r.occurrences, r.firstSeen, r.lastSeen, s.now(), r.scope, r.affected)
	if err != nil {
		return fmt.Errorf("insert new findings: %w", err)
	}
	ids := map[string]int64{}
	var fp string
	var id int64
	if _, err := pgx.ForEachRow(rows, []any{&fp, &id}, func() error { ids[fp] = id; return nil }); err != nil {
		return fmt.Errorf("insert new findings: %w", err)
	}
	events := make([][]any, len(fresh))
	for i, g := range fresh {
		id := ids[fs[i].Fingerprint]
		out[g] = finding.Ingested{FindingID: id, New: true, RecurrenceOf: recurrenceOf[g]}
		e := finding.FoundEvent(fs[i])
		events[i] = []any{id, string(e.Action), "", string(e.To), e.Actor, e.At, e.Note}
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"events"}, []string{"finding_id", "action", "from_status", "to_status", "actor", "at", "note"}, pgx.CopyFromRows(events))
	if err != nil {
		return fmt.Errorf("copy found events: %w", err)
	}
	return nil
}

// copySightings links every sighting to its finding and run, and copies its evidence.
func copySightings(ctx context.Context, tx pgx.Tx, groups []finding.SightingGroup, out []finding.Ingested) error {
	var sightings, evidence [][]any
	for i, g := range groups {
		for _, sg := range g.Sightings {
			sightings = append(sightings, []any{sg.RunID, out[i].FindingID, sg.SeenAt})
			for _, e := range sg.StampedEvidence() {
				if e.Data == nil {
					e.Data = []byte{}
				}
				evidence = append(evidence, []any{out[i].FindingID, e.RunID, e.Kind, e.Name, e.ContentType, int32(len(e.Data)), e.Data, e.Created})
			}
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"sightings"}, []string{"run_id", "finding_id", "seen_at"}, pgx.CopyFromRows(sightings)); err != nil {
		return fmt.Errorf("copy sightings: %w", err)
	}
	if len(evidence) == 0 {
		return nil
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"evidence"}, []string{"finding_id", "run_id", "kind", "name", "content_type", "size", "data", "created"}, pgx.CopyFromRows(evidence))
	if err != nil {
		return fmt.Errorf("copy evidence: %w", err)
	}
	return nil
}

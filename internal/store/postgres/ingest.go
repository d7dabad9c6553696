package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tiyan/internal/finding"
)

// Ingest files sighting groups in one transaction; see finding.FindingStore. Ingests take an
// advisory lock per schema, so two of them never open the same fingerprint twice; a transition
// that closes a finding meanwhile is caught by the status check of the update, and the group
// is classified again.
func (s *Store) Ingest(ctx context.Context, groups []finding.SightingGroup) ([]finding.Ingested, error) {
	for i, g := range groups {
		if len(g.Sightings) == 0 {
			return nil, finding.Errorf(finding.EINVALID, "第 %d 组发现为空", i)
		}
	}
	out := make([]finding.Ingested, len(groups))
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('tiyan-ingest:' || current_schema(), 0))`); err != nil {
			return fmt.Errorf("lock for ingest: %w", err)
		}
		if err := s.place(ctx, tx, groups, out); err != nil {
			return err
		}
		return copySightings(ctx, tx, groups, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// place decides, for every group, which finding it belongs to, and updates or inserts findings.
func (s *Store) place(ctx context.Context, tx pgx.Tx, groups []finding.SightingGroup, out []finding.Ingested) error {
	todo := make([]int, len(groups))
	for i := range todo {
		todo[i] = i
	}
	for attempt := 0; len(todo) > 0; attempt++ {
		if attempt == 3 {
			return fmt.Errorf("ingest: %d findings kept changing status while being filed", len(todo))
		}
		c, err := classify(ctx, tx, groups, todo)
		if err != nil {
			return err
		}
		missed, err := s.seenAgain(ctx, tx, groups, c.existing, out)
		if err != nil {
			return err
		}
		if err := s.openFindings(ctx, tx, groups, c.fresh, c.recurrenceOf, out); err != nil {
			return err
		}
		todo = missed
	}
	return nil
}

// existing is a group that an existing finding takes: open, or dismissed (suppressed).
type existing struct {
	group  int
	id     int64
	status finding.Status
}

type classes struct {
	existing     []existing
	fresh        []int         // groups that open a new finding
	recurrenceOf map[int]int64 // group → the verified finding it re-opens
}

// classify looks the groups' fingerprints up: first among open findings, then the latest
// closed one.
func classify(ctx context.Context, tx pgx.Tx, groups []finding.SightingGroup, todo []int) (classes, error) {
	c := classes{recurrenceOf: map[int]int64{}}
	byFP := make(map[string]int, len(todo))
	fps := make([]string, 0, len(todo))
	for _, g := range todo {
		fp := groups[g].Sightings[0].Fingerprint
		byFP[fp] = g
		fps = append(fps, fp)
	}
	open, err := lookup(ctx, tx, `SELECT fingerprint, id, status FROM findings WHERE fingerprint = ANY($1)
		AND fingerprint <> '' AND status IN ('found', 'fed_back', 'handled')`, fps)
	if err != nil {
		return c, err
	}
	var rest []string
	for _, fp := range fps {
		if e, ok := open[fp]; ok {
			c.existing = append(c.existing, existing{byFP[fp], e.id, e.status})
		} else {
			rest = append(rest, fp)
		}
	}
	closed, err := lookup(ctx, tx, `SELECT DISTINCT ON (fingerprint) fingerprint, id, status FROM findings
		WHERE fingerprint = ANY($1) AND fingerprint <> '' AND status IN ('verified', 'dismissed')
		ORDER BY fingerprint, id DESC`, rest)
	if err != nil {
		return c, err
	}
	for _, fp := range rest {
		g := byFP[fp]
		e, ok := closed[fp]
		switch {
		case ok && e.status == finding.Dismissed:
			c.existing = append(c.existing, existing{g, e.id, e.status})
		case ok:
			c.recurrenceOf[g] = e.id
			c.fresh = append(c.fresh, g)
		default:
			c.fresh = append(c.fresh, g)
		}
	}
	return c, nil
}

type found struct {
	id     int64
	status finding.Status
}

func lookup(ctx context.Context, tx pgx.Tx, q string, fps []string) (map[string]found, error) {
	out := make(map[string]found, len(fps))
	if len(fps) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, q, fps)
	if err != nil {
		return nil, fmt.Errorf("look up fingerprints: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var fp string
		var f found
		if err := rows.Scan(&fp, &f.id, &f.status); err != nil {
			return nil, err
		}
		out[fp] = f
	}
	return out, rows.Err()
}

// seenAgain counts groups on their existing findings with one UPDATE … FROM unnest, and returns
// the groups whose finding changed status meanwhile, to be classified again.
func (s *Store) seenAgain(ctx context.Context, tx pgx.Tx, groups []finding.SightingGroup, ex []existing, out []finding.Ingested) ([]int, error) {
	if len(ex) == 0 {
		return nil, nil
	}
	n := len(ex)
	ids, counts, seen, runs, measured, statuses := make([]int64, n), make([]int32, n), make([]time.Time, n), make([]string, n), make([]string, n), make([]string, n)
	affected := make([]int32, n)
	for i, e := range ex {
		g := groups[e.group]
		last := g.Sightings[len(g.Sightings)-1]
		m, err := jsonbText(last.Measured)
		if err != nil {
			return nil, err
		}
		ids[i], counts[i], seen[i], runs[i], measured[i], statuses[i] = e.id, int32(len(g.Sightings)), g.LastSeen(), last.RunID, m, string(e.status)
		affected[i] = int32(last.Affected)
	}
	rows, err := tx.Query(ctx, `UPDATE findings f SET last_seen = greatest(f.last_seen, u.seen),
		occurrences = f.occurrences + u.n, run_id = u.run, measured = coalesce(nullif(u.measured, '')::jsonb, f.measured),
		affected = u.affected, updated = $7
		FROM unnest($1::bigint[], $2::int[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $8::int[])
		AS u(id, n, seen, run, measured, status, affected)
		WHERE f.id = u.id AND f.status = u.status RETURNING f.id`, ids, counts, seen, runs, measured, statuses, s.now(), affected)
	if err != nil {
		return nil, fmt.Errorf("update findings seen again: %w", err)
	}
	done, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("update findings seen again: %w", err)
	}
	return settle(ex, done, out), nil
}

// settle records the groups whose update went through and returns the others.
func settle(ex []existing, done []int64, out []finding.Ingested) []int {
	ok := make(map[int64]bool, len(done))
	for _, id := range done {
		ok[id] = true
	}
	var missed []int
	for _, e := range ex {
		if !ok[e.id] {
			missed = append(missed, e.group)
			continue
		}
		out[e.group] = finding.Ingested{FindingID: e.id, Suppressed: e.status == finding.Dismissed}
	}
	return missed
}

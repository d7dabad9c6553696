package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tiyan/internal/finding"
)

// findingCols and findingFrom select a finding with its unit's and officer's names.
const (
	findingCols = `f.id, f.kind, f.status, f.rule, f.category, f.severity, f.source, f.item_code, f.item_name,
	f.channel, coalesce(f.unit_id, 0), coalesce(u.name, ''), f.jurisdiction, f.title, f.detail, f.url,
	f.fingerprint, f.scenario, f.run_id, f.measured, coalesce(f.recurrence_of, 0), coalesce(f.officer_id, 0),
	coalesce(o.name, ''), coalesce(f.activity_id, 0), f.deadline, f.deadline_note, f.occurrences,
	f.first_seen, f.last_seen, f.created, f.updated, f.scope, f.affected`
	findingFrom = ` FROM findings f LEFT JOIN units u ON u.id = f.unit_id LEFT JOIN officers o ON o.id = f.officer_id`
)

func scanFinding(row pgx.Row) (finding.Finding, error) {
	var f finding.Finding
	var measured []byte
	var deadline, first, last, created, updated *time.Time
	err := row.Scan(&f.ID, &f.Kind, &f.Status, &f.Rule, &f.Category, &f.Severity, &f.Source, &f.ItemCode, &f.ItemName,
		&f.Channel, &f.UnitID, &f.Unit, &f.Jurisdiction, &f.Title, &f.Detail, &f.URL,
		&f.Fingerprint, &f.Scenario, &f.RunID, &measured, &f.RecurrenceOf, &f.OfficerID,
		&f.Officer, &f.ActivityID, &deadline, &f.DeadlineNote, &f.Occurrences,
		&first, &last, &created, &updated, &f.Scope, &f.Affected)
	if err != nil {
		return f, err
	}
	f.Deadline, f.FirstSeen, f.LastSeen = fromTS(deadline), fromTS(first), fromTS(last)
	f.Created, f.Updated = fromTS(created), fromTS(updated)
	return f, fromJSON(measured, &f.Measured)
}

// Finding returns one finding with its events and evidence metadata.
func (s *Store) Finding(ctx context.Context, id int64) (finding.Finding, error) {
	f, err := scanFinding(s.pool.QueryRow(ctx, `SELECT `+findingCols+findingFrom+` WHERE f.id = $1`, id))
	if err != nil {
		return f, notFound(err, fmt.Sprintf("finding %d", id), fmt.Sprintf("问题 #%d 不存在", id))
	}
	if f.Events, err = s.events(ctx, id); err != nil {
		return f, err
	}
	f.Evidence, err = s.evidenceList(ctx, id)
	return f, err
}

func (s *Store) events(ctx context.Context, id int64) ([]finding.Event, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, action, from_status, to_status, actor, at, note
		FROM events WHERE finding_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("events of finding %d: %w", id, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (finding.Event, error) {
		var e finding.Event
		err := row.Scan(&e.ID, &e.Action, &e.From, &e.To, &e.Actor, &e.At, &e.Note)
		e.At = e.At.UTC()
		return e, err
	})
}

const evidenceCols = `id, kind, name, content_type, size, run_id, coalesce(event_id, 0), created`

func (s *Store) evidenceList(ctx context.Context, id int64) ([]finding.Evidence, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+evidenceCols+` FROM evidence WHERE finding_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("evidence of finding %d: %w", id, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (finding.Evidence, error) {
		var e finding.Evidence
		err := row.Scan(&e.ID, &e.Kind, &e.Name, &e.ContentType, &e.Size, &e.RunID, &e.EventID, &e.Created)
		e.Created = e.Created.UTC()
		return e, err
	})
}

// Evidence returns one piece of evidence with its data.
func (s *Store) Evidence(ctx context.Context, id int64) (finding.Evidence, error) {
	var e finding.Evidence
	err := s.pool.QueryRow(ctx, `SELECT `+evidenceCols+`, data FROM evidence WHERE id = $1`, id).
		Scan(&e.ID, &e.Kind, &e.Name, &e.ContentType, &e.Size, &e.RunID, &e.EventID, &e.Created, &e.Data)
	if err != nil {
		return e, notFound(err, fmt.Sprintf("evidence %d", id), fmt.Sprintf("证据 #%d 不存在", id))
	}
	e.Created = e.Created.UTC()
	return e, nil
}

// Findings lists findings, without events and evidence.
func (s *Store) Findings(ctx context.Context, filter finding.FindingFilter) ([]finding.Finding, error) {
	w := whereClause(filter)
	q := `SELECT ` + findingCols + findingFrom + w.sql() + orderClause(filter.Order)
	if filter.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, filter.Limit)
	}
	if filter.Offset > 0 {
		q += fmt.Sprintf(` OFFSET %d`, filter.Offset)
	}
	return s.queryFindings(ctx, q, w.args...)
}

func (s *Store) queryFindings(ctx context.Context, q string, args ...any) ([]finding.Finding, error) {
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list findings: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (finding.Finding, error) { return scanFinding(row) })
	if err != nil {
		return nil, fmt.Errorf("scan findings: %w", err)
	}
	return out, nil
}

// CountFindings counts what Findings would list without paging.
func (s *Store) CountFindings(ctx context.Context, filter finding.FindingFilter) (int, error) {
	w := whereClause(filter)
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM findings f`+w.sql(), w.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count findings: %w", err)
	}
	return n, nil
}

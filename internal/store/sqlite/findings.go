package sqlite

import (
	"context"
	"database/sql"
	"fmt"

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

type scanner interface{ Scan(dest ...any) error }

func scanFinding(row scanner) (finding.Finding, error) {
	var f finding.Finding
	var measured sql.NullString
	var deadline, first, last, created, updated sql.NullInt64
	err := row.Scan(&f.ID, &f.Kind, &f.Status, &f.Rule, &f.Category, &f.Severity, &f.Source, &f.ItemCode, &f.ItemName,
		&f.Channel, &f.UnitID, &f.Unit, &f.Jurisdiction, &f.Title, &f.Detail, &f.URL,
		&f.Fingerprint, &f.Scenario, &f.RunID, &measured, &f.RecurrenceOf, &f.OfficerID,
		&f.Officer, &f.ActivityID, &deadline, &f.DeadlineNote, &f.Occurrences,
		&first, &last, &created, &updated, &f.Scope, &f.Affected)
	if err != nil {
		return f, err
	}
	f.Deadline, f.FirstSeen, f.LastSeen = fromMicros(deadline), fromMicros(first), fromMicros(last)
	f.Created, f.Updated = fromMicros(created), fromMicros(updated)
	return f, fromJSON(measured, &f.Measured)
}

// Finding returns one finding with its events and evidence metadata.
func (s *Store) Finding(ctx context.Context, id int64) (finding.Finding, error) {
	f, err := scanFinding(s.r.QueryRowContext(ctx, `SELECT `+findingCols+findingFrom+` WHERE f.id = ?`, id))
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
	rows, err := s.r.QueryContext(ctx, `SELECT id, action, from_status, to_status, actor, at, note
		FROM events WHERE finding_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("events of finding %d: %w", id, err)
	}
	defer rows.Close()
	var out []finding.Event
	for rows.Next() {
		var e finding.Event
		var at sql.NullInt64
		if err := rows.Scan(&e.ID, &e.Action, &e.From, &e.To, &e.Actor, &at, &e.Note); err != nil {
			return nil, fmt.Errorf("scan event: %w", err)
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

const evidenceCols = `id, kind, name, content_type, size, run_id, coalesce(event_id, 0), created`

func (s *Store) evidenceList(ctx context.Context, id int64) ([]finding.Evidence, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+evidenceCols+` FROM evidence WHERE finding_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("evidence of finding %d: %w", id, err)
	}
	defer rows.Close()
	var out []finding.Evidence
	for rows.Next() {
		var e finding.Evidence
		var created sql.NullInt64
		if err := rows.Scan(&e.ID, &e.Kind, &e.Name, &e.ContentType, &e.Size, &e.RunID, &e.EventID, &created); err != nil {
			return nil, fmt.Errorf("scan evidence: %w", err)
		}
		e.Created = fromMicros(created)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Evidence returns one piece of evidence with its data.
func (s *Store) Evidence(ctx context.Context, id int64) (finding.Evidence, error) {
	var e finding.Evidence
	var created sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT `+evidenceCols+`, data FROM evidence WHERE id = ?`, id).
		Scan(&e.ID, &e.Kind, &e.Name, &e.ContentType, &e.Size, &e.RunID, &e.EventID, &created, &e.Data)
	e.Created = fromMicros(created)
	if err != nil {
		return e, notFound(err, fmt.Sprintf("evidence %d", id), fmt.Sprintf("证据 #%d 不存在", id))
	}
	return e, nil
}

// Findings lists findings, without events and evidence.
func (s *Store) Findings(ctx context.Context, filter finding.FindingFilter) ([]finding.Finding, error) {
	where, args := whereClause(filter)
	q := `SELECT ` + findingCols + findingFrom + where + orderClause(filter.Order)
	if filter.Limit > 0 || filter.Offset > 0 {
		limit := filter.Limit
		if limit <= 0 {
			limit = -1
		}
		q += ` LIMIT ? OFFSET ?`
		args = append(args, limit, filter.Offset)
	}
	return s.queryFindings(ctx, q, args...)
}

func (s *Store) queryFindings(ctx context.Context, q string, args ...any) ([]finding.Finding, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list findings: %w", err)
	}
	defer rows.Close()
	var out []finding.Finding
	for rows.Next() {
		f, err := scanFinding(rows)
		if err != nil {
			return nil, fmt.Errorf("scan finding: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// CountFindings counts what Findings would list without paging.
func (s *Store) CountFindings(ctx context.Context, filter finding.FindingFilter) (int, error) {
	where, args := whereClause(filter)
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM findings f`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count findings: %w", err)
	}
	return n, nil
}

package sqlcore

import (
	"context"
	"database/sql"
	"fmt"

	"tiyan/internal/finding"
)

// FindingCols and FindingFrom select a finding with its unit's and officer's names: the one
// list of a finding's columns both stores read.
const (
	FindingCols = `f.id, f.kind, f.status, f.rule, f.category, f.severity, f.source, f.item_code, f.item_name,
	f.channel, coalesce(f.unit_id, 0), coalesce(u.name, ''), f.jurisdiction, f.title, f.detail, f.url,
	f.fingerprint, f.scenario, f.run_id, f.measured, coalesce(f.recurrence_of, 0), coalesce(f.officer_id, 0),
	coalesce(o.name, ''), coalesce(f.activity_id, 0), f.deadline, f.deadline_note, f.occurrences,
	f.first_seen, f.last_seen, f.created, f.updated, f.scope, f.affected`
	FindingFrom = ` FROM findings f LEFT JOIN units u ON u.id = f.unit_id LEFT JOIN officers o ON o.id = f.officer_id`
)

// ScanFinding scans a row of FindingCols.
func ScanFinding(row scanner) (finding.Finding, error) {
	var f finding.Finding
	var measured sql.NullString
	var deadline, first, last, created, updated NullTime
	err := row.Scan(&f.ID, &f.Kind, &f.Status, &f.Rule, &f.Category, &f.Severity, &f.Source, &f.ItemCode, &f.ItemName,
		&f.Channel, &f.UnitID, &f.Unit, &f.Jurisdiction, &f.Title, &f.Detail, &f.URL,
		&f.Fingerprint, &f.Scenario, &f.RunID, &measured, &f.RecurrenceOf, &f.OfficerID,
		&f.Officer, &f.ActivityID, &deadline, &f.DeadlineNote, &f.Occurrences,
		&first, &last, &created, &updated, &f.Scope, &f.Affected)
	if err != nil {
		return f, err
	}
	f.Deadline, f.FirstSeen, f.LastSeen = deadline.T, first.T, last.T
	f.Created, f.Updated = created.T, updated.T
	return f, fromJSON(measured, &f.Measured)
}

// Finding returns one finding with its events and evidence metadata.
func (s *Core) Finding(ctx context.Context, id int64) (finding.Finding, error) {
	f, err := ScanFinding(s.row(ctx, `SELECT `+FindingCols+FindingFrom+` WHERE f.id = ?`, id))
	if err != nil {
		return f, NotFound(err, fmt.Sprintf("finding %d", id), fmt.Sprintf("问题 #%d 不存在", id))
	}
	if f.Events, err = s.events(ctx, id); err != nil {
		return f, err
	}
	f.Evidence, err = s.evidenceList(ctx, id)
	return f, err
}

func (s *Core) events(ctx context.Context, id int64) ([]finding.Event, error) {
	rows, err := s.query(ctx, `SELECT id, action, from_status, to_status, actor, at, note
		FROM events WHERE finding_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("events of finding %d: %w", id, err)
	}
	defer rows.Close()
	var out []finding.Event
	for rows.Next() {
		var e finding.Event
		var at NullTime
		if err := rows.Scan(&e.ID, &e.Action, &e.From, &e.To, &e.Actor, &at, &e.Note); err != nil {
			return nil, fmt.Errorf("scan event: %w", err)
		}
		e.At = at.T
		out = append(out, e)
	}
	return out, rows.Err()
}

const evidenceCols = `id, kind, name, content_type, size, run_id, coalesce(event_id, 0), created`

func (s *Core) evidenceList(ctx context.Context, id int64) ([]finding.Evidence, error) {
	rows, err := s.query(ctx, `SELECT `+evidenceCols+` FROM evidence WHERE finding_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("evidence of finding %d: %w", id, err)
	}
	defer rows.Close()
	var out []finding.Evidence
	for rows.Next() {
		var e finding.Evidence
		var created NullTime
		if err := rows.Scan(&e.ID, &e.Kind, &e.Name, &e.ContentType, &e.Size, &e.RunID, &e.EventID, &created); err != nil {
			return nil, fmt.Errorf("scan evidence: %w", err)
		}
		e.Created = created.T
		out = append(out, e)
	}
	return out, rows.Err()
}

// Evidence returns one piece of evidence with its data.
func (s *Core) Evidence(ctx context.Context, id int64) (finding.Evidence, error) {
	var e finding.Evidence
	var created NullTime
	err := s.row(ctx, `SELECT `+evidenceCols+`, data FROM evidence WHERE id = ?`, id).
		Scan(&e.ID, &e.Kind, &e.Name, &e.ContentType, &e.Size, &e.RunID, &e.EventID, &created, &e.Data)
	e.Created = created.T
	if err != nil {
		return e, NotFound(err, fmt.Sprintf("evidence %d", id), fmt.Sprintf("证据 #%d 不存在", id))
	}
	return e, nil
}

// SelectFindings runs a query of FindingCols+FindingFrom and scans every finding. Its
// placeholders are ? (rewritten for the dialect) or already the dialect's own.
func (s *Core) SelectFindings(ctx context.Context, q string, args ...any) ([]finding.Finding, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list findings: %w", err)
	}
	return Collect(rows, "finding", ScanFinding)
}

// RunFindings lists the findings sighted in a run.
func (s *Core) RunFindings(ctx context.Context, runID string) ([]finding.Finding, error) {
	return s.SelectFindings(ctx, `SELECT `+FindingCols+FindingFrom+`
		WHERE f.id IN (SELECT finding_id FROM sightings WHERE run_id = ?) ORDER BY f.id`, runID)
}

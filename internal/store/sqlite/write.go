package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tiyan/internal/finding"
)

// CreateFinding stores a new finding with its first event and evidence.
func (s *Store) CreateFinding(ctx context.Context, f finding.Finding, first finding.Event, evidence []finding.Evidence) (finding.Finding, error) {
	if err := f.Validate(); err != nil {
		return f, err
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = s.insertFinding(ctx, tx, f); err != nil {
			return err
		}
		first.From, first.To = "", f.Status
		eventID, err := insertEvent(ctx, tx, id, first)
		if err != nil {
			return err
		}
		return insertEvidence(ctx, tx, id, eventID, "", evidence)
	})
	if err != nil {
		return f, err
	}
	return s.Finding(ctx, id)
}

func (s *Store) insertFinding(ctx context.Context, tx execer, f finding.Finding) (int64, error) {
	measured, err := jsonText(f.Measured)
	if err != nil {
		return 0, err
	}
	now := s.now().UnixMicro()
	res, err := tx.ExecContext(ctx, `INSERT INTO findings (kind, status, rule, category, severity, source,
		item_code, item_name, channel, unit_id, jurisdiction, title, detail, url, fingerprint, scenario, run_id,
		measured, recurrence_of, officer_id, activity_id, deadline, deadline_note, occurrences, first_seen,
		last_seen, created, updated, scope, affected) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		f.Kind, f.Status, f.Rule, f.Category, f.Severity, f.Source, f.ItemCode, f.ItemName, f.Channel,
		nullID(f.UnitID), f.Jurisdiction, f.Title, f.Detail, f.URL, f.Fingerprint, f.Scenario, f.RunID,
		measured, nullID(f.RecurrenceOf), nullID(f.OfficerID), nullID(f.ActivityID), micros(f.Deadline),
		f.DeadlineNote, max(f.Occurrences, 1), micros(f.FirstSeen), micros(f.LastSeen), now, now, f.Scope.Or(), f.Affected)
	if err != nil {
		return 0, s.refError(ctx, err, f)
	}
	return res.LastInsertId()
}

// refError explains a failed insert that names a unit, officer or activity that does not exist.
func (s *Store) refError(ctx context.Context, err error, f finding.Finding) error {
	if !strings.Contains(err.Error(), "FOREIGN KEY") {
		return fmt.Errorf("insert finding: %w", err)
	}
	return finding.Errorf(finding.ENOTFOUND, "问题引用的单位 #%d、体验官 #%d、体验活动 #%d 或原问题 #%d 有不存在的，未保存",
		f.UnitID, f.OfficerID, f.ActivityID, f.RecurrenceOf)
}

func insertEvent(ctx context.Context, tx execer, findingID int64, e finding.Event) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO events (finding_id, action, from_status, to_status, actor, at, note)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, findingID, e.Action, e.From, e.To, e.Actor, e.At.UnixMicro(), e.Note)
	if err != nil {
		return 0, fmt.Errorf("insert event: %w", err)
	}
	return res.LastInsertId()
}

func insertEvidence(ctx context.Context, tx execer, findingID, eventID int64, runID string, evidence []finding.Evidence) error {
	for _, e := range evidence {
		if e.Data == nil {
			e.Data = []byte{}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO evidence (finding_id, event_id, run_id, kind, name, content_type, size, data, created)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, findingID, nullID(eventID), runID, e.Kind, e.Name, e.ContentType,
			len(e.Data), e.Data, e.Created.UnixMicro()); err != nil {
			return fmt.Errorf("insert evidence: %w", err)
		}
	}
	return nil
}

// Transition applies one move of the loop, only if the finding is still in t.From.
func (s *Store) Transition(ctx context.Context, t finding.Transition) (finding.Finding, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		set := []string{"status = ?", "updated = ?"}
		args := []any{t.To, t.Event.At.UnixMicro()}
		if t.UnitID != 0 {
			set, args = append(set, "unit_id = ?"), append(args, t.UnitID)
		}
		if t.SetDeadline {
			set, args = append(set, "deadline = ?", "deadline_note = ?"), append(args, micros(t.Deadline), t.DeadlineNote)
		}
		res, err := tx.ExecContext(ctx, `UPDATE findings SET `+strings.Join(set, ", ")+` WHERE id = ? AND status = ?`,
			append(args, t.ID, t.From)...)
		if err != nil {
			return fmt.Errorf("update finding %d: %w", t.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return s.moved(ctx, tx, t)
		}
		t.Event.From, t.Event.To = t.From, t.To
		eventID, err := insertEvent(ctx, tx, t.ID, t.Event)
		if err != nil {
			return err
		}
		return insertEvidence(ctx, tx, t.ID, eventID, "", t.Evidence)
	})
	if err != nil {
		return finding.Finding{}, err
	}
	return s.Finding(ctx, t.ID)
}

// moved explains why a transition updated nothing: no such finding, or its status moved.
func (s *Store) moved(ctx context.Context, tx *sql.Tx, t finding.Transition) error {
	var status finding.Status
	err := tx.QueryRowContext(ctx, `SELECT status FROM findings WHERE id = ?`, t.ID).Scan(&status)
	if err != nil {
		return notFound(err, fmt.Sprintf("finding %d", t.ID), fmt.Sprintf("问题 #%d 不存在", t.ID))
	}
	return finding.Errorf(finding.ECONFLICT, "问题 #%d 的状态已变为“%s”(%s)，不再是“%s”，本次操作未执行，请刷新后再试",
		t.ID, status.Label(), status, t.From.Label())
}

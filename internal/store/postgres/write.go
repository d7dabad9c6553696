package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"tiyan/internal/finding"
)

// CreateFinding stores a new finding with its first event and evidence.
func (s *Store) CreateFinding(ctx context.Context, f finding.Finding, first finding.Event, evidence []finding.Evidence) (finding.Finding, error) {
	if err := f.Validate(); err != nil {
		return f, err
	}
	var id int64
	err := s.tx(ctx, func(tx pgx.Tx) error {
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

func (s *Store) insertFinding(ctx context.Context, tx pgx.Tx, f finding.Finding) (int64, error) {
	measured, err := jsonb(f.Measured)
	if err != nil {
		return 0, err
	}
	now := s.now()
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO findings (kind, status, rule, category, severity, source,
		item_code, item_name, channel, unit_id, jurisdiction, title, detail, url, fingerprint, scenario, run_id,
		measured, recurrence_of, officer_id, activity_id, deadline, deadline_note, occurrences, first_seen,
		last_seen, created, updated, scope, affected) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,
		$20,$21,$22,$23,$24,$25,$26,$27,$27,$28,$29) RETURNING id`,
		f.Kind, f.Status, f.Rule, f.Category, f.Severity, f.Source, f.ItemCode, f.ItemName, f.Channel,
		nullID(f.UnitID), f.Jurisdiction, f.Title, f.Detail, f.URL, f.Fingerprint, f.Scenario, f.RunID,
		measured, nullID(f.RecurrenceOf), nullID(f.OfficerID), nullID(f.ActivityID), ts(f.Deadline),
		f.DeadlineNote, max(f.Occurrences, 1), ts(f.FirstSeen), ts(f.LastSeen), now, string(f.Scope.Or()), f.Affected).Scan(&id)
	if pgCode(err) == foreignKeyViolation {
		return 0, finding.Errorf(finding.ENOTFOUND, "问题引用的单位 #%d、体验官 #%d、体验活动 #%d 或原问题 #%d 有不存在的，未保存",
			f.UnitID, f.OfficerID, f.ActivityID, f.RecurrenceOf)
	}
	if err != nil {
		return 0, fmt.Errorf("insert finding: %w", err)
	}
	return id, nil
}

func insertEvent(ctx context.Context, tx pgx.Tx, findingID int64, e finding.Event) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO events (finding_id, action, from_status, to_status, actor, at, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, findingID, e.Action, e.From, e.To, e.Actor, ts(e.At), e.Note).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert event: %w", err)
	}
	return id, nil
}

func insertEvidence(ctx context.Context, tx pgx.Tx, findingID, eventID int64, runID string, evidence []finding.Evidence) error {
	for _, e := range evidence {
		if e.Data == nil {
			e.Data = []byte{}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO evidence (finding_id, event_id, run_id, kind, name, content_type, size, data, created)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, findingID, nullID(eventID), runID, e.Kind, e.Name, e.ContentType,
			len(e.Data), e.Data, ts(e.Created)); err != nil {
			return fmt.Errorf("insert evidence: %w", err)
		}
	}
	return nil
}

// Transition applies one move of the loop, only if the finding is still in t.From.
func (s *Store) Transition(ctx context.Context, t finding.Transition) (finding.Finding, error) {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		set := []string{"status = $3", "updated = $4"}
		args := []any{t.ID, t.From, t.To, ts(t.Event.At)}
		if t.UnitID != 0 {
			args = append(args, t.UnitID)
			set = append(set, fmt.Sprintf("unit_id = $%d", len(args)))
		}
		if t.SetDeadline {
			args = append(args, ts(t.Deadline), t.DeadlineNote)
			set = append(set, fmt.Sprintf("deadline = $%d", len(args)-1), fmt.Sprintf("deadline_note = $%d", len(args)))
		}
		tag, err := tx.Exec(ctx, `UPDATE findings SET `+strings.Join(set, ", ")+` WHERE id = $1 AND status = $2`, args...)
		if err != nil {
			return fmt.Errorf("update finding %d: %w", t.ID, err)
		}
		if tag.RowsAffected() == 0 {
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
func (s *Store) moved(ctx context.Context, tx pgx.Tx, t finding.Transition) error {
	var status finding.Status
	err := tx.QueryRow(ctx, `SELECT status FROM findings WHERE id = $1`, t.ID).Scan(&status)
	if err != nil {
		return notFound(err, fmt.Sprintf("finding %d", t.ID), fmt.Sprintf("问题 #%d 不存在", t.ID))
	}
	return finding.Errorf(finding.ECONFLICT, "问题 #%d 的状态已变为“%s”(%s)，不再是“%s”，本次操作未执行，请刷新后再试",
		t.ID, status.Label(), status, t.From.Label())
}

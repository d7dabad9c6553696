package sqlcore

import (
	"context"
	"fmt"
	"time"

	"tiyan/internal/finding"
)

const officerCols = `id, name, category, phone, organization, term_start, term_end, review_on, status,
	dismissed_at, dismiss_reason, created`

func scanOfficer(row scanner) (finding.Officer, error) {
	var o finding.Officer
	var start, end, review Date
	var dismissed, created NullTime
	err := row.Scan(&o.ID, &o.Name, &o.Category, &o.Phone, &o.Organization, &start, &end, &review, &o.Status,
		&dismissed, &o.DismissReason, &created)
	o.TermStart, o.TermEnd, o.ReviewOn = start.T, end.T, review.T
	o.DismissedAt, o.Created = dismissed.T, created.T
	return o, err
}

// CreateOfficer adds an officer.
func (s *Core) CreateOfficer(ctx context.Context, o finding.Officer) (finding.Officer, error) {
	if o.Status == "" {
		o.Status = finding.OfficerActive
	}
	if err := o.Validate(); err != nil {
		return o, err
	}
	if o.Created.IsZero() {
		o.Created = s.Now()
	}
	got, err := scanOfficer(s.rowW(ctx, `INSERT INTO officers (name, category, phone, organization, term_start, term_end,
		review_on, status, dismissed_at, dismiss_reason, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+officerCols,
		o.Name, o.Category, o.Phone, o.Organization, day(o.TermStart), day(o.TermEnd), day(o.ReviewOn), o.Status,
		s.Time(o.DismissedAt), o.DismissReason, s.Time(o.Created)))
	if err != nil {
		return o, fmt.Errorf("insert officer %s: %w", o.Name, err)
	}
	return got, nil
}

// Officer returns an officer by ID.
func (s *Core) Officer(ctx context.Context, id int64) (finding.Officer, error) {
	o, err := scanOfficer(s.row(ctx, `SELECT `+officerCols+` FROM officers WHERE id = ?`, id))
	if err != nil {
		return o, NotFound(err, fmt.Sprintf("officer %d", id), fmt.Sprintf("体验官 #%d 不存在（tiyan officers list 列出所有体验官）", id))
	}
	return o, nil
}

// Officers lists officers by ID.
func (s *Core) Officers(ctx context.Context, filter finding.OfficerFilter) ([]finding.Officer, error) {
	rows, err := s.query(ctx, `SELECT `+officerCols+` FROM officers
		WHERE (? = '' OR name = ?) AND (? = '' OR status = ?) ORDER BY id`,
		filter.Name, filter.Name, filter.Status, filter.Status)
	if err != nil {
		return nil, fmt.Errorf("list officers: %w", err)
	}
	return Collect(rows, "officer", scanOfficer)
}

// DismissOfficer ends an active officer's service.
func (s *Core) DismissOfficer(ctx context.Context, id int64, at time.Time, reason string) (finding.Officer, error) {
	res, err := s.exec(ctx, `UPDATE officers SET status = 'dismissed', dismissed_at = ?, dismiss_reason = ?
		WHERE id = ? AND status = 'active'`, s.Time(at), reason, id)
	if err != nil {
		return finding.Officer{}, fmt.Errorf("dismiss officer %d: %w", id, err)
	}
	o, err := s.Officer(ctx, id)
	if n, _ := res.RowsAffected(); err == nil && n == 0 {
		return o, finding.Errorf(finding.ECONFLICT, "体验官 %s（#%d）已于 %s 解聘", o.Name, o.ID, finding.FormatDate(o.DismissedAt))
	}
	return o, err
}

const activityCols = `id, day, mode, form, title, note, created`

// CreateActivity adds an activity with its participants.
func (s *Core) CreateActivity(ctx context.Context, a finding.Activity) (finding.Activity, error) {
	if err := a.Validate(); err != nil {
		return a, err
	}
	if a.Created.IsZero() {
		a.Created = s.Now()
	}
	var id int64
	err := s.InTx(ctx, func(tx Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO activities (day, mode, form, title, note, created) VALUES (?, ?, ?, ?, ?, ?)
			RETURNING id`, day(a.Date), a.Mode, a.Form, a.Title, a.Note, s.Time(a.Created)).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert activity: %w", err)
		}
		return addParticipants(ctx, tx, id, a.Participants)
	})
	if err != nil {
		return a, err
	}
	return s.Activity(ctx, id)
}

func addParticipants(ctx context.Context, tx Tx, id int64, officers []int64) error {
	for i, oid := range officers {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM officers WHERE id = ?`, oid).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return finding.Errorf(finding.ENOTFOUND, "体验官 #%d 不存在，不能作为活动参与人", oid)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO activity_officers (activity_id, officer_id, position) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, id, oid, i); err != nil {
			return fmt.Errorf("add participant %d: %w", oid, err)
		}
	}
	return nil
}

// Activity returns an activity with its participants.
func (s *Core) Activity(ctx context.Context, id int64) (finding.Activity, error) {
	as, err := s.activities(ctx, `WHERE id = ?`, id)
	if err == nil && len(as) == 0 {
		err = finding.Errorf(finding.ENOTFOUND, "体验活动 #%d 不存在（tiyan activities list 列出所有活动）", id)
	}
	if err != nil {
		return finding.Activity{}, err
	}
	return as[0], nil
}

// Activities lists activities by day, then ID.
func (s *Core) Activities(ctx context.Context, filter finding.ActivityFilter) ([]finding.Activity, error) {
	from, to := day(filter.From), day(filter.To)
	if from == nil {
		from = "0001-01-01"
	}
	if to == nil {
		to = "9999-12-31"
	}
	return s.activities(ctx, `WHERE day BETWEEN ? AND ? AND (? = 0 OR id IN (SELECT activity_id FROM activity_officers WHERE officer_id = ?))`,
		from, to, filter.OfficerID, filter.OfficerID)
}

func (s *Core) activities(ctx context.Context, where string, args ...any) ([]finding.Activity, error) {
	rows, err := s.query(ctx, `SELECT `+activityCols+` FROM activities `+where+` ORDER BY day, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list activities: %w", err)
	}
	var out []finding.Activity
	for rows.Next() {
		var a finding.Activity
		var d Date
		var created NullTime
		if err := rows.Scan(&a.ID, &d, &a.Mode, &a.Form, &a.Title, &a.Note, &created); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan activity: %w", err)
		}
		a.Date, a.Created = d.T, created.T
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := s.participants(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Core) participants(ctx context.Context, a *finding.Activity) error {
	rows, err := s.query(ctx, `SELECT o.id, o.name FROM activity_officers ao JOIN officers o ON o.id = ao.officer_id
		WHERE ao.activity_id = ? ORDER BY ao.position`, a.ID)
	if err != nil {
		return fmt.Errorf("participants of activity %d: %w", a.ID, err)
	}
	defer rows.Close()
	a.Participants, a.ParticipantNames = []int64{}, []string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		a.Participants, a.ParticipantNames = append(a.Participants, id), append(a.ParticipantNames, name)
	}
	return rows.Err()
}

package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tiyan/internal/finding"
)

const officerCols = `id, name, category, phone, organization, term_start::text, term_end::text, review_on::text,
	status, dismissed_at, dismiss_reason, created`

func scanOfficer(row pgx.Row) (finding.Officer, error) {
	var o finding.Officer
	var start, end, review string
	var dismissed *time.Time
	err := row.Scan(&o.ID, &o.Name, &o.Category, &o.Phone, &o.Organization, &start, &end, &review, &o.Status,
		&dismissed, &o.DismissReason, &o.Created)
	o.TermStart, o.TermEnd, o.ReviewOn = fromDay(start), fromDay(end), fromDay(review)
	o.DismissedAt, o.Created = fromTS(dismissed), o.Created.UTC()
	return o, err
}

// CreateOfficer adds an officer.
func (s *Store) CreateOfficer(ctx context.Context, o finding.Officer) (finding.Officer, error) {
	if o.Status == "" {
		o.Status = finding.OfficerActive
	}
	if err := o.Validate(); err != nil {
		return o, err
	}
	if o.Created.IsZero() {
		o.Created = s.now()
	}
	got, err := scanOfficer(s.pool.QueryRow(ctx, `INSERT INTO officers (name, category, phone, organization, term_start,
		term_end, review_on, status, dismissed_at, dismiss_reason, created)
		VALUES ($1, $2, $3, $4, $5::date, $6::date, $7::date, $8, $9, $10, $11) RETURNING `+officerCols,
		o.Name, o.Category, o.Phone, o.Organization, day(o.TermStart), day(o.TermEnd), day(o.ReviewOn), o.Status,
		ts(o.DismissedAt), o.DismissReason, ts(o.Created)))
	if err != nil {
		return o, fmt.Errorf("insert officer %s: %w", o.Name, err)
	}
	return got, nil
}

// Officer returns an officer by ID.
func (s *Store) Officer(ctx context.Context, id int64) (finding.Officer, error) {
	o, err := scanOfficer(s.pool.QueryRow(ctx, `SELECT `+officerCols+` FROM officers WHERE id = $1`, id))
	if err != nil {
		return o, notFound(err, fmt.Sprintf("officer %d", id), fmt.Sprintf("体验官 #%d 不存在（tiyan officers list 列出所有体验官）", id))
	}
	return o, nil
}

// Officers lists officers by ID.
func (s *Store) Officers(ctx context.Context, filter finding.OfficerFilter) ([]finding.Officer, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+officerCols+` FROM officers
		WHERE ($1 = '' OR name = $1) AND ($2 = '' OR status = $2) ORDER BY id`, filter.Name, filter.Status)
	if err != nil {
		return nil, fmt.Errorf("list officers: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (finding.Officer, error) { return scanOfficer(row) })
}

// DismissOfficer ends an active officer's service.
func (s *Store) DismissOfficer(ctx context.Context, id int64, at time.Time, reason string) (finding.Officer, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE officers SET status = 'dismissed', dismissed_at = $2, dismiss_reason = $3
		WHERE id = $1 AND status = 'active'`, id, ts(at), reason)
	if err != nil {
		return finding.Officer{}, fmt.Errorf("dismiss officer %d: %w", id, err)
	}
	o, err := s.Officer(ctx, id)
	if err == nil && tag.RowsAffected() == 0 {
		return o, finding.Errorf(finding.ECONFLICT, "体验官 %s（#%d）已于 %s 解聘", o.Name, o.ID, finding.FormatDate(o.DismissedAt))
	}
	return o, err
}

const activityCols = `a.id, a.day::text, a.mode, a.form, a.title, a.note, a.created,
	coalesce(array_agg(o.id ORDER BY ao.position) FILTER (WHERE o.id IS NOT NULL), '{}'),
	coalesce(array_agg(o.name ORDER BY ao.position) FILTER (WHERE o.id IS NOT NULL), '{}')`

const activityFrom = ` FROM activities a LEFT JOIN activity_officers ao ON ao.activity_id = a.id
	LEFT JOIN officers o ON o.id = ao.officer_id `

// CreateActivity adds an activity with its participants.
func (s *Store) CreateActivity(ctx context.Context, a finding.Activity) (finding.Activity, error) {
	if err := a.Validate(); err != nil {
		return a, err
	}
	if a.Created.IsZero() {
		a.Created = s.now()
	}
	var id int64
	err := s.tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO activities (day, mode, form, title, note, created)
			VALUES ($1::date, $2, $3, $4, $5, $6) RETURNING id`, day(a.Date), a.Mode, a.Form, a.Title, a.Note, ts(a.Created)).Scan(&id)
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

func addParticipants(ctx context.Context, tx pgx.Tx, id int64, officers []int64) error {
	for i, oid := range officers {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM officers WHERE id = $1`, oid).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return finding.Errorf(finding.ENOTFOUND, "体验官 #%d 不存在，不能作为活动参与人", oid)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO activity_officers (activity_id, officer_id, position) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, id, oid, i); err != nil {
			return fmt.Errorf("add participant %d: %w", oid, err)
		}
	}
	return nil
}

func scanActivity(row pgx.CollectableRow) (finding.Activity, error) {
	var a finding.Activity
	var d string
	err := row.Scan(&a.ID, &d, &a.Mode, &a.Form, &a.Title, &a.Note, &a.Created, &a.Participants, &a.ParticipantNames)
	a.Date, a.Created = fromDay(d), a.Created.UTC()
	return a, err
}

// Activity returns an activity with its participants.
func (s *Store) Activity(ctx context.Context, id int64) (finding.Activity, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+activityCols+activityFrom+`WHERE a.id = $1 GROUP BY a.id`, id)
	if err != nil {
		return finding.Activity{}, fmt.Errorf("activity %d: %w", id, err)
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanActivity)
	if err != nil {
		return a, notFound(err, fmt.Sprintf("activity %d", id), fmt.Sprintf("体验活动 #%d 不存在（tiyan activities list 列出所有活动）", id))
	}
	return a, nil
}

// Activities lists activities by day, then ID.
func (s *Store) Activities(ctx context.Context, filter finding.ActivityFilter) ([]finding.Activity, error) {
	from, to := "0001-01-01", "9999-12-31"
	if !filter.From.IsZero() {
		from = day(filter.From)
	}
	if !filter.To.IsZero() {
		to = day(filter.To)
	}
	rows, err := s.pool.Query(ctx, `SELECT `+activityCols+activityFrom+`WHERE a.day BETWEEN $1::date AND $2::date
		AND ($3 = 0 OR a.id IN (SELECT activity_id FROM activity_officers WHERE officer_id = $3))
		GROUP BY a.id ORDER BY a.day, a.id`, from, to, filter.OfficerID)
	if err != nil {
		return nil, fmt.Errorf("list activities: %w", err)
	}
	return pgx.CollectRows(rows, scanActivity)
}

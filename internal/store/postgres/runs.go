package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tiyan/internal/finding"
)

const runCols = `id, kind, site, channels, status, started, finished, total, done, findings, errors, workers`

func scanRun(row pgx.Row) (finding.Run, error) {
	var r finding.Run
	var finished *time.Time
	err := row.Scan(&r.ID, &r.Kind, &r.Site, &r.Channels, &r.Status, &r.Started, &finished, &r.Total, &r.Done,
		&r.Findings, &r.Errors, &r.Workers)
	r.Started, r.Finished = r.Started.UTC(), fromTS(finished)
	return r, err
}

// runJSON returns a run's structured fields, never nil, for jsonb columns.
func runJSON(r finding.Run) (channels, errs []string, workers map[string]int) {
	channels, errs, workers = r.Channels, r.Errors, r.Workers
	if channels == nil {
		channels = []string{}
	}
	if errs == nil {
		errs = []string{}
	}
	if workers == nil {
		workers = map[string]int{}
	}
	return channels, errs, workers
}

// CreateRun adds a run, filling in an empty ID, status and start.
func (s *Store) CreateRun(ctx context.Context, r finding.Run) (finding.Run, error) {
	if r.Started.IsZero() {
		r.Started = s.now()
	}
	if r.ID == "" {
		r.ID = finding.NewRunID(r.Started)
	}
	if r.Status == "" {
		r.Status = finding.RunRunning
	}
	if err := r.Validate(); err != nil {
		return r, err
	}
	channels, errs, workers := runJSON(r)
	got, err := scanRun(s.pool.QueryRow(ctx, `INSERT INTO runs (`+runCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING `+runCols,
		r.ID, r.Kind, r.Site, channels, r.Status, ts(r.Started), ts(r.Finished), r.Total, r.Done, r.Findings, errs, workers))
	if pgCode(err) == uniqueViolation {
		return r, finding.Errorf(finding.ECONFLICT, "运行 %s 已存在", r.ID)
	}
	if err != nil {
		return r, fmt.Errorf("insert run %s: %w", r.ID, err)
	}
	return got, nil
}

// UpdateRun overwrites a run's progress and outcome.
func (s *Store) UpdateRun(ctx context.Context, r finding.Run) error {
	if err := r.Validate(); err != nil {
		return err
	}
	channels, errs, workers := runJSON(r)
	tag, err := s.pool.Exec(ctx, `UPDATE runs SET site = $2, channels = $3, status = $4, started = $5, finished = $6,
		total = $7, done = $8, findings = $9, errors = $10, workers = $11 WHERE id = $1`,
		r.ID, r.Site, channels, r.Status, ts(r.Started), ts(r.Finished), r.Total, r.Done, r.Findings, errs, workers)
	if err != nil {
		return fmt.Errorf("update run %s: %w", r.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return finding.Errorf(finding.ENOTFOUND, "运行 %s 不存在", r.ID)
	}
	return nil
}

// Run returns a run by ID.
func (s *Store) Run(ctx context.Context, id string) (finding.Run, error) {
	r, err := scanRun(s.pool.QueryRow(ctx, `SELECT `+runCols+` FROM runs WHERE id = $1`, id))
	if err != nil {
		return r, notFound(err, "run "+id, fmt.Sprintf("运行 %s 不存在", id))
	}
	return r, nil
}

// Runs lists runs, newest first.
func (s *Store) Runs(ctx context.Context, filter finding.RunFilter) ([]finding.Run, error) {
	limit := "ALL"
	if filter.Limit > 0 {
		limit = fmt.Sprint(filter.Limit)
	}
	rows, err := s.pool.Query(ctx, `SELECT `+runCols+` FROM runs WHERE ($1 = '' OR kind = $1) AND ($2 = '' OR status = $2)
		ORDER BY started DESC, id DESC LIMIT `+limit, filter.Kind, filter.Status)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (finding.Run, error) { return scanRun(row) })
}

// RunFindings lists the findings sighted in a run.
func (s *Store) RunFindings(ctx context.Context, runID string) ([]finding.Finding, error) {
	return s.queryFindings(ctx, `SELECT `+findingCols+findingFrom+`
		WHERE f.id IN (SELECT finding_id FROM sightings WHERE run_id = $1) ORDER BY f.id`, runID)
}

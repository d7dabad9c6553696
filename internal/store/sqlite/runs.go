package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"tiyan/internal/finding"
)

const runCols = `id, kind, site, channels, status, started, finished, total, done, findings, errors, workers`

func scanRun(row scanner) (finding.Run, error) {
	var r finding.Run
	var channels, errs, workers sql.NullString
	var started, finished sql.NullInt64
	if err := row.Scan(&r.ID, &r.Kind, &r.Site, &channels, &r.Status, &started, &finished, &r.Total, &r.Done,
		&r.Findings, &errs, &workers); err != nil {
		return r, err
	}
	r.Started, r.Finished = fromMicros(started), fromMicros(finished)
	for _, j := range []struct {
		s sql.NullString
		v any
	}{{channels, &r.Channels}, {errs, &r.Errors}, {workers, &r.Workers}} {
		if err := fromJSON(j.s, j.v); err != nil {
			return r, err
		}
	}
	return r, nil
}

// runJSON encodes a run's structured fields.
func runJSON(r finding.Run) (channels, errs, workers any, err error) {
	if r.Channels == nil {
		r.Channels = []string{}
	}
	if r.Errors == nil {
		r.Errors = []string{}
	}
	if r.Workers == nil {
		r.Workers = map[string]int{}
	}
	if channels, err = jsonText(r.Channels); err != nil {
		return
	}
	if errs, err = jsonText(r.Errors); err != nil {
		return
	}
	workers, err = jsonText(r.Workers)
	return
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
	channels, errs, workers, err := runJSON(r)
	if err != nil {
		return r, err
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO runs (`+runCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Kind, r.Site, channels, r.Status, r.Started.UnixMicro(), micros(r.Finished), r.Total, r.Done,
		r.Findings, errs, workers)
	if isUnique(err) {
		return r, finding.Errorf(finding.ECONFLICT, "运行 %s 已存在", r.ID)
	}
	if err != nil {
		return r, fmt.Errorf("insert run %s: %w", r.ID, err)
	}
	return s.Run(ctx, r.ID)
}

// UpdateRun overwrites a run's progress and outcome.
func (s *Store) UpdateRun(ctx context.Context, r finding.Run) error {
	if err := r.Validate(); err != nil {
		return err
	}
	channels, errs, workers, err := runJSON(r)
	if err != nil {
		return err
	}
	res, err := s.w.ExecContext(ctx, `UPDATE runs SET site = ?, channels = ?, status = ?, started = ?, finished = ?,
		total = ?, done = ?, findings = ?, errors = ?, workers = ? WHERE id = ?`,
		r.Site, channels, r.Status, r.Started.UnixMicro(), micros(r.Finished), r.Total, r.Done, r.Findings, errs, workers, r.ID)
	if err != nil {
		return fmt.Errorf("update run %s: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return finding.Errorf(finding.ENOTFOUND, "运行 %s 不存在", r.ID)
	}
	return nil
}

// Run returns a run by ID.
func (s *Store) Run(ctx context.Context, id string) (finding.Run, error) {
	r, err := scanRun(s.r.QueryRowContext(ctx, `SELECT `+runCols+` FROM runs WHERE id = ?`, id))
	if err != nil {
		return r, notFound(err, "run "+id, fmt.Sprintf("运行 %s 不存在", id))
	}
	return r, nil
}

// Runs lists runs, newest first.
func (s *Store) Runs(ctx context.Context, filter finding.RunFilter) ([]finding.Run, error) {
	limit := filter.Limit
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+runCols+` FROM runs WHERE (? = '' OR kind = ?) AND (? = '' OR status = ?)
		ORDER BY started DESC, id DESC LIMIT ?`, filter.Kind, filter.Kind, filter.Status, filter.Status, limit)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var out []finding.Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("scan run: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RunFindings lists the findings sighted in a run.
func (s *Store) RunFindings(ctx context.Context, runID string) ([]finding.Finding, error) {
	return s.queryFindings(ctx, `SELECT `+findingCols+findingFrom+`
		WHERE f.id IN (SELECT finding_id FROM sightings WHERE run_id = ?) ORDER BY f.id`, runID)
}

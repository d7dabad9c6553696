package sqlcore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"tiyan/internal/finding"
)

const runCols = `id, kind, site, channels, status, started, finished, total, done, findings, errors, workers`

func scanRun(row scanner) (finding.Run, error) {
	var r finding.Run
	var channels, errs, workers sql.NullString
	var started, finished NullTime
	if err := row.Scan(&r.ID, &r.Kind, &r.Site, &channels, &r.Status, &started, &finished, &r.Total, &r.Done,
		&r.Findings, &errs, &workers); err != nil {
		return r, err
	}
	r.Started, r.Finished = started.T, finished.T
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

// runJSON encodes a run's structured fields, never null.
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
func (s *Core) CreateRun(ctx context.Context, r finding.Run) (finding.Run, error) {
	if r.Started.IsZero() {
		r.Started = s.Now()
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
	got, err := scanRun(s.rowW(ctx, `INSERT INTO runs (`+runCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING `+runCols, r.ID, r.Kind, r.Site, channels, r.Status, s.Time(r.Started), s.Time(r.Finished), r.Total, r.Done,
		r.Findings, errs, workers))
	if s.IsUnique(err) {
		return r, finding.Errorf(finding.ECONFLICT, "运行 %s 已存在", r.ID)
	}
	if err != nil {
		return r, fmt.Errorf("insert run %s: %w", r.ID, err)
	}
	return got, nil
}

// UpdateRun overwrites a run's progress and outcome.
func (s *Core) UpdateRun(ctx context.Context, r finding.Run) error {
	if err := r.Validate(); err != nil {
		return err
	}
	channels, errs, workers, err := runJSON(r)
	if err != nil {
		return err
	}
	res, err := s.exec(ctx, `UPDATE runs SET site = ?, channels = ?, status = ?, started = ?, finished = ?,
		total = ?, done = ?, findings = ?, errors = ?, workers = ? WHERE id = ?`,
		r.Site, channels, r.Status, s.Time(r.Started), s.Time(r.Finished), r.Total, r.Done, r.Findings, errs, workers, r.ID)
	if err != nil {
		return fmt.Errorf("update run %s: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return finding.Errorf(finding.ENOTFOUND, "运行 %s 不存在", r.ID)
	}
	return nil
}

// Run returns a run by ID.
func (s *Core) Run(ctx context.Context, id string) (finding.Run, error) {
	r, err := scanRun(s.row(ctx, `SELECT `+runCols+` FROM runs WHERE id = ?`, id))
	if err != nil {
		return r, NotFound(err, "run "+id, fmt.Sprintf("运行 %s 不存在", id))
	}
	return r, nil
}

// Runs lists runs, newest first.
func (s *Core) Runs(ctx context.Context, filter finding.RunFilter) ([]finding.Run, error) {
	rows, err := s.query(ctx, `SELECT `+runCols+` FROM runs WHERE (? = '' OR kind = ?) AND (? = '' OR status = ?)
		ORDER BY started DESC, id DESC LIMIT ?`, filter.Kind, filter.Kind, filter.Status, filter.Status, s.limit(filter.Limit))
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return Collect(rows, "run", scanRun)
}

// RunsSince lists the runs started since then, oldest first.
func (s *Core) RunsSince(ctx context.Context, since time.Time) ([]finding.Run, error) {
	rows, err := s.query(ctx, `SELECT `+runCols+` FROM runs WHERE started >= ? ORDER BY started, id`, s.Time(since))
	if err != nil {
		return nil, fmt.Errorf("list runs since %s: %w", finding.FormatTime(since), err)
	}
	return Collect(rows, "run", scanRun)
}

// EvidenceFinding returns the finding a piece of evidence belongs to.
func (s *Core) EvidenceFinding(ctx context.Context, evidenceID int64) (int64, error) {
	var id int64
	err := s.row(ctx, `SELECT finding_id FROM evidence WHERE id = ?`, evidenceID).Scan(&id)
	if err != nil {
		return 0, NotFound(err, fmt.Sprintf("evidence %d", evidenceID), fmt.Sprintf("证据 #%d 不存在", evidenceID))
	}
	return id, nil
}

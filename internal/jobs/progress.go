package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"tiyan/internal/sweep"
)

// schema is this package's bookkeeping beside River's tables, in the same database. Written in
// the SQL both PostgreSQL and SQLite read.
//
// sweep_probe holds one row per item-channel of a sweep run, written by the probe job that
// probed it: the primary key makes "done" happen once, however many times a job runs (a
// worker that died after probing, a rescue of a job that was only slow). The run record's
// done and per-worker counts are counted from it, never incremented, so they cannot drift.
//
// sweep_compare holds one row per item whose channels are all probed: the probe job that
// inserts it compares the item's guides across channels, and no other does.
//
// sweep_hold holds the heartbeat (unix milliseconds) of a process that sweeps by itself and
// holds the sweep lock (hold.go).
var schema = []string{
	`CREATE TABLE IF NOT EXISTS tiyan_sweep_probe (
		run_id      text    NOT NULL,
		item_code   text    NOT NULL,
		channel     text    NOT NULL,
		worker      text    NOT NULL,
		findings    integer NOT NULL,
		reachable   integer NOT NULL,
		duration_ms bigint  NOT NULL,
		errors      text    NOT NULL,
		result      text    NOT NULL,
		PRIMARY KEY (run_id, item_code, channel)
	)`,
	`CREATE TABLE IF NOT EXISTS tiyan_sweep_compare (
		run_id    text    NOT NULL,
		item_code text    NOT NULL,
		job_id    bigint  NOT NULL,
		findings  integer NOT NULL,
		PRIMARY KEY (run_id, item_code)
	)`,
	`CREATE TABLE IF NOT EXISTS tiyan_sweep_hold (
		run_id text   NOT NULL PRIMARY KEY,
		holder text   NOT NULL,
		beat   bigint NOT NULL
	)`,
}

// probeRecord is what one probe job leaves for the run: counts for the run record and, in
// result, what the item's cross-channel comparison needs once every channel is probed.
type probeRecord struct {
	RunID, ItemCode, Channel, Worker string
	Findings                         int
	Reachable                        bool
	Duration                         time.Duration
	Errors                           []string
	Result                           sweep.ChannelResult // without findings: only item, URL and guide are kept
}

// recordProbe writes rec once. It reports false when the item-channel was already recorded
// (by an earlier run of the same job, or a duplicate of it).
func (db *database) recordProbe(ctx context.Context, rec probeRecord) (bool, error) {
	errs, err := json.Marshal(rec.Errors)
	if err != nil {
		return false, err
	}
	kept := sweep.ChannelResult{Item: rec.Result.Item, Channel: rec.Result.Channel, URL: rec.Result.URL, Guide: rec.Result.Guide, Reachable: rec.Result.Reachable}
	result, err := json.Marshal(kept)
	if err != nil {
		return false, err
	}
	res, err := db.sql.ExecContext(ctx, db.q(`INSERT INTO tiyan_sweep_probe
		(run_id, item_code, channel, worker, findings, reachable, duration_ms, errors, result)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, item_code, channel) DO NOTHING`),
		rec.RunID, rec.ItemCode, rec.Channel, rec.Worker, rec.Findings, boolInt(rec.Reachable), rec.Duration.Milliseconds(), string(errs), string(result))
	if err != nil {
		return false, fmt.Errorf("record probe %s %s: %w", rec.ItemCode, rec.Channel, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// probed reports whether an item-channel of a run is recorded.
func (db *database) probed(ctx context.Context, runID, code, channel string) (bool, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, db.q(`SELECT count(*) FROM tiyan_sweep_probe WHERE run_id = ? AND item_code = ? AND channel = ?`),
		runID, code, channel).Scan(&n)
	return n > 0, err
}

// claimCompare decides who compares an item's channels: once all `channels` of the item are
// recorded, the first job to get here inserts the claim; a later run of that same job (after
// a crash) finds its own claim and compares again. It returns the item's results when this
// job is to compare, nil otherwise.
//
// No locks: each job records its own channel (committed) before it counts, so of two jobs
// finishing together the later one always sees both rows.
func (db *database) claimCompare(ctx context.Context, runID, code string, channels int, jobID int64) ([]sweep.ChannelResult, error) {
	rows, err := db.results(ctx, runID, code)
	if err != nil || len(rows) < channels {
		return nil, err
	}
	if _, err := db.sql.ExecContext(ctx, db.q(`INSERT INTO tiyan_sweep_compare (run_id, item_code, job_id, findings)
		VALUES (?, ?, ?, 0) ON CONFLICT (run_id, item_code) DO NOTHING`), runID, code, jobID); err != nil {
		return nil, fmt.Errorf("claim comparison of %s: %w", code, err)
	}
	var owner int64
	if err := db.sql.QueryRowContext(ctx, db.q(`SELECT job_id FROM tiyan_sweep_compare WHERE run_id = ? AND item_code = ?`),
		runID, code).Scan(&owner); err != nil {
		return nil, err
	}
	if owner != jobID {
		return nil, nil
	}
	return rows, nil
}

// results reads the recorded channel results of one item.
func (db *database) results(ctx context.Context, runID, code string) ([]sweep.ChannelResult, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT result FROM tiyan_sweep_probe WHERE run_id = ? AND item_code = ? ORDER BY channel`), runID, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sweep.ChannelResult
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		var r sweep.ChannelResult
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			return nil, fmt.Errorf("read probe result of %s: %w", code, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// probedItems lists the item codes a run has recorded, in order.
func (db *database) probedItems(ctx context.Context, runID string) ([]string, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT DISTINCT item_code FROM tiyan_sweep_probe WHERE run_id = ? ORDER BY item_code`), runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, err
		}
		out = append(out, code)
	}
	return out, rows.Err()
}

// compared stores how many findings an item's comparison filed.
func (db *database) compared(ctx context.Context, runID, code string, findings int) error {
	_, err := db.sql.ExecContext(ctx, db.q(`UPDATE tiyan_sweep_compare SET findings = ? WHERE run_id = ? AND item_code = ?`), findings, runID, code)
	return err
}

// progress is a run as its probe rows tell it.
type progress struct {
	Done     int
	Findings int
	Workers  map[string]int
	Errors   []string
}

// progressOf counts a run's recorded item-channels, per worker, with their findings and errors.
func (db *database) progressOf(ctx context.Context, runID string) (progress, error) {
	p := progress{Workers: map[string]int{}}
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT worker, count(*), sum(findings) FROM tiyan_sweep_probe WHERE run_id = ? GROUP BY worker`), runID)
	if err != nil {
		return p, err
	}
	for rows.Next() {
		var w string
		var n, f int
		if err := rows.Scan(&w, &n, &f); err != nil {
			rows.Close()
			return p, err
		}
		p.Workers[w], p.Done, p.Findings = n, p.Done+n, p.Findings+f
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, err
	}
	var cf int
	if err := db.sql.QueryRowContext(ctx, db.q(`SELECT coalesce(sum(findings), 0) FROM tiyan_sweep_compare WHERE run_id = ?`), runID).Scan(&cf); err != nil {
		return p, err
	}
	p.Findings += cf
	p.Errors, err = db.probeErrors(ctx, runID)
	return p, err
}

// probeErrors lists the prober errors of a run, at most maxErrors of them.
func (db *database) probeErrors(ctx context.Context, runID string) ([]string, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT errors FROM tiyan_sweep_probe WHERE run_id = ? AND errors <> '[]' AND errors <> 'null' ORDER BY item_code, channel`), runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		var errs []string
		if err := json.Unmarshal([]byte(raw), &errs); err != nil {
			return nil, err
		}
		out = append(out, errs...)
	}
	return out, rows.Err()
}

// forget deletes a finished run's rows: the run record now holds the counts.
func (db *database) forget(ctx context.Context, runID string) error {
	for _, table := range []string{"tiyan_sweep_probe", "tiyan_sweep_compare"} {
		if _, err := db.sql.ExecContext(ctx, db.q(`DELETE FROM `+table+` WHERE run_id = ?`), runID); err != nil {
			return err
		}
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

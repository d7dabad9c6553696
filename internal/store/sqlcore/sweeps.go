package sqlcore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"tiyan/internal/finding"
)

// Sweeps is the finding.SweepLedger of a store, on its tables tiyan_sweep_probe (one row per
// probed item-channel: the primary key makes "done" happen once, however many times a job
// runs), tiyan_sweep_compare (one row per item whose channels are all probed: who compares
// them), tiyan_sweep_hold (the heartbeat, unix milliseconds, of a process that sweeps by
// itself) and tiyan_sweep_held (each item-channel's findings kept back for grouping at the
// run's end). A run's counts are counted from the rows, never incremented, so they cannot drift.
type Sweeps struct{ DB DB }

var _ finding.SweepLedger = Sweeps{}

// RecordProbe implements finding.SweepLedger.
func (s Sweeps) RecordProbe(ctx context.Context, p finding.ProbeRecord) (bool, error) {
	errs, err := json.Marshal(p.Errors)
	if err != nil {
		return false, err
	}
	res, err := s.DB.ExecContext(ctx, `INSERT INTO tiyan_sweep_probe
		(run_id, item_code, channel, worker, findings, reachable, duration_ms, errors, result)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, item_code, channel) DO NOTHING`,
		p.RunID, p.ItemCode, p.Channel, p.Worker, p.Findings, boolInt(p.Reachable), p.Duration.Milliseconds(), string(errs), string(p.Result))
	if err != nil {
		return false, fmt.Errorf("record probe %s %s: %w", p.ItemCode, p.Channel, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Probed implements finding.SweepLedger.
func (s Sweeps) Probed(ctx context.Context, runID, code, channel string) (bool, error) {
	var n int
	err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM tiyan_sweep_probe WHERE run_id = ? AND item_code = ? AND channel = ?`,
		runID, code, channel).Scan(&n)
	return n > 0, err
}

// ProbeResults implements finding.SweepLedger.
func (s Sweeps) ProbeResults(ctx context.Context, runID, code string) ([][]byte, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT result FROM tiyan_sweep_probe WHERE run_id = ? AND item_code = ? ORDER BY channel`, runID, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		out = append(out, []byte(raw))
	}
	return out, rows.Err()
}

// ProbedItems implements finding.SweepLedger.
func (s Sweeps) ProbedItems(ctx context.Context, runID string) ([]string, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT DISTINCT item_code FROM tiyan_sweep_probe WHERE run_id = ? ORDER BY item_code`, runID)
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

// ClaimCompare implements finding.SweepLedger. No locks: the first insert wins and every
// caller reads the winner back.
func (s Sweeps) ClaimCompare(ctx context.Context, runID, code string, jobID int64) (int64, error) {
	if _, err := s.DB.ExecContext(ctx, `INSERT INTO tiyan_sweep_compare (run_id, item_code, job_id, findings)
		VALUES (?, ?, ?, 0) ON CONFLICT (run_id, item_code) DO NOTHING`, runID, code, jobID); err != nil {
		return 0, fmt.Errorf("claim comparison of %s: %w", code, err)
	}
	var owner int64
	err := s.DB.QueryRowContext(ctx, `SELECT job_id FROM tiyan_sweep_compare WHERE run_id = ? AND item_code = ?`, runID, code).Scan(&owner)
	return owner, err
}

// Compared implements finding.SweepLedger.
func (s Sweeps) Compared(ctx context.Context, runID, code string, findings int) error {
	_, err := s.DB.ExecContext(ctx, `UPDATE tiyan_sweep_compare SET findings = ? WHERE run_id = ? AND item_code = ?`, findings, runID, code)
	return err
}

// SweepProgress implements finding.SweepLedger.
func (s Sweeps) SweepProgress(ctx context.Context, runID string) (finding.SweepProgress, error) {
	p := finding.SweepProgress{Workers: map[string]int{}}
	rows, err := s.DB.QueryContext(ctx, `SELECT worker, count(*), sum(findings) FROM tiyan_sweep_probe WHERE run_id = ? GROUP BY worker`, runID)
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
	if err := s.DB.QueryRowContext(ctx, `SELECT coalesce(sum(findings), 0) FROM tiyan_sweep_compare WHERE run_id = ?`, runID).Scan(&cf); err != nil {
		return p, err
	}
	p.Findings += cf
	p.Errors, err = s.probeErrors(ctx, runID)
	return p, err
}

// probeErrors lists the prober errors of a run.
func (s Sweeps) probeErrors(ctx context.Context, runID string) ([]string, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT errors FROM tiyan_sweep_probe WHERE run_id = ? AND errors <> '[]' AND errors <> 'null' ORDER BY item_code, channel`, runID)
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
			return nil, fmt.Errorf("read probe errors of run %s: %w", runID, err)
		}
		out = append(out, errs...)
	}
	return out, rows.Err()
}

// ForgetSweep implements finding.SweepLedger.
func (s Sweeps) ForgetSweep(ctx context.Context, runID string) error {
	for _, table := range []string{"tiyan_sweep_probe", "tiyan_sweep_compare"} {
		if _, err := s.DB.ExecContext(ctx, `DELETE FROM `+table+` WHERE run_id = ?`, runID); err != nil {
			return fmt.Errorf("forget run %s: %w", runID, err)
		}
	}
	return nil
}

// BeatHold implements finding.SweepLedger.
func (s Sweeps) BeatHold(ctx context.Context, runID, holder string, at time.Time) error {
	_, err := s.DB.ExecContext(ctx, `INSERT INTO tiyan_sweep_hold (run_id, holder, beat) VALUES (?, ?, ?)
		ON CONFLICT (run_id) DO UPDATE SET holder = excluded.holder, beat = excluded.beat`, runID, holder, at.UnixMilli())
	if err != nil {
		return fmt.Errorf("sweep lock heartbeat: %w", err)
	}
	return nil
}

// DropHold implements finding.SweepLedger.
func (s Sweeps) DropHold(ctx context.Context, runID string) error {
	_, err := s.DB.ExecContext(ctx, `DELETE FROM tiyan_sweep_hold WHERE run_id = ?`, runID)
	return err
}

// HoldAlive implements finding.SweepLedger.
func (s Sweeps) HoldAlive(ctx context.Context, runID string, since time.Time) (bool, error) {
	var n int
	err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM tiyan_sweep_hold WHERE run_id = ? AND beat > ?`, runID, since.UnixMilli()).Scan(&n)
	return n > 0, err
}

// HoldFindings implements finding.SweepLedger: one row per item-channel, so that a probe job
// run again replaces what it held in one statement.
func (s Sweeps) HoldFindings(ctx context.Context, h finding.HeldFindings) error {
	_, err := s.DB.ExecContext(ctx, `INSERT INTO tiyan_sweep_held (run_id, item_code, channel, usable, findings) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (run_id, item_code, channel) DO UPDATE SET usable = excluded.usable, findings = excluded.findings`,
		h.RunID, h.ItemCode, h.Channel, boolInt(h.Usable), string(h.Findings))
	if err != nil {
		return fmt.Errorf("hold findings of %s %s: %w", h.ItemCode, h.Channel, err)
	}
	return nil
}

// HeldFindings implements finding.SweepLedger.
func (s Sweeps) HeldFindings(ctx context.Context, runID string) ([]finding.HeldFindings, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT item_code, channel, usable, findings FROM tiyan_sweep_held
		WHERE run_id = ? ORDER BY item_code, channel`, runID)
	if err != nil {
		return nil, fmt.Errorf("read held findings of run %s: %w", runID, err)
	}
	defer rows.Close()
	var out []finding.HeldFindings
	for rows.Next() {
		h := finding.HeldFindings{RunID: runID}
		var usable int
		var raw string
		if err := rows.Scan(&h.ItemCode, &h.Channel, &usable, &raw); err != nil {
			return nil, err
		}
		h.Usable, h.Findings = usable != 0, []byte(raw)
		out = append(out, h)
	}
	return out, rows.Err()
}

// DropHeldFindings implements finding.SweepLedger.
func (s Sweeps) DropHeldFindings(ctx context.Context, runID string) error {
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM tiyan_sweep_held WHERE run_id = ?`, runID); err != nil {
		return fmt.Errorf("drop held findings of run %s: %w", runID, err)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

package sqlcore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"tiyan/internal/finding"
)

const scenarioCols = `id, run_id, scenario, title, channel, site, base_url, status, started, duration_ms, error, browser_died`

// stepCols are a step's columns without the screenshot's bytes, whose presence is selected
// instead.
const stepCols = `result_id, idx, line, kind, description, passed, duration_ms, url, error, dom_excerpt,
	console_errors, failed_requests, screenshot IS NOT NULL`

// StartScenario adds a result to a run.
func (s *Core) StartScenario(ctx context.Context, r finding.ScenarioResult) (finding.ScenarioResult, error) {
	if r.Status == "" {
		r.Status = finding.ScenarioRunning
	}
	if r.Started.IsZero() {
		r.Started = s.Now()
	}
	if err := r.Validate(); err != nil {
		return r, err
	}
	err := s.rowW(ctx, `INSERT INTO scenario_results (run_id, scenario, title, channel, site, base_url, status,
		started, duration_ms, error, browser_died) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.RunID, r.Scenario, r.Title, string(r.Channel), r.Site, r.BaseURL, r.Status, s.Time(r.Started),
		r.Duration.Milliseconds(), r.Error, r.BrowserDied).Scan(&r.ID)
	if s.IsForeignKey(err) {
		return r, finding.Errorf(finding.ENOTFOUND, "运行 %s 不存在", r.RunID)
	}
	if err != nil {
		return r, fmt.Errorf("insert scenario result of %s: %w", r.RunID, err)
	}
	r.Started = r.Started.Truncate(time.Microsecond).UTC()
	r.Steps = nil
	return r, nil
}

// AddScenarioStep appends a step to a result.
func (s *Core) AddScenarioStep(ctx context.Context, resultID int64, st finding.ScenarioStep) error {
	consoleErrs, err := jsonText(nonNil(st.ConsoleErrors))
	if err != nil {
		return err
	}
	failed, err := jsonText(nonNil(st.FailedRequests))
	if err != nil {
		return err
	}
	var shot any
	if len(st.Screenshot) > 0 {
		shot = st.Screenshot
	}
	_, err = s.exec(ctx, `INSERT INTO scenario_steps (result_id, idx, line, kind, description, passed, duration_ms,
		url, error, dom_excerpt, console_errors, failed_requests, screenshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		resultID, st.Index, st.Line, st.Kind, st.Description, st.Passed, st.Duration.Milliseconds(), st.URL, st.Error,
		st.DOMExcerpt, consoleErrs, failed, shot)
	switch {
	case s.IsUnique(err):
		return finding.Errorf(finding.ECONFLICT, "场景结果 #%d 已有第%d步", resultID, st.Index+1)
	case s.IsForeignKey(err):
		return finding.Errorf(finding.ENOTFOUND, "场景结果 #%d 不存在", resultID)
	case err != nil:
		return fmt.Errorf("insert step %d of scenario result #%d: %w", st.Index, resultID, err)
	}
	return nil
}

// FinishScenario stores a result's outcome.
func (s *Core) FinishScenario(ctx context.Context, r finding.ScenarioResult) error {
	if r.Status != finding.ScenarioPassed && r.Status != finding.ScenarioFailed && r.Status != finding.ScenarioRunning {
		return finding.Errorf(finding.EINVALID, "场景结果状态应为 running、passed 或 failed，收到 %q", r.Status)
	}
	res, err := s.exec(ctx, `UPDATE scenario_results SET status = ?, duration_ms = ?, error = ?, browser_died = ? WHERE id = ?`,
		r.Status, r.Duration.Milliseconds(), r.Error, r.BrowserDied, r.ID)
	if err != nil {
		return fmt.Errorf("finish scenario result #%d: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return finding.Errorf(finding.ENOTFOUND, "场景结果 #%d 不存在", r.ID)
	}
	return nil
}

// ScenarioResults lists a run's results with their steps.
func (s *Core) ScenarioResults(ctx context.Context, runID string) ([]finding.ScenarioResult, error) {
	return s.scenarioResults(ctx, `SELECT `+scenarioCols+` FROM scenario_results WHERE run_id = ? ORDER BY id`,
		`SELECT `+stepCols+` FROM scenario_steps WHERE result_id IN (SELECT id FROM scenario_results WHERE run_id = ?)
		ORDER BY result_id, idx`, runID)
}

// LatestScenarioResults returns the newest result of each scenario on each channel.
func (s *Core) LatestScenarioResults(ctx context.Context) ([]finding.ScenarioResult, error) {
	const latest = `SELECT max(id) FROM scenario_results GROUP BY scenario, channel`
	return s.scenarioResults(ctx, `SELECT `+scenarioCols+` FROM scenario_results WHERE id IN (`+latest+`) ORDER BY scenario, channel`,
		`SELECT `+stepCols+` FROM scenario_steps WHERE result_id IN (`+latest+`) ORDER BY result_id, idx`)
}

// scenarioResults runs a query of results and one of their steps, and puts the two together.
func (s *Core) scenarioResults(ctx context.Context, results, steps string, args ...any) ([]finding.ScenarioResult, error) {
	rows, err := s.query(ctx, results, args...)
	if err != nil {
		return nil, fmt.Errorf("list scenario results: %w", err)
	}
	var out []finding.ScenarioResult
	byID := map[int64]int{}
	for rows.Next() {
		var r finding.ScenarioResult
		var started NullTime
		var ms int64
		var ch string
		if err := rows.Scan(&r.ID, &r.RunID, &r.Scenario, &r.Title, &ch, &r.Site, &r.BaseURL, &r.Status, &started, &ms,
			&r.Error, &r.BrowserDied); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan scenario result: %w", err)
		}
		r.Channel, r.Started, r.Duration = finding.Channel(ch), started.T, time.Duration(ms)*time.Millisecond
		byID[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	if rows, err = s.query(ctx, steps, args...); err != nil {
		return nil, fmt.Errorf("list scenario steps: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, ms int64
		var st finding.ScenarioStep
		var consoleErrs, failed sql.NullString
		if err := rows.Scan(&id, &st.Index, &st.Line, &st.Kind, &st.Description, &st.Passed, &ms, &st.URL, &st.Error,
			&st.DOMExcerpt, &consoleErrs, &failed, &st.HasScreenshot); err != nil {
			return nil, fmt.Errorf("scan scenario step: %w", err)
		}
		st.Duration = time.Duration(ms) * time.Millisecond
		if err := fromJSON(consoleErrs, &st.ConsoleErrors); err != nil {
			return nil, err
		}
		if err := fromJSON(failed, &st.FailedRequests); err != nil {
			return nil, err
		}
		if len(st.ConsoleErrors) == 0 {
			st.ConsoleErrors = nil
		}
		if len(st.FailedRequests) == 0 {
			st.FailedRequests = nil
		}
		if i, ok := byID[id]; ok {
			out[i].Steps = append(out[i].Steps, st)
		}
	}
	return out, rows.Err()
}

// ScenarioScreenshot returns one step's screenshot.
func (s *Core) ScenarioScreenshot(ctx context.Context, runID string, resultID int64, index int) ([]byte, error) {
	var shot []byte
	err := s.row(ctx, `SELECT st.screenshot FROM scenario_steps st JOIN scenario_results r ON r.id = st.result_id
		WHERE r.run_id = ? AND st.result_id = ? AND st.idx = ? AND st.screenshot IS NOT NULL`, runID, resultID, index).Scan(&shot)
	if err != nil {
		return nil, NotFound(err, "scenario screenshot", fmt.Sprintf("运行 %s 的场景结果 #%d 第%d步没有截图", runID, resultID, index+1))
	}
	return shot, nil
}

// nonNil is a list as stored: [] for none.
func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

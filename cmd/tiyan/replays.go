package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/riverqueue/river"

	"tiyan/internal/finding"
	"tiyan/internal/jobs"
	"tiyan/internal/loop"
	"tiyan/internal/sweep"
	"tiyan/internal/web"
	"tiyan/scenarios"
)

// webScenarios is what the web pages list and replay (web.Scenarios): the scenarios of the
// configured folder, read again for every page so that a changed file shows at once; a replay
// is a scenario_run job whose run record is made first, so that the page can follow it. Serve's
// own workers (or, on PostgreSQL, any tiyan worker) run it.
type webScenarios struct {
	dir  string // the configuration's scenarios folder
	st   finding.Store
	jobs interface {
		Enqueue(ctx context.Context, args river.JobArgs) error
	}
}

// load reads the folder; a folder that does not exist has no scenarios.
func (w webScenarios) load() ([]*scenarios.Scenario, error) {
	if _, err := os.Stat(w.dir); err != nil && !scenarios.UsesShipped(w.dir) {
		return nil, nil
	}
	scs, err := scenarios.LoadScenarios(w.dir)
	var perr *scenarios.Error
	if errors.As(err, &perr) {
		return nil, finding.Errorf(finding.EUNAVAILABLE, "场景目录 %s 中的场景文件有误（%d 个问题），请运行 tiyan scenarios validate %s 检查", w.dir, len(perr.Problems), w.dir)
	}
	return scs, err
}

func (w webScenarios) List(context.Context) ([]web.Scenario, error) {
	scs, err := w.load()
	if err != nil {
		return nil, err
	}
	out := make([]web.Scenario, 0, len(scs))
	for _, sc := range scs {
		s := web.Scenario{ID: sc.ID, Title: sc.Title, File: sc.File, Signin: sc.Signin, Sandbox: sc.Sandbox}
		for _, ch := range sc.Channels {
			s.Channels = append(s.Channels, finding.Channel(ch))
		}
		if it := sc.Item; it != nil {
			s.ItemCode, s.ItemName, s.Unit = it.Code, it.Name, it.Unit
		}
		out = append(out, s)
	}
	return out, nil
}

func (w webScenarios) Replay(ctx context.Context, id string) (string, error) {
	scs, err := w.load()
	if err != nil {
		return "", err
	}
	for _, sc := range scs {
		if sc.ID != id {
			continue
		}
		chs := make([]string, len(sc.Channels))
		for i, ch := range sc.Channels {
			chs[i] = string(ch)
		}
		run, err := w.st.CreateRun(ctx, finding.Run{Kind: finding.RunScenario, Site: sc.Site, Channels: chs,
			Status: finding.RunRunning, Started: time.Now(), Total: len(chs)})
		if err != nil {
			return "", err
		}
		args := jobs.ScenarioArgs{ID: sc.ID, File: sc.File, Timeout: scenarioJobTimeout(sc), RunID: run.ID}
		if err := w.jobs.Enqueue(ctx, args); err != nil {
			run.Status, run.Finished, run.Errors = finding.RunFailed, time.Now(), []string{"未能放入任务队列：" + err.Error()}
			_ = w.st.UpdateRun(context.WithoutCancel(ctx), run)
			return "", fmt.Errorf("queue scenario %s: %w", sc.ID, err)
		}
		return run.ID, nil
	}
	return "", finding.Errorf(finding.ENOTFOUND, "场景 %s 不存在（场景目录 %s），可能已被删除或改名", id, w.dir)
}

// scenarioJobTimeout bounds a scenario_run job: the scenario's timeout on each of its channels,
// and a minute to start the browser and file what it found.
func scenarioJobTimeout(sc *scenarios.Scenario) time.Duration {
	return sc.Timeout*time.Duration(max(1, len(sc.Channels))) + time.Minute
}

// reproberOf is a web.Config.Reprober (staff's “立即复核”) from a way to start a sweeper:
// every verification gets a sweeper, with its Chromium, of its own, closed afterwards.
func reproberOf(start func(ctx context.Context) (*sweep.Sweeper, error)) func(context.Context) (loop.Reprober, func(), error) {
	return func(ctx context.Context) (loop.Reprober, func(), error) {
		sw, err := start(ctx)
		if err != nil {
			return nil, nil, err
		}
		return sw, func() { sw.Close() }, nil
	}
}

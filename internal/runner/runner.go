package runner

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"os"
	"slices"
	"time"

	"tiyan/internal/browser"
	"tiyan/scenarios"
)

// Config is what a Runner needs. Site and Browser are required; the zero values of the other
// fields are the defaults.
type Config struct {
	// Site is the profile of the portal the scenarios run on (its base URL may be a simulator's).
	Site *scenarios.Site
	// Browser is the Chromium the runs open their sessions in. After a run that reports
	// BrowserDied it is dead: the caller closes it and gives a new Runner a fresh one.
	Browser *browser.Browser
	// Env reads sign-in credentials and {{env.NAME}} values. Nil means os.LookupEnv.
	Env func(string) (string, bool)
	// Slow pauses after every step, for an officer watching a visible browser. Zero: no pause.
	Slow time.Duration
	// Logger receives one line per step (never a secret). Nil means slog.Default().
	Logger *slog.Logger
	// OnStep is called after each step with its result, for live progress. Nil: not called.
	OnStep func(StepResult)
}

// Runner plays scenarios on one site in one browser. It is safe for concurrent use; runs share
// the site's politeness limit (pages loading at once).
type Runner struct {
	cfg      Config
	inFlight chan struct{}
}

// New checks cfg and applies its defaults.
func New(cfg Config) (*Runner, error) {
	if cfg.Site == nil {
		return nil, errors.New("runner: Config.Site is required")
	}
	if cfg.Browser == nil {
		return nil, errors.New("runner: Config.Browser is required")
	}
	if cfg.Env == nil {
		cfg.Env = os.LookupEnv
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	n := cfg.Site.Politeness.MaxInFlight
	if n <= 0 {
		n = scenarios.DefaultMaxInFlight
	}
	return &Runner{cfg: cfg, inFlight: make(chan struct{}, n)}, nil
}

// run is the state of one run.
type run struct {
	*Runner
	sc      *scenarios.Scenario
	channel scenarios.Channel
	log     *slog.Logger
	guard   *guard
	vars    scenarios.Vars
	secrets []string // values never to show: credentials and {{env.…}} expansions
}

// Run plays sc on channel in a new isolated session and returns what happened. A failing step
// ends the run and is reported in the Result, not as an error. The error is non-nil when the run
// could not take place as asked, and wraps browser.ErrBrowserDied when Chromium died (the Result
// then has BrowserDied set).
func (r *Runner) Run(ctx context.Context, sc *scenarios.Scenario, channel scenarios.Channel) (*Result, error) {
	if sc == nil {
		return nil, errors.New("runner: nil scenario")
	}
	if !slices.Contains(sc.Channels, channel) {
		return nil, fmt.Errorf("runner: scenario %s does not run on channel %q", sc.ID, channel)
	}
	if r.cfg.Site.ChannelGuide(channel) == nil {
		return nil, fmt.Errorf("runner: site %s has no channel %q", r.cfg.Site.Name, channel)
	}
	if sc.Site != r.cfg.Site.Name {
		return nil, fmt.Errorf("runner: scenario %s is for site %q, not %q", sc.ID, sc.Site, r.cfg.Site.Name)
	}
	res := &Result{Scenario: sc.ID, Title: sc.Title, Channel: channel, Started: time.Now()}
	defer func() { res.Duration = time.Since(res.Started) }()
	timeout := sc.Timeout
	if timeout <= 0 {
		timeout = scenarios.DefaultRunTimeout
	}
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	rn := &run{Runner: r, sc: sc, channel: channel,
		log: r.cfg.Logger.With("scenario", sc.ID, "channel", string(channel))}
	rn.vars = scenarios.Vars{Fake: scenarios.NewFake(seed(sc.ID, channel)).Person(), LookupEnv: r.cfg.Env}
	if sc.Item != nil {
		rn.vars.Item = *sc.Item
	}
	tab, closeTab, err := r.cfg.Browser.NewSession(runCtx, r.device(channel))
	if err != nil {
		return rn.abort(res, fmt.Errorf("open session: %w", err))
	}
	defer closeTab()
	if rn.guard, err = startGuard(tab, r.cfg.Site); err != nil {
		return rn.abort(res, err)
	}
	res.Passed = true
	for i, st := range sc.Steps {
		sr := rn.step(runCtx, tab, i, st)
		res.Steps = append(res.Steps, sr)
		if r.cfg.OnStep != nil {
			r.cfg.OnStep(sr)
		}
		if sr.died {
			res.Passed, res.BrowserDied = false, true
			res.Error = "浏览器进程意外退出（browser died），本次运行无法完成，不代表门户有问题：" + sr.Error
			return res, fmt.Errorf("run %s on %s: %w", sc.ID, channel, browser.ErrBrowserDied)
		}
		if !sr.Passed {
			res.Passed = false
			res.Error = fmt.Sprintf("第 %d 步（%s，第 %d 行）失败：%s", i+1, sr.Description, sr.Line, sr.Error)
			break
		}
		if r.cfg.Slow > 0 {
			sleep(runCtx, r.cfg.Slow)
		}
	}
	rn.log.Info("scenario run", "passed", res.Passed, "steps", len(res.Steps), "duration", time.Since(res.Started).Round(time.Millisecond))
	return res, nil
}

// abort ends a run that could not start.
func (rn *run) abort(res *Result, err error) (*Result, error) {
	res.Passed = false
	if errors.Is(err, browser.ErrBrowserDied) {
		res.BrowserDied = true
		res.Error = "浏览器进程意外退出（browser died），本次运行无法完成：" + err.Error()
	} else {
		res.Error = "无法开始运行（could not start the run）：" + err.Error()
	}
	return res, fmt.Errorf("run %s on %s: %w", rn.sc.ID, rn.channel, err)
}

// device is the browser device of a channel, with the site's H5 user agent when it names one.
func (r *Runner) device(c scenarios.Channel) browser.Device {
	if c != scenarios.H5 {
		return browser.PC
	}
	d := browser.H5
	if h := r.cfg.Site.H5; h != nil && h.UserAgent != "" {
		d.UserAgent = h.UserAgent
	}
	return d
}

// seed makes the run's synthetic applicant depend only on the scenario and channel, so that a
// replay fills in what the run filled in.
func seed(id string, c scenarios.Channel) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id + "/" + string(c)))
	return h.Sum64()
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

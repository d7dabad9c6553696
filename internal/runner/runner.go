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
	"tiyan/internal/polite"
	"tiyan/scenarios"
)

// Config is what a Runner needs. Site and Browser are required; the zero values of the other
// fields are the defaults.
type Config struct {
	// Site is the profile of the portal the scenarios run on (its base URL may be a simulator's).
	// Its politeness is used as loaded (scenarios applies the defaults): a Pause of zero means no
	// pause between page loads.
	Site *scenarios.Site
	// Browser is the Chromium the runs open their sessions in. After a run that reports
	// BrowserDied it is dead: the caller closes it and gives a new Runner a fresh one.
	Browser *browser.Browser
	// Env reads sign-in credentials and {{env.NAME}} values. Nil means os.LookupEnv.
	Env func(string) (string, bool)
	// Slow pauses after every step, for an officer watching a visible browser. Zero: no pause.
	Slow time.Duration
	// Logger receives one line per step (never a secret), with the run's scenario and channel.
	// Nil means slog.Default(). Each run also keeps its own lines in Result.Log.
	Logger *slog.Logger
	// Screenshots says which steps get a screenshot: every step (the zero value), for a replay an
	// officer reads step by step, or only the failing one, for scheduled runs.
	Screenshots Screenshots
	// OnStep is called once per step with its complete result (screenshot included), in step
	// order, as soon as it is complete, from a goroutine of the run: live progress. Nil: not
	// called. The run does not change the page while OnStep runs.
	OnStep func(StepResult)
}

// Screenshots says which steps of a run get a screenshot.
type Screenshots int

const (
	// EveryStep takes a screenshot after every step. A step then waits, before it acts, for the
	// screenshots before it, and a screenshot after a page load waits for the page to be drawn:
	// on a small machine that is most of the runner's cost.
	EveryStep Screenshots = iota
	// FailedSteps takes a screenshot of the failing step and of screenshot: steps only.
	FailedSteps
)

// Runner plays scenarios on one site in one browser. It is safe for concurrent use; its runs
// share the site's politeness: per host, at most MaxInFlight pages loading at once and at least
// Pause between the starts of two page loads.
type Runner struct {
	cfg    Config
	polite *polite.Limiter
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
	if n <= 0 { // a hand-built Site: no slot at all would stop every run
		n = scenarios.DefaultMaxInFlight
	}
	return &Runner{cfg: cfg, polite: polite.New(n, cfg.Site.Politeness.Pause)}, nil
}

// run is the state of one run.
type run struct {
	*Runner
	sc      *scenarios.Scenario
	channel scenarios.Channel
	log     *slog.Logger // to the Runner's logger and into kept
	kept    *keptLines
	guard   *guard
	cam     *camera
	waited  time.Duration // how long the current step waited for the camera
	seen    string        // the page's look at the current step's last look for its target
	vars    scenarios.Vars
	secrets []string // values never to show: credentials and {{env.…}} expansions
	refused int      // how many of the session's refused requests the steps have reported
}

// Run plays sc on channel in a new isolated session and returns what happened. A failing step
// ends the run and is reported in the Result, not as an error. The error is non-nil when the run
// could not take place as asked, and wraps browser.ErrBrowserDied when Chromium died (the Result
// then has BrowserDied set).
func (r *Runner) Run(ctx context.Context, sc *scenarios.Scenario, channel scenarios.Channel) (*Result, error) {
	if err := r.check(sc, channel); err != nil {
		return nil, err
	}
	rn := r.newRun(sc, channel)
	res := &Result{Scenario: sc.ID, Title: sc.Title, Channel: channel, Started: time.Now()}
	defer func() {
		res.Duration = time.Since(res.Started)
		res.Log = rn.kept.masked(rn.mask)
	}()
	timeout := sc.Timeout
	if timeout <= 0 {
		timeout = scenarios.DefaultRunTimeout
	}
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	tab, closeTab, err := r.cfg.Browser.NewSession(runCtx, r.device(channel), r.access(sc))
	if err != nil {
		return rn.abort(res, fmt.Errorf("open session: %w", err))
	}
	defer closeTab()
	if rn.guard, err = startGuard(tab, r.cfg.Site, r.polite, rn.log); err != nil {
		return rn.abort(res, err)
	}
	rn.cam = &camera{tab: tab, alive: r.cfg.Browser.Alive, onStep: r.cfg.OnStep}
	if err := rn.cam.start(); err != nil {
		return rn.abort(res, fmt.Errorf("watch the page: %w", err))
	}
	for i, st := range sc.Steps {
		if sr := rn.step(runCtx, tab, i, st); sr.died || !sr.Passed {
			break
		}
		if r.cfg.Slow > 0 {
			sleep(runCtx, r.cfg.Slow)
		}
	}
	res.Steps = rn.cam.film()
	err = rn.conclude(res)
	rn.log.Info("scenario run", "passed", res.Passed, "steps", len(res.Steps), "duration", time.Since(res.Started).Round(time.Millisecond))
	return res, err
}

// check refuses a run that cannot take place as asked.
func (r *Runner) check(sc *scenarios.Scenario, channel scenarios.Channel) error {
	switch {
	case sc == nil:
		return errors.New("runner: nil scenario")
	case !slices.Contains(sc.Channels, channel):
		return fmt.Errorf("runner: scenario %s does not run on channel %q", sc.ID, channel)
	case r.cfg.Site.ChannelGuide(channel) == nil:
		return fmt.Errorf("runner: site %s has no channel %q", r.cfg.Site.Name, channel)
	case sc.Site != r.cfg.Site.Name:
		return fmt.Errorf("runner: scenario %s is for site %q, not %q", sc.ID, sc.Site, r.cfg.Site.Name)
	}
	return nil
}

func (r *Runner) newRun(sc *scenarios.Scenario, channel scenarios.Channel) *run {
	next := r.cfg.Logger.Handler().WithAttrs([]slog.Attr{slog.String("scenario", sc.ID), slog.String("channel", string(channel))})
	h, kept := newRunLog(next)
	rn := &run{Runner: r, sc: sc, channel: channel, log: slog.New(h), kept: kept}
	rn.vars = scenarios.Vars{Fake: scenarios.NewFake(seed(sc.ID, channel)).Person(), LookupEnv: r.cfg.Env}
	if sc.Item != nil {
		rn.vars.Item = *sc.Item
	}
	return rn
}

// conclude says how the run went, from its complete steps: the first step during which Chromium
// died, or else the first that failed, decides.
func (rn *run) conclude(res *Result) error {
	res.Passed = len(res.Steps) == len(rn.sc.Steps)
	for _, sr := range res.Steps {
		if sr.died {
			res.Passed, res.BrowserDied = false, true
			res.Error = "浏览器进程意外退出（browser died），本次运行无法完成，不代表门户有问题：" + sr.Error
			return fmt.Errorf("run %s on %s: %w", rn.sc.ID, rn.channel, browser.ErrBrowserDied)
		}
		if !sr.Passed {
			res.Passed = false
			res.Error = fmt.Sprintf("第 %d 步（%s，第 %d 行）失败：%s", sr.Index+1, sr.Description, sr.Line, sr.Error)
			return nil
		}
	}
	return nil
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
	rn.log.Error("could not run", "error", err)
	return res, fmt.Errorf("run %s on %s: %w", rn.sc.ID, rn.channel, err)
}

// access is what a run's session may send: anything in a sandbox scenario; otherwise it is
// read-only, but for the harmless writes the site profile lists (its item list, its sign-in).
func (r *Runner) access(sc *scenarios.Scenario) browser.SessionOption {
	if sc.Sandbox {
		return browser.Sandbox()
	}
	return browser.AllowWrites(r.cfg.Site.AllowsWrite)
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

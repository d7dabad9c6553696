package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"tiyan/internal/config"
	"tiyan/internal/jobs"
	"tiyan/internal/loop"
	"tiyan/internal/notify"
	"tiyan/internal/store"
	"tiyan/internal/sweep"
	"tiyan/internal/web"
)

// processFlags are the flags serve and worker share.
type processFlags struct {
	config, addr, name string
	metricsAddr        string // serve's --metrics-addr (worker's is addr)
	concurrency        int
}

func newServeCommand() *cobra.Command {
	f := &processFlags{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web UI and run the schedule and the job workers",
		Long: `serve serves the web UI (and Prometheus metrics on --metrics-addr, by default 127.0.0.1:9464,
never on the web address), enqueues the scheduled jobs of
the configuration (the nightly sweep, the overdue scan, scenarios with a schedule:) and works
jobs: probes, sweeps, scenario runs, scans. On the embedded SQLite database it is the only
process; on PostgreSQL (TIYAN_DATABASE_URL=postgres://…) any number of tiyan worker processes
share the work. It runs until interrupted (Ctrl-C), letting running jobs finish for 30 s.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd, f) },
	}
	addConfigFlag(cmd, &f.config)
	cmd.Flags().StringVar(&f.addr, "addr", "", "HOST:PORT of the web UI (default: web.addr of the configuration, 127.0.0.1:8080)")
	cmd.Flags().StringVar(&f.metricsAddr, "metrics-addr", "", "HOST:PORT of /metrics, or off (default: metrics.addr of the configuration, 127.0.0.1:9464)")
	cmd.Flags().IntVar(&f.concurrency, "concurrency", 0, "item-channels probed at once by this process (default: the configuration's)")
	addNameFlag(cmd, &f.name)
	return cmd
}

// addNameFlag adds --name: the process's name in run records (work per worker) and the queue.
func addNameFlag(cmd *cobra.Command, name *string) {
	cmd.Flags().StringVar(name, "name", "", "this process's name in run records and the job queue, unique among the processes on one database (default HOSTNAME-PID)")
}

// process is what serve and worker run: the configuration, the store, the loop and the jobs.
type process struct {
	cfg    *config.Config
	url    string
	name   string // "" is HOSTNAME-PID
	st     *store.DB
	lp     *loop.Loop
	notify *notify.Notifier
	jobs   *jobs.Jobs
}

// openProcess loads the configuration and opens the store, the loop and a working job queue.
func openProcess(cmd *cobra.Command, f *processFlags, postgresOnly bool) (*process, error) {
	cfg, err := loadConfig(cmd, f.config)
	if err != nil {
		return nil, err
	}
	if f.concurrency != 0 {
		if f.concurrency < 1 || f.concurrency > 16 {
			return nil, cliUsage("--concurrency 应为 1 到 16，收到 %d", f.concurrency)
		}
		cfg.Concurrency = f.concurrency
	}
	p := &process{cfg: cfg, url: configDatabase(cmd, cfg), name: strings.TrimSpace(f.name)}
	if postgresOnly && !isPostgres(p.url) {
		return nil, cliUsage("tiyan worker 只用于 PostgreSQL：内置的 SQLite 数据库（%s）只能由 tiyan serve 一个进程处理全部任务。多台机器分担体验时，请设置 %s=postgres://用户:密码@主机:端口/库名（或 --database），再在每台机器上运行 tiyan worker",
			orWord(p.url, "sqlite:"+store.DefaultPath), config.EnvDatabaseURL)
	}
	if err := p.open(cmd); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

func (p *process) open(cmd *cobra.Command) error {
	ctx, stderr := cmd.Context(), cmd.ErrOrStderr()
	st, err := store.Open(ctx, p.url)
	if err != nil {
		return cliFail(err)
	}
	p.st = st
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if p.lp, err = loop.New(loop.Config{Store: st, Logger: logger}); err != nil {
		return err
	}
	scheds, _, err := configSchedules(p.cfg, stderr)
	if err != nil {
		return err
	}
	if p.notify, err = newNotifier(p.cfg, st, logger); err != nil {
		return &exitError{code: 2, err: fmt.Errorf("Slack 通知配置有误：%w", err)}
	}
	site := jobs.Target{Site: p.cfg.Site.Name, BaseURL: p.cfg.Site.BaseURL, Catalogue: p.cfg.Site.Catalogue}
	p.jobs, err = jobs.Open(ctx, jobs.Config{DB: st, Work: true, Loop: p.lp, Name: p.name, Site: site, Concurrency: p.cfg.Concurrency,
		SitesDir: p.cfg.Site.SitesDir, CatalogueHeaders: p.cfg.Site.CatalogueHeaders, Schedules: scheds, Location: p.cfg.Location, Logger: logger, Notifier: p.notify,
		Scenarios: scenarioRunner{sitesDir: p.cfg.Site.SitesDir, baseURL: p.cfg.Site.BaseURL, lp: p.lp, stderr: stderr}})
	return err
}

func (p *process) close() {
	if p.jobs != nil {
		p.jobs.Close()
	}
	if p.st != nil {
		p.st.Close()
	}
}

// work starts the jobs, and the delivery of what the outbox holds for Slack, until ctx ends;
// then it lets running jobs finish for 30 s. (River cancels running jobs at once when the
// context it was started with ends.)
func (p *process) work(ctx context.Context) error {
	if err := p.jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	go p.notify.Run(ctx, 30*time.Second)
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	return p.jobs.Stop(sctx)
}

// describe says in a line what the process schedules.
func (p *process) describe() string {
	var parts []string
	if s := p.cfg.Schedules.Sweep; s != config.Off {
		parts = append(parts, "全量体验 "+s)
	}
	if s := p.cfg.Schedules.OverdueScan; s != config.Off {
		parts = append(parts, "超期提醒 "+s)
	}
	if len(parts) == 0 {
		return "无定时任务"
	}
	return "定时（" + p.cfg.TimeZone + "）：" + strings.Join(parts, "，")
}

func isPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

func runServe(cmd *cobra.Command, f *processFlags) error {
	ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	p, err := openProcess(cmd, f, false)
	if err != nil {
		return err
	}
	defer p.close()
	if f.addr != "" {
		p.cfg.Web.Addr = f.addr
	}
	url, err := serve(ctx, p.cfg.Web.Addr, "网页", func() (http.Handler, error) { return p.serveMux(cmd.ErrOrStderr()) })
	if err != nil {
		return err
	}
	metrics, err := p.serveMetrics(ctx, orWord(f.metricsAddr, p.cfg.Metrics.Addr))
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "tiyan serve（%s）已启动：网页 %s（访问地址 %s），指标 %s\n数据库 %s；%s；按 Ctrl-C 停止。\n",
		p.jobs.Name(), url, p.cfg.Web.URL(), metrics, store.Redact(orWord(p.url, "sqlite:"+store.DefaultPath)), p.describe())
	return p.work(ctx)
}

// serveMetrics serves the process's Prometheus metrics on addr, apart from the web UI (whose
// address people reach); "off" serves none. It returns the metrics' URL for people.
func (p *process) serveMetrics(ctx context.Context, addr string) (string, error) {
	if addr == config.Off {
		return "不提供", nil
	}
	url, err := serve(ctx, addr, "指标", func() (http.Handler, error) {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", p.jobs.Metrics())
		return mux, nil
	})
	if err != nil {
		return "", err
	}
	return url + "/metrics", nil
}

// serveMux is the web UI.
func (p *process) serveMux(stderr io.Writer) (http.Handler, error) {
	proxies, err := trustedProxies(p.cfg.Web.TrustedProxies)
	if err != nil {
		return nil, err
	}
	ui, err := web.New(web.Config{Loop: p.lp, BaseURL: p.cfg.Web.BaseURL, Reprober: configReprober(p.cfg, stderr), TrustedProxies: proxies,
		Scenarios: webScenarios{dir: p.cfg.Scenarios, st: p.st, jobs: p.jobs},
		Items:     reportItems(p.cfg.Site),
		Logger:    slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return nil, err
	}
	return ui, nil
}

// trustedProxies parses web.trusted_proxies (already checked by the configuration's validation).
func trustedProxies(cidrs []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(cidrs))
	for _, c := range cidrs {
		p, err := netip.ParsePrefix(c)
		if err != nil {
			return nil, cliUsage("web.trusted_proxies 中的 %q 不是 CIDR 地址段（如 10.0.0.0/8）", c)
		}
		out = append(out, p)
	}
	return out, nil
}

// configReprober lets staff verify a handled automated finding from the web pages (“立即复核”)
// by probing it again as the sweep does: the configuration's site profile, base URL and
// catalogue, in a Chromium of its own for each verification.
func configReprober(cfg *config.Config, stderr io.Writer) func(context.Context) (loop.Reprober, func(), error) {
	return reproberOf(func(ctx context.Context) (*sweep.Sweeper, error) {
		f := &sweepFlags{site: cfg.Site.Name, sitesDir: cfg.Site.SitesDir, baseURL: cfg.Site.BaseURL, catalogue: cfg.Site.Catalogue, headers: cfg.Site.CatalogueHeaders, concurrency: 1}
		sw, _, _, err := f.newSweeper(ctx, nil, stderr, nil)
		return sw, err
	})
}

// scenarioRunner runs scenario_run jobs as tiyan run does, filing failed runs into the loop
// under one run record per job: the one the job names (立即回放 made it when it queued the
// job), else a new one. Every step's result is stored as it completes, for the web pages' step
// report and its live progress; a replay keeps every step's screenshot, as tiyan replay does, a
// scheduled run only the failing step's.
type scenarioRunner struct {
	sitesDir, baseURL string
	lp                *loop.Loop
	stderr            io.Writer
	env               func(string) (string, bool) // sign-in credentials; nil is the environment
}

func (r scenarioRunner) RunScenario(ctx context.Context, args jobs.ScenarioArgs) (string, error) {
	f := &runFlags{channel: "all", sitesDir: r.sitesDir, baseURL: r.baseURL, env: r.env, replay: args.RunID != ""}
	var ledger *runLedger
	if args.RunID != "" {
		l, err := resumeLedger(ctx, r.lp, args.RunID, 0)
		if err != nil {
			return args.RunID, err
		}
		ledger = l
	}
	s, scs, err := openSession(ctx, f, io.Discard, r.stderr, []string{args.File})
	if err != nil {
		ledger.fail(ctx, err)
		return args.RunID, err
	}
	defer s.close()
	total := 0
	for _, sc := range scs {
		total += len(sc.Channels)
	}
	if ledger == nil {
		if ledger, err = startLedger(ctx, r.lp, total); err != nil {
			return "", err
		}
	}
	ledger.run.Total = total
	ledger.warn = func(err error) { fmt.Fprintln(r.stderr, "提示：步骤结果未能存入数据库：", err) }
	for _, sc := range scs {
		for _, ch := range sc.Channels {
			p := ledger.begin(ctx, sc, ch, s.sites[sc.Site])
			s.onStep = p.step
			res, err := s.run(ctx, sc, ch)
			if err == nil {
				err = ledger.record(ctx, sc, res, p)
			}
			if err != nil {
				ledger.fail(ctx, err)
				return ledger.run.ID, err
			}
		}
	}
	return ledger.run.ID, ledger.finish(ctx)
}

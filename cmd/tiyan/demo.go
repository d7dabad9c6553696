package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"tiyan/internal/config"
	"tiyan/internal/jobs"
	"tiyan/internal/loop"
	"tiyan/internal/portalsim"
	"tiyan/internal/sweep"
	"tiyan/internal/web"
	"tiyan/probes"
	"tiyan/scenarios"
)

// demoFlags are the flags of tiyan demo.
type demoFlags struct {
	addr, simAddr, sitesDir, scenarios string
	concurrency, limit                 int
	exitAfterSweep                     bool
}

func newDemoCommand() *cobra.Command {
	f := &demoFlags{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "The demo: the simulated portal with seeded defects, one sweep of it, and the findings served",
		Long: `demo starts the simulated 皖事通办 portal with its seeded defects, serves the findings web
pages at once, and sweeps every item of the portal on both channels into the store (by default
the embedded SQLite file ./data/tiyan.db): the findings appear as the sweep goes. It prints the
addresses and runs until interrupted (Ctrl-C), or with --exit-after-sweep until the sweep is
done. Afterwards "tiyan findings list" shows the same findings.

The site profile and scenarios are read from --sites and --scenarios; when those are left at
their defaults and the working directory has no such folders, the copies built into the binary
are used, so the demo runs from any directory.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDemo(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address of the findings web pages")
	fl.StringVar(&f.simAddr, "sim-addr", "127.0.0.1:18090", "address of the simulated portal")
	fl.StringVar(&f.sitesDir, "sites", "scenarios/sites", "folder of site profiles")
	fl.StringVar(&f.scenarios, "scenarios", "scenarios/wanshitong", "folder of the scenarios the web pages replay (立即回放)")
	fl.IntVar(&f.concurrency, "concurrency", 2, "item-channels probed at once")
	fl.IntVar(&f.limit, "limit", 0, "sweep at most this many items (0: all)")
	fl.BoolVar(&f.exitAfterSweep, "exit-after-sweep", false, "stop once the sweep is done instead of serving until Ctrl-C")
	return cmd
}

func runDemo(cmd *cobra.Command, f *demoFlags) error {
	ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	out := cmd.OutOrStdout()
	noteShipped(cmd.ErrOrStderr(), f.scenarios)
	lp, closeStore, err := dbLoop(cmd, "")
	if err != nil {
		return err
	}
	defer closeStore()
	accounts, err := ensureDemoUsers(ctx, lp.Store(), time.Now())
	if err != nil {
		return cliFail(err)
	}
	simURL, err := serve(ctx, f.simAddr, "模拟门户", func() (http.Handler, error) {
		return portalsim.New(portalsim.Config{Defects: "seeded"})
	})
	if err != nil {
		return err
	}
	j, err := demoJobs(ctx, cmd, lp, f, simURL)
	if err != nil {
		return err
	}
	defer j.Close()
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_ = j.Stop(sctx)
	}()
	webURL, err := serve(ctx, f.addr, "问题网页", func() (http.Handler, error) {
		return web.New(web.Config{Loop: lp, Reprober: demoReprober(cmd.ErrOrStderr(), f, simURL),
			Scenarios: webScenarios{dir: f.scenarios, st: lp.Store(), jobs: j},
			Items:     reportItems(config.Site{Catalogue: simURL + "/catalogue/ssqd.json"}),
			Logger:    slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelWarn}))})
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "模拟门户（含预置缺陷）：%s\n体验发现的问题：%s/findings\n场景回放（立即回放）：%s/scenarios\n正在体验全部事项（电脑端和皖事通APP），问题随体验进度陆续出现……\n", simURL, webURL, webURL)
	printDemoAccounts(out, accounts)
	run, err := demoSweep(ctx, cmd.ErrOrStderr(), lp, f, simURL)
	if err != nil {
		return err
	}
	if f.exitAfterSweep {
		fmt.Fprintf(out, "体验完成：运行编号 %s（tiyan findings list 查看发现的问题）\n", run)
		return nil
	}
	fmt.Fprintf(out, "体验完成：运行报告 %s/runs/%s\n按 Ctrl-C 退出。\n", webURL, run)
	<-ctx.Done()
	return nil
}

// demoJobs starts the job queue that works the web pages' replays (立即回放) in this process,
// on the demo's database: scenarios against the simulator, signed in with its test account.
func demoJobs(ctx context.Context, cmd *cobra.Command, lp *loop.Loop, f *demoFlags, simURL string) (*jobs.Jobs, error) {
	logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	url, err := dbURL(cmd)
	if err != nil {
		return nil, err
	}
	j, err := jobs.Open(ctx, jobs.Config{DatabaseURL: url, Work: true, Loop: lp, SitesDir: f.sitesDir, Logger: logger,
		Scenarios: scenarioRunner{sitesDir: f.sitesDir, baseURL: simURL, lp: lp, stderr: cmd.ErrOrStderr(), env: demoEnv}})
	if err != nil {
		return nil, err
	}
	if err := j.Start(context.WithoutCancel(ctx)); err != nil {
		j.Close()
		return nil, err
	}
	return j, nil
}

// demoEnv gives the simulator's test account to whatever signs in to it.
func demoEnv(k string) (string, bool) {
	v, ok := map[string]string{"TIYAN_SSO_ACCOUNT": portalsim.DefaultAccount.Phone,
		"TIYAN_SSO_PASSWORD": portalsim.DefaultAccount.Password, "TIYAN_SSO_SMS": portalsim.DefaultAccount.SMSCode}[k]
	return v, ok
}

// demoSweep sweeps the simulator into the store and returns the run's ID.
func demoSweep(ctx context.Context, stderr io.Writer, lp *loop.Loop, f *demoFlags, simURL string) (string, error) {
	bar := newProgressBar(stderr)
	sw, site, client, err := demoSweeper(ctx, stderr, f, simURL, bar.update)
	if err != nil {
		return "", err
	}
	defer sw.Close()
	items, err := sweep.List(ctx, client, site, sweep.ListOptions{Limit: f.limit})
	if err != nil {
		return "", err
	}
	fl, err := startFiling(ctx, lp, "", site.Name, sw.Channels(), len(items), "")
	if err != nil {
		return "", err
	}
	fl.attach(ctx, sw)
	res := sw.Sweep(ctx, items)
	bar.done()
	return fl.run.ID, fl.finish(ctx, res)
}

// demoSweeper is a sweeper of the simulator, signing in with its test account.
func demoSweeper(ctx context.Context, stderr io.Writer, f *demoFlags, simURL string, progress func(sweep.Progress)) (*sweep.Sweeper, *scenarios.Site, *http.Client, error) {
	site, err := loadSite(f.sitesDir, "wanshitong", simURL)
	if err != nil {
		return nil, nil, nil, err
	}
	client := &http.Client{Timeout: 30 * time.Second}
	cat, err := probes.LoadCatalogue(ctx, client, simURL+"/catalogue/ssqd.json")
	if err != nil {
		return nil, nil, nil, err
	}
	sw, err := sweep.New(sweep.Config{Site: site, Catalogue: cat, Concurrency: f.concurrency, HTTP: client,
		Env: demoEnv, OnProgress: progress,
		Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	return sw, site, client, err
}

// demoReprober lets staff verify a handled finding from the web pages by probing the simulator
// again.
func demoReprober(stderr io.Writer, f *demoFlags, simURL string) func(context.Context) (loop.Reprober, func(), error) {
	return reproberOf(func(ctx context.Context) (*sweep.Sweeper, error) {
		sw, _, _, err := demoSweeper(ctx, stderr, f, simURL, nil)
		return sw, err
	})
}

// serve listens on addr and serves what mk makes until ctx ends; it returns the base URL. A busy
// port is reported with what to do.
func serve(ctx context.Context, addr, what string, mk func() (http.Handler, error)) (string, error) {
	h, err := mk()
	if err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("%s无法监听 %s：%w（端口可能已被占用，请换一个地址）", what, addr, err)
	}
	srv := web.HTTPServer(h, web.Timeouts{})
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("serve", "what", what, "error", err)
		}
	}()
	context.AfterFunc(ctx, func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	})
	return "http://" + ln.Addr().String(), nil
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"tiyan/internal/config"
	"tiyan/internal/finding"
	"tiyan/internal/jobs"
	"tiyan/internal/loop"
	"tiyan/internal/sweep"
	"tiyan/probes"
	"tiyan/scenarios"
)

// sweepFlags are the flags of tiyan sweep.
type sweepFlags struct {
	site, sitesDir, baseURL, catalogue, channels, items, zone, format, out string
	limit, concurrency                                                     int
	noStore, enqueue                                                       bool
	// headers are site.catalogue_headers of tiyan.yaml, for an XLSX or CSV catalogue.
	headers config.CatalogueHeaders
}

func newSweepCommand() *cobra.Command {
	f := &sweepFlags{}
	cmd := &cobra.Command{
		Use:   "sweep",
		Short: "Sweep the catalogue: probe every item's guide on every channel now",
		Long: `sweep lists the service items through the site profile's catalogue API and, for each item
and channel, opens the guide (办事指南) in Chromium, runs the channel, guide, layout and
accessibility rules, and follows the 在线办理 entrance without submitting. Findings are printed
(a table, or one JSON object per line with --format json) and their evidence (annotated
screenshots) written under --out.

Signing in to read online forms uses the test account named by the site profile's environment
variables (TIYAN_SSO_ACCOUNT, TIYAN_SSO_PASSWORD, TIYAN_SSO_SMS); without them forms are not read.

One sweep runs at a time: when the store has a job queue (tiyan serve or tiyan worker has used
it), a sweep run here is refused while a queued or scheduled one, or another run by hand, is
running; --enqueue queues it instead.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSweep(cmd, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.site, "site", "wanshitong", "site profile name (a file NAME.yaml in --sites)")
	fl.StringVar(&f.sitesDir, "sites", "scenarios/sites", "folder of site profiles")
	fl.StringVar(&f.baseURL, "base-url", "", "sweep this base URL instead of the profile's (for example the simulator, http://127.0.0.1:18090)")
	fl.StringVar(&f.catalogue, "catalogue", "", "the authoritative 实施清单 to compare guides with: a JSON, XLSX or CSV file or URL (CSV: items.csv,materials.csv, or items.csv beside items.materials.csv); empty skips the comparison")
	fl.StringVar(&f.channels, "channels", "pc,h5", "channels to sweep, comma-separated")
	fl.StringVar(&f.items, "items", "", "only these item codes, comma-separated")
	fl.StringVar(&f.zone, "zone", "", "zone code of the items to list (default: the profile's)")
	fl.IntVar(&f.limit, "limit", 0, "at most this many items (0: all)")
	fl.IntVar(&f.concurrency, "concurrency", 2, "item-channels probed at once (the profile's politeness still applies)")
	fl.StringVar(&f.format, "format", "table", "output: table or json (one finding per line)")
	fl.StringVar(&f.out, "out", "", "folder for evidence (screenshots) and findings.json (default ./data/sweeps/TIME)")
	fl.BoolVar(&f.noStore, "no-store", false, "do not file the findings into the store")
	fl.BoolVar(&f.enqueue, "enqueue", false, "queue the sweep for tiyan serve / tiyan worker and print its run ID, instead of sweeping now")
	return cmd
}

// sweepConfig turns the flags into a sweep configuration and the items to probe.
func (f *sweepFlags) check() ([]scenarios.Channel, error) {
	if f.format != "table" && f.format != "json" {
		return nil, usageErr("--format 应为 table 或 json，收到 %q", f.format)
	}
	if f.concurrency < 1 || f.concurrency > 16 {
		return nil, usageErr("--concurrency 应为 1 到 16，收到 %d", f.concurrency)
	}
	if f.limit < 0 {
		return nil, usageErr("--limit 不能为负数")
	}
	var chs []scenarios.Channel
	for _, c := range strings.Split(f.channels, ",") {
		c = strings.TrimSpace(c)
		if c != "pc" && c != "h5" {
			return nil, usageErr("--channels 只能包含 pc 和 h5，收到 %q", c)
		}
		if !slices.Contains(chs, scenarios.Channel(c)) {
			chs = append(chs, scenarios.Channel(c))
		}
	}
	return chs, nil
}

// readHeaders takes site.catalogue_headers from tiyan.yaml in the working directory, when a
// catalogue is named and the file is there: a workbook's own column names apply to a sweep
// run by hand as to a scheduled one.
func (f *sweepFlags) readHeaders() error {
	if f.catalogue == "" || f.enqueue {
		return nil
	}
	if _, err := os.Stat(config.DefaultFile); err != nil {
		return nil
	}
	cfg, err := config.Load(config.DefaultFile, os.LookupEnv)
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("配置文件有误：\n%w", err)}
	}
	f.headers = cfg.Site.CatalogueHeaders
	return nil
}

func usageErr(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

func loadSite(dir, name, baseURL string) (*scenarios.Site, error) {
	noteShipped(os.Stderr, dir)
	path := filepath.Join(dir, name+".yaml")
	site, err := scenarios.LoadSite(path, scenarios.SiteOptions{BaseURL: baseURL})
	if err != nil {
		if os.IsNotExist(err) || strings.Contains(err.Error(), "no such file") {
			return nil, usageErr("没有找到站点配置 %s（用 --site 和 --sites 指定）", path)
		}
		return nil, &exitError{code: 2, err: fmt.Errorf("站点配置有误：%w", err)}
	}
	return site, nil
}

func runSweep(cmd *cobra.Command, f *sweepFlags) error {
	ctx, stdout, stderr := cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr()
	chs, err := f.check()
	if err != nil {
		return err
	}
	if err := f.readHeaders(); err != nil {
		return err
	}
	if f.enqueue {
		return f.queue(cmd, chs)
	}
	var lp *loop.Loop
	runID := finding.NewRunID(time.Now())
	if !f.noStore {
		l, closeStore, err := dbLoop(cmd, "")
		if err != nil {
			return err
		}
		defer closeStore()
		lp = l
		release, err := holdSweep(cmd, runID)
		if err != nil {
			return err
		}
		defer release()
	}
	bar := newProgressBar(stderr)
	sw, items, err := f.sweeper(ctx, chs, stderr, bar.update)
	if err != nil {
		return err
	}
	defer sw.Close()
	fl, err := startFiling(ctx, lp, runID, f.site, chs, len(items), f.out)
	if err != nil {
		return err
	}
	fl.attach(ctx, sw)
	res := sw.Sweep(ctx, items)
	bar.done()
	if err := fl.finish(ctx, res); err != nil {
		return err
	}
	if lp != nil {
		if err := digestAfterRun(ctx, lp.Store(), fl.run.ID, stderr); err != nil {
			fmt.Fprintln(stderr, "提示：体验摘要未能放入通知队列：", err)
		}
	}
	if f.format == "json" {
		return printFindingsJSON(stdout, res.Findings)
	}
	printSweepTable(stdout, res, fl)
	return nil
}

// holdSweep takes the one-sweep-at-a-time lock of the store's job queue for the sweep runID
// this process is about to run, when the store has a queue (tiyan serve or a worker has used
// it): a sweep by hand and a queued or scheduled one never overlap. Without a queue there is
// nothing to hold.
func holdSweep(cmd *cobra.Command, runID string) (release func(), err error) {
	ctx := cmd.Context()
	url, err := dbURL(cmd)
	if err != nil {
		return nil, err
	}
	if ok, err := jobs.Exists(ctx, url); err != nil || !ok {
		return func() {}, cliFail(err)
	}
	h, err := jobs.HoldSweep(ctx, url, runID)
	var running *jobs.SweepRunningError
	if errors.As(err, &running) {
		return nil, &exitError{code: 1, err: fmt.Errorf("%w。也可以用 tiyan sweep --enqueue 排队，由 tiyan serve 或 tiyan worker 在它之后执行", err)}
	}
	if err != nil {
		return nil, cliFail(err)
	}
	return func() {
		if err := h.Release(ctx); err != nil {
			fmt.Fprintln(cmd.ErrOrStderr(), "提示：全量体验锁未能正常释放，tiyan serve 或 tiyan worker 会在两分钟后收回：", err)
		}
	}, nil
}

// queue hands the sweep to the job queue: serve and the workers do it.
func (f *sweepFlags) queue(cmd *cobra.Command, chs []scenarios.Channel) error {
	names := make([]string, len(chs))
	for i, c := range chs {
		names[i] = string(c)
	}
	return enqueueSweep(cmd, jobs.SweepArgs{Target: jobs.Target{Site: f.site, BaseURL: f.baseURL, Catalogue: f.catalogue, Channels: names},
		Zone: f.zone, Items: splitList(f.items), Limit: f.limit})
}

// sweeper loads the site and catalogue the flags name, lists the items and makes a sweeper.
func (f *sweepFlags) sweeper(ctx context.Context, chs []scenarios.Channel, stderr io.Writer, progress func(sweep.Progress)) (*sweep.Sweeper, []probes.Item, error) {
	sw, site, client, err := f.newSweeper(ctx, chs, stderr, progress)
	if err != nil {
		return nil, nil, err
	}
	items, err := sweep.List(ctx, client, site, sweep.ListOptions{Zone: f.zone, Codes: splitList(f.items), Limit: f.limit})
	if err == nil && len(items) == 0 {
		err = fmt.Errorf("门户事项列表为空，没有可体验的事项")
	}
	if err != nil {
		sw.Close()
		return nil, nil, err
	}
	return sw, items, nil
}

// newSweeper makes a sweeper of the site and catalogue the flags name.
func (f *sweepFlags) newSweeper(ctx context.Context, chs []scenarios.Channel, stderr io.Writer, progress func(sweep.Progress)) (*sweep.Sweeper, *scenarios.Site, *http.Client, error) {
	site, err := loadSite(f.sitesDir, f.site, f.baseURL)
	if err != nil {
		return nil, nil, nil, err
	}
	client := &http.Client{Timeout: 30 * time.Second}
	var cat *probes.Catalogue
	if f.catalogue != "" {
		if cat, err = probes.LoadCatalogueWith(ctx, client, f.catalogue, probes.CatalogueOptions{Headers: f.headers}); err != nil {
			return nil, nil, nil, err
		}
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	sw, err := sweep.New(sweep.Config{Site: site, Catalogue: cat, Channels: chs, Concurrency: f.concurrency,
		HTTP: client, Env: os.LookupEnv, Logger: logger, OnProgress: progress})
	if err != nil {
		return nil, nil, nil, usageErr("%v", err)
	}
	return sw, site, client, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func printFindingsJSON(w io.Writer, fs []sweep.Finding) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, f := range fs {
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	return nil
}

func printSweepTable(w io.Writer, res *sweep.Result, fl *filing) {
	for _, f := range res.Findings {
		where := f.ItemCode
		if f.Scope.Shared() {
			where = fmt.Sprintf("%s（影响事项 %d 个）", f.Scope.Label(), f.Affected)
		}
		fmt.Fprintf(w, "%s  %-28s %-3s %s  %s\n", f.Severity.Label(), f.Rule, f.Channel, where, f.Title)
	}
	fmt.Fprintf(w, "\n体验完成：%d 个事项、%d 个事项渠道，用时 %s；发现问题 %d 个", res.Items, res.ItemChannels,
		res.Finished.Sub(res.Started).Round(time.Second), len(res.Findings))
	if len(res.Errors) > 0 {
		fmt.Fprintf(w, "；体验程序自身出错 %d 次（不计为门户问题，详见日志）", len(res.Errors))
	}
	fmt.Fprintf(w, "。\n证据（截图）与 findings.json 已保存到 %s\n", fl.dir)
	if fl.lp != nil {
		fmt.Fprintf(w, "已归档到整改闭环，运行编号 %s（tiyan findings list 查看，tiyan report run %s 生成报告）\n", fl.run.ID, fl.run.ID)
	}
}

func init() { newReprober = sweepReprober }

// sweepReprober is the Reprober of `findings verify`: a sweep of the finding's item, with the
// site flags of the command (--site, --sites, --base-url, --catalogue) where it has them.
func sweepReprober(cmd *cobra.Command) (loop.Reprober, func(), error) {
	f := &sweepFlags{site: "wanshitong", sitesDir: "scenarios/sites", concurrency: 1}
	for name, v := range map[string]*string{"site": &f.site, "sites": &f.sitesDir, "base-url": &f.baseURL, "catalogue": &f.catalogue} {
		if fl := cmd.Flags().Lookup(name); fl != nil && fl.Value.String() != "" {
			*v = fl.Value.String()
		}
	}
	return reproberOf(func(ctx context.Context) (*sweep.Sweeper, error) {
		sw, _, _, err := f.newSweeper(ctx, nil, cmd.ErrOrStderr(), nil)
		return sw, err
	})(cmd.Context())
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"tiyan/internal/browser"
	"tiyan/internal/loop"
	"tiyan/internal/runner"
	"tiyan/reports"
	"tiyan/scenarios"
)

// runFlags are the flags run and replay share.
type runFlags struct {
	channel, baseURL, sitesDir, out, format string
	visible, noStore, replay                bool
	slow                                    time.Duration
	// env reads sign-in credentials; nil is os.LookupEnv (the demo passes its test account).
	env func(string) (string, bool)
}

func (f *runFlags) register(cmd *cobra.Command, channelDefault string) {
	fl := cmd.Flags()
	usage := "channel to run on: pc or h5"
	if channelDefault == "all" {
		usage = "channel to run on: pc, h5, or all the scenario declares"
	}
	fl.StringVar(&f.channel, "channel", channelDefault, usage)
	fl.StringVar(&f.baseURL, "base-url", "", "run against this base URL instead of the site profile's (for example the simulator, http://127.0.0.1:18090)")
	fl.StringVar(&f.sitesDir, "sites", "scenarios/sites", "folder of site profiles")
	fl.StringVar(&f.out, "out", "", "folder for step reports (report.html) of each run")
}

// channels turns --channel into the channels to run, given what a scenario declares.
func (f *runFlags) channels(sc *scenarios.Scenario, allowAll bool) ([]scenarios.Channel, error) {
	switch f.channel {
	case "all":
		if allowAll {
			return sc.Channels, nil
		}
	case "pc", "h5":
		return []scenarios.Channel{scenarios.Channel(f.channel)}, nil
	}
	valid := "pc, h5"
	if allowAll {
		valid += " or all"
	}
	return nil, &exitError{code: 2, err: fmt.Errorf("--channel 应为 %s，收到 %q", valid, f.channel)}
}

// session holds what runs share: the scenarios' sites and one Chromium, restarted after it dies.
type session struct {
	flags   *runFlags
	sites   map[string]*scenarios.Site
	browser *browser.Browser
	stdout  io.Writer
	onStep  func(runner.StepResult)
}

func openSession(ctx context.Context, f *runFlags, stdout, stderr io.Writer, paths []string) (*session, []*scenarios.Scenario, error) {
	scs, sites, err := loadChecked(stderr, f.sitesDir, scenarios.SiteOptions{BaseURL: f.baseURL}, paths)
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			ee.code = 2 // an invalid scenario is not a failed run
		}
		return nil, nil, err
	}
	if len(scs) == 0 {
		return nil, nil, &exitError{code: 2, err: fmt.Errorf("在 %s 中没有找到场景文件（*.yaml）", strings.Join(paths, ", "))}
	}
	if sites == nil {
		return nil, nil, &exitError{code: 2, err: fmt.Errorf("没有找到站点配置目录 %s，请用 --sites 指定", f.sitesDir)}
	}
	if err := fillItems(ctx, scs, sites); err != nil {
		return nil, nil, err
	}
	s := &session{flags: f, sites: sites, stdout: stdout}
	if err := s.startBrowser(ctx, stderr); err != nil {
		return nil, nil, err
	}
	return s, scs, nil
}

func (s *session) startBrowser(ctx context.Context, stderr io.Writer) error {
	cfg := browser.Config{}
	if s.flags.visible {
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			fmt.Fprintln(stderr, "提示：没有可用的显示器（DISPLAY 未设置），改为无头模式运行")
		} else {
			cfg.Visible = true
		}
	}
	b, err := browser.Start(ctx, cfg)
	if err != nil {
		return fmt.Errorf("启动浏览器失败: %w", err)
	}
	s.browser = b
	return nil
}

func (s *session) close() {
	if s.browser != nil {
		_ = s.browser.Close()
	}
}

// run plays one scenario on one channel. After a browser death the next run gets a fresh browser.
func (s *session) run(ctx context.Context, sc *scenarios.Scenario, ch scenarios.Channel) (*runner.Result, error) {
	if !s.browser.Alive() {
		s.close()
		if err := s.startBrowser(ctx, io.Discard); err != nil {
			return nil, err
		}
	}
	// Steps are printed for people already; the log keeps warnings only.
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	shots := runner.EveryStep
	if s.flags.out == "" && !s.flags.replay {
		shots = runner.FailedSteps // nobody will see the others; the failing step's is kept as evidence
	}
	r, err := runner.New(runner.Config{Site: s.sites[sc.Site], Browser: s.browser, Env: s.flags.env, Slow: s.flags.slow, OnStep: s.onStep, Logger: logger, Screenshots: shots})
	if err != nil {
		return nil, err
	}
	// A run that happened (passed, failed, or ended by a browser death) is reported through its
	// Result; only a run that could not take place at all is an error here.
	res, err := r.Run(ctx, sc, ch)
	if res == nil {
		return nil, err
	}
	return res, nil
}

// writeReport writes DIR/report.html for one run.
func writeReport(dir string, sc *scenarios.Scenario, site *scenarios.Site, baseURL string, res *runner.Result) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "report.html")
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	out := scenarioResult(res)
	out.Scenario, out.Title, out.Site, out.BaseURL = sc.ID, sc.Title, site.Name, baseURL
	rep := reports.StepReportOf(out, nil)
	if err := reports.WriteStepReport(f, rep); err != nil {
		return "", err
	}
	return path, f.Close()
}

// stepLine is how a step is printed for people: ✓/✗, which step, what it did, how long.
func stepLine(st runner.StepResult) string {
	mark := "✓"
	if !st.Passed {
		mark = "✗"
	}
	line := fmt.Sprintf("  %s 第%d步（第%d行）%s  %d 毫秒", mark, st.Index+1, st.Line, st.Description, st.Duration.Milliseconds())
	if st.Error != "" {
		line += "\n      " + strings.ReplaceAll(st.Error, "\n", "\n      ")
	}
	return line
}

func channelName(ch scenarios.Channel) string {
	if ch == scenarios.H5 {
		return "皖事通APP（H5）"
	}
	return "电脑端（PC）"
}

func newRunCommand() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run SCENARIO...",
		Short: "Run scenarios now (files or folders) and print each step and a summary",
		Long: `Runs each scenario on the chosen channels in headless Chromium, one isolated browser context
per run. Prints a line per step and a summary (table), or one JSON object per run (json).
Exit status: 0 when every run passed, 1 when any failed, 2 when a scenario or flag is invalid.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.format != "table" && f.format != "json" {
				return &exitError{code: 2, err: fmt.Errorf("--format 应为 table 或 json，收到 %q", f.format)}
			}
			var lp *loop.Loop
			if !f.noStore {
				l, closeStore, err := dbLoop(cmd, "")
				if err != nil {
					return err
				}
				defer closeStore()
				lp = l
			}
			return runAll(cmd.Context(), &f, lp, cmd.OutOrStdout(), cmd.ErrOrStderr(), args)
		},
	}
	f.register(cmd, "all")
	cmd.Flags().StringVar(&f.format, "format", "table", "table or json")
	cmd.Flags().BoolVar(&f.noStore, "no-store", false, "do not file failed runs as findings in the store")
	return cmd
}

func runAll(ctx context.Context, f *runFlags, lp *loop.Loop, stdout, stderr io.Writer, paths []string) error {
	s, scs, err := openSession(ctx, f, stdout, stderr, paths)
	if err != nil {
		return err
	}
	defer s.close()
	ledger, err := startLedger(ctx, lp, len(scs))
	if err != nil {
		return err
	}
	if ledger != nil {
		ledger.warn = func(err error) { fmt.Fprintln(stderr, "提示：步骤结果未能存入数据库：", err) }
	}
	enc := json.NewEncoder(stdout)
	var total, failed int
	for _, sc := range scs {
		chans, err := f.channels(sc, true)
		if err != nil {
			return err
		}
		for _, ch := range chans {
			if f.format == "table" {
				fmt.Fprintf(stdout, "%s · %s（%s）\n", sc.Title, channelName(ch), sc.File)
			}
			p := ledger.begin(ctx, sc, ch, s.sites[sc.Site])
			s.onStep = func(st runner.StepResult) {
				if f.format == "table" {
					fmt.Fprintln(stdout, stepLine(st))
				}
				p.step(st)
			}
			res, err := s.run(ctx, sc, ch)
			if err != nil {
				ledger.fail(ctx, err)
				return err
			}
			total++
			if !res.Passed {
				failed++
			}
			if err := ledger.record(ctx, sc, res, p); err != nil {
				return err
			}
			if f.out != "" {
				if _, err := writeReport(filepath.Join(f.out, sc.ID+"-"+string(ch)), sc, s.sites[sc.Site], f.baseURL, res); err != nil {
					return err
				}
			}
			if f.format == "json" {
				for i := range res.Steps {
					res.Steps[i].Screenshot = nil // screenshots go to the reports in --out
				}
				if err := enc.Encode(res); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(stdout, "  → %s，%d 步，用时 %.1f 秒\n", passWord(res.Passed), len(res.Steps), res.Duration.Seconds())
			}
		}
	}
	if err := ledger.finish(ctx); err != nil {
		return err
	}
	if ledger != nil {
		if err := digestAfterRun(ctx, lp.Store(), ledger.run.ID, stderr); err != nil {
			fmt.Fprintln(stderr, "提示：运行摘要未能放入通知队列：", err)
		}
	}
	if f.format == "table" {
		fmt.Fprintf(stdout, "共运行 %d 次，通过 %d 次，未通过 %d 次\n", total, total-failed, failed)
	}
	if failed > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d 次运行未通过", failed)}
	}
	return nil
}

func passWord(ok bool) string {
	if ok {
		return "通过"
	}
	return "未通过"
}

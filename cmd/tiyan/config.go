package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"

	"tiyan/internal/config"
	"tiyan/internal/jobs"
	"tiyan/internal/store"
	"tiyan/scenarios"
)

func newConfigCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "The configuration file (tiyan.yaml)",
	}
	var file string
	check := &cobra.Command{
		Use:   "check",
		Short: "Check the configuration and print it as it takes effect",
		Long: `check reads the configuration file (default ./tiyan.yaml; a missing file means the defaults),
with the environment variables that win over it (TIYAN_DATABASE_URL, TIYAN_SLACK_TOKEN,
TIYAN_SLACK_CHANNEL, TIYAN_SLACK_API_URL), and the schedules of the scenarios it names. It prints
the effective configuration in Chinese, or every problem as file:line:col and exits 1.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runConfigCheck(cmd, file) },
	}
	addConfigFlag(check, &file)
	cmd.AddCommand(check)
	return cmd
}

// addConfigFlag adds --config to a command.
func addConfigFlag(cmd *cobra.Command, file *string) {
	cmd.Flags().StringVar(file, "config", config.DefaultFile, "configuration file; a missing "+config.DefaultFile+" means the defaults")
}

// loadConfig reads the configuration file a command names. A file named with --config must
// exist; the default one may be missing. Problems are printed to stderr, one a line.
func loadConfig(cmd *cobra.Command, file string) (*config.Config, error) {
	if cmd.Flags().Changed("config") {
		if _, err := os.Stat(file); err != nil {
			return nil, cliUsage("找不到配置文件 %s：%v", file, err)
		}
	}
	cfg, err := config.Load(file, os.LookupEnv)
	var cerr *config.Error
	if errors.As(err, &cerr) {
		for _, p := range cerr.Problems {
			fmt.Fprintln(cmd.ErrOrStderr(), p.String())
		}
		return nil, &exitError{code: 1, err: fmt.Errorf("配置有误：发现 %d 个问题（tiyan config check 可再次检查）", len(cerr.Problems))}
	}
	return cfg, err
}

// configDatabase is the database of a command that has read its configuration: --database,
// else the configuration's (where TIYAN_DATABASE_URL already won over the file); the same rule
// as dbURL.
func configDatabase(cmd *cobra.Command, cfg *config.Config) string {
	return cfg.DatabaseURL(dbFlag(cmd))
}

// configSchedules are the periodic jobs of a configuration: the sweep, the overdue scan, and each
// scenario of the scenarios folder on its own schedule (or with the sweep when it has none).
func configSchedules(cfg *config.Config, stderr io.Writer) ([]jobs.Schedule, []*scenarios.Scenario, error) {
	var out []jobs.Schedule
	if cfg.Schedules.Sweep != config.Off {
		out = append(out, jobs.Schedule{Name: "sweep", Cron: cfg.Schedules.Sweep,
			Job: jobs.SweepArgs{Target: jobs.Target{Site: cfg.Site.Name, BaseURL: cfg.Site.BaseURL, Catalogue: cfg.Site.Catalogue}, Zone: cfg.Site.Zone}})
	}
	if cfg.Schedules.OverdueScan != config.Off {
		out = append(out, jobs.Schedule{Name: "overdue_scan", Cron: cfg.Schedules.OverdueScan, Job: jobs.OverdueScanArgs{}})
	}
	if !haveFolder(stderr, cfg.Scenarios) {
		fmt.Fprintf(stderr, "提示：没有找到场景目录 %s，不安排定时场景\n", cfg.Scenarios)
		return out, nil, nil
	}
	scs, err := scenarios.LoadScenarios(cfg.Scenarios)
	var perr *scenarios.Error
	if errors.As(err, &perr) {
		for _, p := range perr.Problems {
			fmt.Fprintln(stderr, p.String())
		}
		return nil, nil, &exitError{code: 1, err: fmt.Errorf("场景文件有误：发现 %d 个问题", len(perr.Problems))}
	}
	if err != nil {
		return nil, nil, err
	}
	for _, sc := range scs {
		if expr := scenarioCron(cfg, sc); expr != config.Off {
			out = append(out, jobs.Schedule{Name: "scenario:" + sc.ID, Cron: expr, Job: jobs.ScenarioArgs{ID: sc.ID, File: sc.File, Timeout: scenarioJobTimeout(sc)}})
		}
	}
	return out, scs, nil
}

// scenarioCron is a scenario's own schedule, else the sweep's.
func scenarioCron(cfg *config.Config, sc *scenarios.Scenario) string {
	if sc.Schedule != "" {
		return sc.Schedule
	}
	return cfg.Schedules.Sweep
}

func runConfigCheck(cmd *cobra.Command, file string) error {
	out := cmd.OutOrStdout()
	cfg, err := loadConfig(cmd, file)
	if err != nil {
		return err
	}
	scheds, scs, err := configSchedules(cfg, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	printConfig(out, cfg, file)
	printSchedules(out, cfg, scheds, scs)
	return nil
}

func printConfig(w io.Writer, cfg *config.Config, file string) {
	if cfg.File == "" {
		fmt.Fprintf(w, "配置文件：%s 不存在，全部使用默认值（参考 tiyan.example.yaml）\n", file)
	} else {
		fmt.Fprintf(w, "配置文件：%s 检查通过\n", cfg.File)
	}
	db := cfg.Database
	if db == "" {
		db = "sqlite:" + store.DefaultPath
	}
	fmt.Fprintf(w, "数据库：%s（%s）\n", store.Redact(db), map[string]string{"env": "来自环境变量 " + config.EnvDatabaseURL, "file": "来自配置文件", "default": "默认"}[cfg.DatabaseFrom])
	if strings.HasPrefix(db, "sqlite:") {
		fmt.Fprintln(w, "  内置 SQLite：只由 tiyan serve 一个进程处理任务；任务队列在同目录的 .jobs 文件")
	}
	base := cfg.Site.BaseURL
	if base == "" {
		base = "站点配置中的地址"
	}
	fmt.Fprintf(w, "体验站点：%s（站点配置目录 %s；门户地址 %s）\n", cfg.Site.Name, cfg.Site.SitesDir, base)
	fmt.Fprintf(w, "权威实施清单：%s\n", orWord(cfg.Site.Catalogue, "未配置（不核对办事指南与清单）"))
	fmt.Fprintf(w, "每个进程同时体验：%d 个页面\n", cfg.Concurrency)
	fmt.Fprintf(w, "网页：监听 %s，访问地址 %s\n", cfg.Web.Addr, cfg.Web.URL())
	metrics := "http://" + cfg.Metrics.Addr + "/metrics"
	if cfg.Metrics.Addr == config.Off {
		metrics = "不提供"
	}
	fmt.Fprintf(w, "指标（tiyan serve 和 tiyan worker）：%s\n", metrics)
	printSlack(w, cfg.Slack)
}

func printSlack(w io.Writer, s config.Slack) {
	token := "未设置（" + config.EnvSlackToken + "），消息只写入日志"
	if s.Token != "" {
		token = "已设置"
	}
	fmt.Fprintf(w, "Slack：令牌%s；默认频道 %s；API %s\n", token, orWord(s.DefaultChannel, "未设置"), orWord(s.APIURL, "Slack 官方"))
	fmt.Fprintf(w, "  体验汇总 → %s；超期提醒 → %s（单位有自己的频道时发到单位频道）；程序出错 → %s\n",
		orWord(s.Channel("digest"), "无"), orWord(s.Channel("overdue"), "无"), orWord(s.Channel("ops"), "无"))
}

func printSchedules(w io.Writer, cfg *config.Config, scheds []jobs.Schedule, scs []*scenarios.Scenario) {
	fmt.Fprintf(w, "定时任务（时区 %s）：\n", cfg.TimeZone)
	if cfg.Schedules.Sweep == config.Off {
		fmt.Fprintln(w, "  全量体验：已关闭")
	}
	if cfg.Schedules.OverdueScan == config.Off {
		fmt.Fprintln(w, "  超期提醒：已关闭")
	}
	names := map[string]string{"sweep": "全量体验", "overdue_scan": "超期提醒"}
	rows := make([][]string, 0, len(scheds))
	for _, s := range scheds {
		name := names[s.Name]
		if a, ok := s.Job.(jobs.ScenarioArgs); ok {
			name = "场景 " + a.ID
		}
		rows = append(rows, []string{"  " + name, s.Cron, nextRun(s.Cron, cfg.Location)})
	}
	cliTable(w, []string{"  任务", "cron", "下次运行"}, rows)
	if scs == nil {
		fmt.Fprintf(w, "场景目录：%s 不存在，没有定时场景\n", cfg.Scenarios)
		return
	}
	fmt.Fprintf(w, "场景目录：%s（%d 个场景；没写 schedule: 的随全量体验运行）\n", cfg.Scenarios, len(scs))
}

// nextRun is when a cron expression next fires, for people.
func nextRun(expr string, loc *time.Location) string {
	s, err := cron.ParseStandard(expr)
	if err != nil {
		return "（无效）"
	}
	return s.Next(time.Now().In(loc)).Format("2006-01-02 15:04")
}

func orWord(s, word string) string {
	if s == "" {
		return word
	}
	return s
}

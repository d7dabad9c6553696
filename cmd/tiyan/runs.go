package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"tiyan/internal/finding"
	"tiyan/internal/jobs"
	"tiyan/internal/store"
)

// runStatusQueued is how a requested sweep whose run has not started yet is listed.
const runStatusQueued = "queued"

type runsFlags struct {
	config, format, kind, status string
	limit                        int
}

func newRunsCommand() *cobra.Command {
	f := &runsFlags{}
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "Sweeps, scenario runs and verifications: status, progress, workers and errors",
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List runs, newest first, with the sweeps still queued",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runsList(cmd, f) },
	}
	list.Flags().StringVar(&f.kind, "kind", "", "only runs of this kind: sweep, scenario or verify")
	list.Flags().StringVar(&f.status, "status", "", "only runs in this status: running, done or failed")
	list.Flags().IntVar(&f.limit, "limit", 20, "at most this many runs (0: all)")
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show one run: item-channels total and done, findings, work per worker, errors",
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runsShow(cmd, f, args[0]) },
	}
	for _, c := range []*cobra.Command{list, show} {
		c.Flags().StringVar(&f.format, "format", "table", "table or json")
		addConfigFlag(c, &f.config)
	}
	cmd.AddCommand(list, show)
	return cmd
}

// openRuns opens the store of the configuration (or --database).
func openRuns(cmd *cobra.Command, f *runsFlags) (*store.DB, error) {
	if err := cliFormat(f.format); err != nil {
		return nil, err
	}
	cfg, err := loadConfig(cmd, f.config)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(cmd.Context(), configDatabase(cmd, cfg))
	if err != nil {
		return nil, cliFail(err)
	}
	return st, nil
}

func runsList(cmd *cobra.Command, f *runsFlags) error {
	if f.kind != "" && !slices.Contains([]string{finding.RunSweep, finding.RunScenario, finding.RunVerify}, f.kind) {
		return cliUsage("--kind 应为 sweep、scenario 或 verify，收到 %q", f.kind)
	}
	st, err := openRuns(cmd, f)
	if err != nil {
		return err
	}
	defer st.Close()
	runs, err := st.Runs(cmd.Context(), finding.RunFilter{Kind: f.kind, Status: f.status, Limit: f.limit})
	if err != nil {
		return cliFail(err)
	}
	if f.status == "" && f.kind != finding.RunScenario {
		queued, err := queuedRuns(cmd.Context(), st, f.kind, runs)
		if err != nil {
			fmt.Fprintf(cmd.ErrOrStderr(), "提示：无法读取排队中的体验：%v\n", err)
		}
		runs = append(queued, runs...)
	}
	if f.format == "json" {
		return cliJSON(cmd.OutOrStdout(), runs)
	}
	printRuns(cmd.OutOrStdout(), runs)
	return nil
}

// queuedRuns are the sweeps and verifications queued (of kind, "" for both) whose run record
// does not exist yet, as runs in status queued.
func queuedRuns(ctx context.Context, db *store.DB, kind string, have []finding.Run) ([]finding.Run, error) {
	j, err := jobs.Open(ctx, jobs.Config{DB: db})
	if err != nil {
		return nil, err
	}
	defer j.Close()
	qs, err := j.QueuedRuns(ctx)
	var out []finding.Run
	for _, q := range qs {
		if slices.ContainsFunc(have, func(r finding.Run) bool { return r.ID == q.RunID }) || (kind != "" && q.Kind != kind) {
			continue
		}
		run := finding.Run{ID: q.RunID, Kind: q.Kind, Site: q.Site, Status: runStatusQueued, Started: q.Queued}
		if q.LastError != "" {
			what := map[string]string{finding.RunSweep: "启动", finding.RunVerify: "复核"}[q.Kind]
			run.Errors = []string{fmt.Sprintf("第 %d 次%s失败：%s", q.Attempt, what, q.LastError)}
		}
		out = append(out, run)
	}
	return out, err
}

func printRuns(w io.Writer, runs []finding.Run) {
	if len(runs) == 0 {
		fmt.Fprintln(w, "还没有运行记录（tiyan sweep 或 tiyan sweep --enqueue 开始一次全量体验）")
		return
	}
	rows := make([][]string, 0, len(runs))
	for _, r := range runs {
		rows = append(rows, []string{orWord(r.ID, "（定时，待启动）"), runKindLabel(r.Kind), runStatusLabel(r.Status), finding.FormatTime(r.Started),
			runDuration(r), progressText(r), strconv.Itoa(r.Findings), strconv.Itoa(len(r.Errors))})
	}
	cliTable(w, []string{"运行编号", "类型", "状态", "开始", "用时", "进度", "问题", "出错"}, rows)
}

func runsShow(cmd *cobra.Command, f *runsFlags, id string) error {
	st, err := openRuns(cmd, f)
	if err != nil {
		return err
	}
	defer st.Close()
	run, err := st.Run(cmd.Context(), id)
	if finding.ErrorCode(err) == finding.ENOTFOUND {
		run, err = queuedRun(cmd.Context(), st, id, err)
	}
	if err != nil {
		return cliFail(err)
	}
	if f.format == "json" {
		return cliJSON(cmd.OutOrStdout(), run)
	}
	printRun(cmd.OutOrStdout(), run)
	return nil
}

// queuedRun finds a run that is only queued yet; notFound is the store's answer otherwise.
func queuedRun(ctx context.Context, st *store.DB, id string, notFound error) (finding.Run, error) {
	queued, err := queuedRuns(ctx, st, "", nil)
	if err != nil {
		return finding.Run{}, errors.Join(notFound, err)
	}
	for _, r := range queued {
		if r.ID == id {
			return r, nil
		}
	}
	return finding.Run{}, notFound
}

func printRun(w io.Writer, r finding.Run) {
	rows := [][]string{
		{"运行编号", r.ID},
		{"类型", runKindLabel(r.Kind)},
		{"站点", orWord(r.Site, "—")},
		{"渠道", orWord(channelsText(r.Channels), "—")},
		{"状态", runStatusLabel(r.Status)},
		{"开始", finding.FormatTime(r.Started)},
		{"结束", orWord(finding.FormatTime(r.Finished), "—")},
		{"用时", runDuration(r)},
		{"事项渠道", fmt.Sprintf("共 %d 个，已完成 %d 个%s", r.Total, r.Done, runPercent(r))},
		{"发现问题", fmt.Sprintf("%d 个", r.Findings)},
	}
	cliTable(w, []string{"项目", "内容"}, rows)
	printWorkers(w, r.Workers)
	if len(r.Errors) > 0 {
		fmt.Fprintf(w, "\n体验程序出错 %d 次（不是门户的问题）：\n", len(r.Errors))
		for _, e := range r.Errors {
			fmt.Fprintln(w, "  - "+e)
		}
	}
}

func printWorkers(w io.Writer, workers map[string]int) {
	if len(workers) == 0 {
		return
	}
	names := make([]string, 0, len(workers))
	for n := range workers {
		names = append(names, n)
	}
	slices.Sort(names)
	rows := make([][]string, len(names))
	for i, n := range names {
		rows[i] = []string{n, strconv.Itoa(workers[n])}
	}
	fmt.Fprintln(w)
	cliTable(w, []string{"执行者", "完成事项渠道"}, rows)
}

func runKindLabel(k string) string {
	return orWord(map[string]string{finding.RunSweep: "全量体验", finding.RunScenario: "场景运行", finding.RunVerify: "整改复核"}[k], k)
}

func runStatusLabel(s string) string {
	return orWord(map[string]string{finding.RunRunning: "进行中", finding.RunDone: "已完成", finding.RunFailed: "失败", runStatusQueued: "排队中"}[s], s)
}

func runDuration(r finding.Run) string {
	switch {
	case r.Status == runStatusQueued || r.Started.IsZero():
		return "—"
	case r.Finished.IsZero():
		return time.Since(r.Started).Round(time.Second).String() + "（进行中）"
	}
	return r.Finished.Sub(r.Started).Round(time.Second).String()
}

func progressText(r finding.Run) string {
	if r.Total == 0 {
		return "—"
	}
	return fmt.Sprintf("%d/%d", r.Done, r.Total)
}

func runPercent(r finding.Run) string {
	if r.Total == 0 {
		return ""
	}
	return fmt.Sprintf("（%.1f%%）", 100*float64(r.Done)/float64(r.Total))
}

func channelsText(chs []string) string {
	out := ""
	for i, c := range chs {
		if i > 0 {
			out += "、"
		}
		out += finding.Channel(c).Label()
	}
	return out
}

// enqueueSweep queues a sweep and prints its run ID: what `tiyan sweep --enqueue` does. The
// database is the command's (dbURL: --database, else TIYAN_DATABASE_URL, else that of
// ./tiyan.yaml), as tiyan serve reads it. The sweep's site, base URL, catalogue, channels, zone, items and
// limit come in a; tiyan serve or a tiyan worker does the sweep.
func enqueueSweep(cmd *cobra.Command, a jobs.SweepArgs) error {
	url, err := dbURL(cmd)
	if err != nil {
		return err
	}
	id, err := jobs.EnqueueSweep(cmd.Context(), url, a)
	var running *jobs.SweepRunningError
	if errors.As(err, &running) {
		return &exitError{code: 1, err: err}
	}
	if err != nil {
		return cliFail(err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "已排队全量体验，运行编号 %s（由 tiyan serve 或 tiyan worker 执行；tiyan runs show %s 查看进度）\n", id, id)
	return nil
}

package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"tiyan/internal/config"
	"tiyan/internal/finding"
	"tiyan/internal/jobs"
	"tiyan/internal/loop"
	"tiyan/internal/upload"
)

// newReprober builds the Reprober `findings verify` replays automated findings with (a sweep of
// the item and channel, or the scenario, in a browser), and a function that releases it. The
// sweep code sets it; nil means this build cannot replay.
var newReprober func(cmd *cobra.Command) (loop.Reprober, func(), error)

// findingsFlags are the flags every findings subcommand shares.
type findingsFlags struct {
	calendar string // extra years of the holiday calendar
	actor    string // who events are recorded for
}

func (ff *findingsFlags) open(cmd *cobra.Command) (*loop.Loop, func(), error) {
	return dbLoop(cmd, ff.calendar)
}

func newFindingsCommand() *cobra.Command {
	ff := &findingsFlags{}
	cmd := &cobra.Command{
		Use:   "findings",
		Short: "Findings and the rectification loop (发现问题 → 反馈问题 → 处理问题 → 评价结果)",
		Long: `Findings come from tiyan's sweeps and scenario runs, and from officers' manual reports.
Each problem goes found → fed_back (a unit and a deadline in working days) → handled (the unit's
note and evidence) → verified (evaluated by a person, or verified by tiyan replaying what found
it); a failed evaluation sends it back to fed_back. found may also be dismissed. A praise
(好经验) is recorded but never enters the loop. The database is --database, else
TIYAN_DATABASE_URL, else database: in ./tiyan.yaml (postgres://… or sqlite:PATH), by default
./data/tiyan.db.`,
	}
	cmd.PersistentFlags().StringVar(&ff.calendar, "calendar", os.Getenv("TIYAN_CALENDAR"), "YAML file of holiday years beyond the shipped 2025–2026 (env TIYAN_CALENDAR)")
	cmd.PersistentFlags().StringVar(&ff.actor, "actor", cliActor(), "who is acting, recorded in the finding's history (env TIYAN_ACTOR)")
	cmd.SetFlagErrorFunc(cliFlagError)
	cmd.AddCommand(newFindingsListCommand(ff), newFindingsShowCommand(ff), newFindingsReportCommand(ff),
		newFindingsFeedbackCommand(ff), newFindingsHandleCommand(ff), newFindingsEvaluateCommand(ff),
		newFindingsVerifyCommand(ff), newFindingsDismissCommand(ff))
	return cmd
}

// listFlags are the filters of findings list.
type listFlags struct {
	status, unit, category, severity, kind, source, format string
	overdue, open                                          bool
	limit, offset                                          int
}

func newFindingsListCommand(ff *findingsFlags) *cobra.Command {
	var lf listFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List findings, newest first (a unit's: nearest deadline first)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cliFormat(lf.format); err != nil {
				return err
			}
			l, closeStore, err := ff.open(cmd)
			if err != nil {
				return err
			}
			defer closeStore()
			filter, err := lf.filter(cmd, l)
			if err != nil {
				return err
			}
			return listFindings(cmd, l, filter, lf.format)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&lf.status, "status", "", "found, fed_back, handled, verified, dismissed (comma-separated)")
	fl.StringVar(&lf.unit, "unit", "", "the responsible unit, by name or ID")
	fl.StringVar(&lf.category, "category", "", "layout, guide, channel, service or suggestion")
	fl.StringVar(&lf.severity, "severity", "", "blocker, major, minor or advice")
	fl.StringVar(&lf.kind, "kind", "", "problem or praise")
	fl.StringVar(&lf.source, "source", "", "probe, officer or survey")
	fl.BoolVar(&lf.overdue, "overdue", false, "only problems past their deadline")
	fl.BoolVar(&lf.open, "open", false, "only problems still in the loop (found, fed_back, handled)")
	fl.IntVar(&lf.limit, "limit", 50, "at most this many (0: all)")
	fl.IntVar(&lf.offset, "offset", 0, "skip this many")
	fl.StringVar(&lf.format, "format", "table", "output: table or json")
	return cmd
}

// filter turns the flags into a store filter.
func (lf *listFlags) filter(cmd *cobra.Command, l *loop.Loop) (finding.FindingFilter, error) {
	f := finding.FindingFilter{Open: lf.open, Order: finding.ByNewest, Limit: lf.limit, Offset: lf.offset}
	if lf.limit < 0 || lf.offset < 0 {
		return f, cliUsage("--limit 和 --offset 不能为负数")
	}
	for _, s := range strings.Split(lf.status, ",") {
		if s = strings.TrimSpace(s); s != "" {
			st, err := finding.ParseStatus(s)
			if err != nil {
				return f, cliFail(err)
			}
			f.Status = append(f.Status, st)
		}
	}
	for _, err := range []error{
		parseFlag(lf.category, &f.Category, finding.ParseCategory),
		parseFlag(lf.severity, &f.Severity, finding.ParseSeverity),
		parseFlag(lf.kind, &f.Kind, finding.ParseKind),
		parseFlag(lf.source, &f.Source, finding.ParseSource),
	} {
		if err != nil {
			return f, cliFail(err)
		}
	}
	if lf.overdue {
		f.OverdueAt = l.Now()
	}
	if lf.unit != "" {
		u, err := resolveUnit(cmd.Context(), l.Store(), lf.unit)
		if err != nil {
			return f, err
		}
		f.UnitID, f.Order = u.ID, finding.ByDeadline
	}
	return f, nil
}

// parseFlag parses a non-empty flag value into dst.
func parseFlag[T ~string](s string, dst *T, parse func(string) (T, error)) error {
	if s == "" {
		return nil
	}
	v, err := parse(s)
	*dst = v
	return err
}

func listFindings(cmd *cobra.Command, l *loop.Loop, filter finding.FindingFilter, format string) error {
	fs, err := l.List(cmd.Context(), filter)
	if err != nil {
		return cliFail(err)
	}
	if format == "json" {
		return cliJSON(cmd.OutOrStdout(), append([]finding.Finding{}, fs...))
	}
	total, err := l.Store().CountFindings(cmd.Context(), filter)
	if err != nil {
		return cliFail(err)
	}
	printFindingList(cmd, fs, total)
	return nil
}

func printFindingList(cmd *cobra.Command, fs []finding.Finding, total int) {
	w := cmd.OutOrStdout()
	if len(fs) == 0 {
		fmt.Fprintln(w, "没有符合条件的问题")
		return
	}
	rows := make([][]string, len(fs))
	for i, f := range fs {
		rows[i] = []string{strconv.FormatInt(f.ID, 10), statusText(f), f.Severity.Label(), f.Category.Label(),
			cliClip(f.Unit, 20), deadlineText(f), strconv.Itoa(f.Occurrences), cliClip(f.Title, 40)}
	}
	cliTable(w, []string{"编号", "状态", "严重程度", "类别", "责任单位", "期限", "次数", "标题"}, rows)
	fmt.Fprintf(w, "共 %d 条，显示 %d 条\n", total, len(fs))
}

// statusText is a finding's status for people; a praise has none.
func statusText(f finding.Finding) string {
	if f.Kind == finding.Praise {
		return "好经验"
	}
	return f.Status.Label()
}

// deadlineText is a finding's deadline for people, marked when overdue.
func deadlineText(f finding.Finding) string {
	d := finding.FormatDate(f.Deadline)
	if f.Overdue {
		d += "（已逾期）"
	}
	return d
}

func newFindingsShowCommand(ff *findingsFlags) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one finding with its evidence and history",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cliFormat(format); err != nil {
				return err
			}
			id, err := cliID("问题", args[0])
			if err != nil {
				return err
			}
			l, closeStore, err := ff.open(cmd)
			if err != nil {
				return err
			}
			defer closeStore()
			f, err := l.Show(cmd.Context(), id)
			if err != nil {
				return cliFail(err)
			}
			if format == "json" {
				return cliJSON(cmd.OutOrStdout(), f)
			}
			printFinding(cmd, f)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	return cmd
}

// printFinding writes one finding for people.
func printFinding(cmd *cobra.Command, f finding.Finding) {
	w := cmd.OutOrStdout()
	kind := "问题"
	if f.Kind == finding.Praise {
		kind = "好经验"
	}
	fmt.Fprintf(w, "%s #%d  %s（%s）  %s · %s\n", kind, f.ID, statusText(f), f.Status, f.Severity.Label(), f.Category.Label())
	fmt.Fprintf(w, "标题：%s\n", f.Title)
	for _, line := range [][2]string{
		{"详情", f.Detail},
		{"事项", itemText(f)},
		{"渠道", channelText(f.Channel)},
		{"责任单位", strings.TrimSpace(f.Unit + " " + zoneLabel(f.Jurisdiction))},
		{"期限", strings.TrimSpace(deadlineText(f) + " " + f.DeadlineNote)},
		{"来源", sourceText(f)},
		{"发现", fmt.Sprintf("首次 %s，最近 %s，共 %d 次", finding.FormatTime(f.FirstSeen), finding.FormatTime(f.LastSeen), f.Occurrences)},
		{"链接", f.URL},
		{"回潮自", idText(f.RecurrenceOf)},
		{"体验活动", idText(f.ActivityID)},
	} {
		if line[1] != "" {
			fmt.Fprintf(w, "%s：%s\n", line[0], line[1])
		}
	}
	printEvidence(cmd, f.Evidence)
	printEvents(cmd, f.Events)
}

func channelText(c finding.Channel) string {
	if c == "" {
		return ""
	}
	return c.Label() + "（" + string(c) + "）"
}

func sourceText(f finding.Finding) string {
	parts := []string{f.Source.Label()}
	if f.Officer != "" {
		parts[0] = "体验官 " + f.Officer
	}
	if f.Rule != "" {
		parts = append(parts, "规则 "+f.Rule)
	}
	if f.Scenario != "" {
		parts = append(parts, "场景 "+f.Scenario)
	}
	return strings.Join(parts, " · ")
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return "#" + strconv.FormatInt(id, 10)
}

func printEvidence(cmd *cobra.Command, evidence []finding.Evidence) {
	if len(evidence) == 0 {
		return
	}
	fmt.Fprintln(cmd.OutOrStdout(), "证据：")
	for _, e := range evidence {
		fmt.Fprintf(cmd.OutOrStdout(), "  #%d %s %s（%s，%d 字节）%s\n", e.ID, e.Kind, e.Name, e.ContentType, e.Size, finding.FormatTime(e.Created))
	}
}

func printEvents(cmd *cobra.Command, events []finding.Event) {
	fmt.Fprintln(cmd.OutOrStdout(), "经过：")
	rows := make([][]string, len(events))
	for i, e := range events {
		move := e.To.Label()
		if e.From != "" {
			move = e.From.Label() + " → " + e.To.Label()
		}
		rows[i] = []string{"  " + finding.FormatTime(e.At), e.Action.Label(), move, e.Actor, e.Note}
	}
	cliTable(cmd.OutOrStdout(), []string{"  时间", "环节", "状态", "操作人", "说明"}, rows)
}

// reportFlags are the flags of findings report.
type reportFlags struct {
	r                                                  loop.Report
	category, severity, source, channel, unit, officer string
	format                                             string
	activity                                           int64
	photos                                             []string
}

func newFindingsReportCommand(ff *findingsFlags) *cobra.Command {
	var rf reportFlags
	cmd := &cobra.Command{
		Use:   "report",
		Short: "File a manual report by an officer or from a survey (--praise: a 好经验)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cliFormat(rf.format); err != nil {
				return err
			}
			l, closeStore, err := ff.open(cmd)
			if err != nil {
				return err
			}
			defer closeStore()
			r, err := rf.report(cmd, l.Store(), ff.actor)
			if err != nil {
				return err
			}
			f, err := l.Report(cmd.Context(), r)
			if err != nil {
				return cliFail(err)
			}
			if rf.format == "json" {
				return cliJSON(cmd.OutOrStdout(), map[string]int64{"id": f.ID})
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已登记%s #%d：%s\n", map[bool]string{true: "好经验", false: "问题"}[r.Praise], f.ID, f.Title)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&rf.r.Title, "title", "", "what is wrong (or good), in one line")
	fl.StringVar(&rf.category, "category", "", "layout, guide, channel, service or suggestion (or 页面布局, 办事指南, 办理渠道, 服务, 意见建议)")
	fl.StringVar(&rf.severity, "severity", "", "blocker, major, minor or advice (阻断, 严重, 一般, 建议); a praise defaults to advice")
	fl.StringVar(&rf.r.ItemCode, "item", "", "the service item's code (事项编码)")
	fl.StringVar(&rf.r.ItemName, "item-name", "", "the service item's name")
	fl.StringVar(&rf.unit, "unit", "", "the responsible unit, by name or ID")
	fl.StringVar(&rf.r.Jurisdiction, "jurisdiction", "", "zone code (default: the unit's)")
	fl.StringVar(&rf.channel, "channel", "", "pc, h5 or offline")
	fl.StringVar(&rf.r.URL, "url", "", "the page concerned")
	fl.StringVar(&rf.r.Detail, "detail", "", "what happened, in detail")
	fl.StringVar(&rf.officer, "officer", "", "the reporting officer, by name or ID (also the actor)")
	fl.Int64Var(&rf.activity, "activity", 0, "the experience activity it was found in (ID)")
	fl.StringVar(&rf.source, "source", "officer", "officer or survey (民意调查)")
	fl.StringArrayVar(&rf.photos, "photo", nil, "a photo or file to attach (repeatable)")
	fl.BoolVar(&rf.r.Praise, "praise", false, "a praise (好经验): recorded, never enters the loop")
	fl.StringVar(&rf.format, "format", "table", "output: table or json ({\"id\": …})")
	return cmd
}

// report turns the flags into a loop.Report, resolving the unit and officer.
func (rf *reportFlags) report(cmd *cobra.Command, s finding.Store, actor string) (loop.Report, error) {
	r := rf.r
	for _, err := range []error{
		parseFlag(rf.category, &r.Category, finding.ParseCategory),
		parseFlag(rf.severity, &r.Severity, finding.ParseSeverity),
		parseFlag(rf.source, &r.Source, finding.ParseSource),
		parseFlag(rf.channel, &r.Channel, finding.ParseChannel),
	} {
		if err != nil {
			return r, cliFail(err)
		}
	}
	if rf.category == "" {
		return r, cliUsage("请用 --category 给出类别：layout, guide, channel, service 或 suggestion")
	}
	if rf.severity == "" && !r.Praise {
		return r, cliUsage("请用 --severity 给出严重程度：blocker, major, minor 或 advice")
	}
	if rf.unit != "" {
		u, err := resolveUnit(cmd.Context(), s, rf.unit)
		if err != nil {
			return r, err
		}
		r.UnitID = u.ID
	}
	r.ActivityID, r.Actor = rf.activity, actor
	if rf.officer != "" {
		o, err := resolveOfficer(cmd.Context(), s, rf.officer)
		if err != nil {
			return r, err
		}
		r.OfficerID = o.ID
		if !cmd.Flags().Changed("actor") {
			r.Actor = o.Name
		}
	}
	var err error
	r.Photos, err = cliReadFiles(cmd.Context(), rf.photos, finding.EvidencePhoto, upload.Photo)
	return r, err
}

// moveFunc performs one move of the loop on finding id and says what it did, for people.
type moveFunc func(cmd *cobra.Command, l *loop.Loop, id int64) (finding.Finding, string, error)

// moveCommand builds a subcommand that moves one finding through the loop and prints what
// happened, or the finding as JSON with --format json.
func moveCommand(ff *findingsFlags, use, short string, do moveFunc) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cliFormat(format); err != nil {
				return err
			}
			id, err := cliID("问题", args[0])
			if err != nil {
				return err
			}
			l, closeStore, err := ff.open(cmd)
			if err != nil {
				return err
			}
			defer closeStore()
			f, summary, err := do(cmd, l, id)
			if err != nil {
				return cliFail(err)
			}
			if format == "json" {
				return cliJSON(cmd.OutOrStdout(), f)
			}
			fmt.Fprintln(cmd.OutOrStdout(), summary)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json (the finding)")
	return cmd
}

func newFindingsFeedbackCommand(ff *findingsFlags) *cobra.Command {
	var unit, deadline, note string
	var days int
	cmd := moveCommand(ff, "feedback ID", "Feed a found problem back to a unit with a deadline (反馈问题)",
		func(cmd *cobra.Command, l *loop.Loop, id int64) (finding.Finding, string, error) {
			fb := loop.Feedback{Days: days, Note: note, Actor: ff.actor}
			var err error
			if fb.Deadline, err = optionalDate(deadline); err != nil {
				return finding.Finding{}, "", err
			}
			if unit != "" {
				u, err := resolveUnit(cmd.Context(), l.Store(), unit)
				if err != nil {
					return finding.Finding{}, "", err
				}
				fb.UnitID = u.ID
			}
			f, err := l.Feedback(cmd.Context(), id, fb)
			return f, strings.TrimSpace(fmt.Sprintf("问题 #%d 已反馈给 %s，期限 %s %s", f.ID, f.Unit, finding.FormatDate(f.Deadline), f.DeadlineNote)), err
		})
	cmd.Flags().StringVar(&unit, "unit", "", "the responsible unit, by name or ID (default: the unit the finding names)")
	cmd.Flags().IntVar(&days, "days", 0, "working days the unit has, 1 to 250 (default by severity: blocker 1, major 5, minor 10, advice 15)")
	cmd.Flags().StringVar(&deadline, "deadline", "", "the last day instead, within two years, 2026-10-13")
	cmd.Flags().StringVar(&note, "note", "", "what to do")
	return cmd
}

func newFindingsHandleCommand(ff *findingsFlags) *cobra.Command {
	var note string
	var files []string
	cmd := moveCommand(ff, "handle ID", "Record the unit's fix (处理问题)",
		func(cmd *cobra.Command, l *loop.Loop, id int64) (finding.Finding, string, error) {
			evidence, err := cliReadFiles(cmd.Context(), files, finding.EvidenceFile, upload.Evidence)
			if err != nil {
				return finding.Finding{}, "", err
			}
			f, err := l.Handle(cmd.Context(), id, note, evidence, ff.actor)
			return f, fmt.Sprintf("问题 #%d 已处理，等待评价（人工报告：findings evaluate；自动发现：findings verify）", f.ID), err
		})
	cmd.Flags().StringVar(&note, "note", "", "what was done (required)")
	cmd.Flags().StringArrayVar(&files, "evidence", nil, "a file that shows the fix (repeatable)")
	return cmd
}

func newFindingsEvaluateCommand(ff *findingsFlags) *cobra.Command {
	var pass, fail bool
	var note string
	cmd := moveCommand(ff, "evaluate ID", "Evaluate a handled problem: --pass (已整改) or --fail (未整改, back to the unit)",
		func(cmd *cobra.Command, l *loop.Loop, id int64) (finding.Finding, string, error) {
			if pass == fail {
				return finding.Finding{}, "", finding.Errorf(finding.EINVALID, "请用 --pass（已整改）或 --fail（未整改）给出评价结果，二者选一")
			}
			f, err := l.Evaluate(cmd.Context(), id, pass, note, ff.actor)
			if pass {
				return f, fmt.Sprintf("问题 #%d 评价为已整改，整改闭环结束", f.ID), err
			}
			return f, fmt.Sprintf("问题 #%d 评价为未整改，已退回 %s，新期限 %s", f.ID, f.Unit, finding.FormatDate(f.Deadline)), err
		})
	cmd.Flags().BoolVar(&pass, "pass", false, "the fix is satisfactory: verified")
	cmd.Flags().BoolVar(&fail, "fail", false, "the fix is not: back to the unit with a new deadline")
	cmd.Flags().StringVar(&note, "note", "", "the evaluation")
	return cmd
}

func newFindingsVerifyCommand(ff *findingsFlags) *cobra.Command {
	var enqueue bool
	cmd := moveCommand(ff, "verify ID", "Verify a handled automated finding by replaying what found it (now, or --enqueue for a worker)",
		func(cmd *cobra.Command, l *loop.Loop, id int64) (finding.Finding, string, error) {
			if enqueue {
				return enqueueVerify(cmd, l, id)
			}
			if _, err := l.CheckVerify(cmd.Context(), id); err != nil {
				return finding.Finding{}, "", err
			}
			if newReprober == nil {
				return finding.Finding{}, "", finding.Errorf(finding.EUNAVAILABLE, "这个 tiyan 版本没有接入复核所需的浏览器重放，不能复核；可由工作人员评价：tiyan findings evaluate %d --pass 或 --fail", id)
			}
			r, release, err := newReprober(cmd)
			if err != nil {
				return finding.Finding{}, "", finding.Errorf(finding.EUNAVAILABLE, "无法准备复核（问题状态未变）：%v", err)
			}
			defer release()
			f, err := l.Verify(cmd.Context(), id, r)
			if f.Status == finding.Verified {
				return f, fmt.Sprintf("问题 #%d 复核通过：重新体验未再发现，已整改", f.ID), err
			}
			return f, fmt.Sprintf("问题 #%d 复核未通过：问题仍然存在，已退回 %s，新期限 %s", f.ID, f.Unit, finding.FormatDate(f.Deadline)), err
		})
	// Read by the Reprober the sweep code builds (newReprober); empty keeps its defaults.
	fl := cmd.Flags()
	fl.String("site", "", "site profile to replay with (default: tiyan.yaml's site.name, else wanshitong)")
	fl.String("sites", "", "folder of site profiles (default scenarios/sites; with --enqueue the worker's own)")
	fl.String("base-url", "", "replay against this base URL instead of the profile's (e.g. the simulator)")
	fl.String("catalogue", "", "authoritative catalogue (实施清单) the guide rules compare with")
	fl.BoolVar(&enqueue, "enqueue", false, "queue the verification for tiyan serve / tiyan worker and print its run ID, instead of replaying now")
	return cmd
}

// enqueueVerify queues the verification of finding id as a job on the store's job queue: what
// `findings verify --enqueue` does. The portal is the one the flags name, else tiyan.yaml's site.
func enqueueVerify(cmd *cobra.Command, l *loop.Loop, id int64) (finding.Finding, string, error) {
	target := jobs.Target{Site: "wanshitong"}
	if cfg, err := config.Load(config.DefaultFile, os.LookupEnv); err == nil {
		target = jobs.Target{Site: cfg.Site.Name, BaseURL: cfg.Site.BaseURL, Catalogue: cfg.Site.Catalogue}
	}
	for name, v := range map[string]*string{"site": &target.Site, "base-url": &target.BaseURL, "catalogue": &target.Catalogue} {
		if fl := cmd.Flags().Lookup(name); fl != nil && fl.Changed {
			*v = fl.Value.String()
		}
	}
	url, err := dbURL(cmd)
	if err != nil {
		return finding.Finding{}, "", err
	}
	j, err := jobs.Open(cmd.Context(), jobs.Config{DatabaseURL: url, Loop: l, Site: target})
	if err != nil {
		return finding.Finding{}, "", err
	}
	defer j.Close()
	runID, err := j.EnqueueVerify(cmd.Context(), id)
	if err != nil {
		return finding.Finding{}, "", err
	}
	f, err := l.Show(cmd.Context(), id)
	return f, fmt.Sprintf("已排队复核问题 #%d，运行编号 %s（由 tiyan serve 或 tiyan worker 执行；tiyan runs show %s 查看进度，完成后 tiyan findings show %d 查看结果）",
		id, runID, runID, id), err
}

func newFindingsDismissCommand(ff *findingsFlags) *cobra.Command {
	var reason string
	cmd := moveCommand(ff, "dismiss ID", "Dismiss a found problem (不予采纳: 误报, 重复, 不属实)",
		func(cmd *cobra.Command, l *loop.Loop, id int64) (finding.Finding, string, error) {
			f, err := l.Dismiss(cmd.Context(), id, reason, ff.actor)
			return f, fmt.Sprintf("问题 #%d 不予采纳：%s", f.ID, reason), err
		})
	cmd.Flags().StringVar(&reason, "reason", "", "why (required)")
	return cmd
}

// itemText is a finding's item, or for a site or template finding the number of items it affects.
func itemText(f finding.Finding) string {
	if f.Scope.Shared() {
		return fmt.Sprintf("%s（%s），影响事项 %d 个", f.Scope.Label(), finding.Operator, f.Affected)
	}
	return strings.TrimSpace(f.ItemCode + " " + f.ItemName)
}

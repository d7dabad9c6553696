package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
)

func newOfficersCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "officers",
		Short: "Experience officers (政务服务体验官): one-year terms, annual review",
	}
	cmd.SetFlagErrorFunc(cliFlagError)
	cmd.AddCommand(newOfficersAddCommand(), newOfficersListCommand(), newOfficersDismissCommand())
	return cmd
}

func newOfficersAddCommand() *cobra.Command {
	var o finding.Officer
	var category, start, format string
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Appoint an officer for a one-year term",
		Long: `Appoints an experience officer. --category is one of 行业协会及商会 (association),
公职人员 (official), 新闻宣传 (media), 市场主体 (business), 市民群众 (citizen). The term lasts one
year from --term-start (default today); the annual review falls on its last day.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cliFormat(format); err != nil {
				return err
			}
			cat, err := finding.ParseOfficerCategory(category)
			if err != nil {
				return cliFail(err)
			}
			day := time.Now()
			if start != "" {
				if day, err = finding.ParseDate(start); err != nil {
					return cliFail(err)
				}
			}
			o.Name, o.Category = strings.TrimSpace(args[0]), cat
			o.TermStart, o.TermEnd, o.ReviewOn = finding.TermFrom(day)
			return addOfficer(cmd, o, format)
		},
	}
	cmd.Flags().StringVar(&category, "category", "", "行业协会及商会|公职人员|新闻宣传|市场主体|市民群众 (or association|official|media|business|citizen)")
	cmd.Flags().StringVar(&start, "term-start", "", "first day of the term, 2026-03-01 (default today)")
	cmd.Flags().StringVar(&o.Phone, "phone", "", "contact phone")
	cmd.Flags().StringVar(&o.Organization, "organization", "", "where the officer works (工作单位)")
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	return cmd
}

func addOfficer(cmd *cobra.Command, o finding.Officer, format string) error {
	s, err := dbOpen(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	got, err := s.CreateOfficer(cmd.Context(), o)
	if err != nil {
		return cliFail(err)
	}
	if format == "json" {
		return cliJSON(cmd.OutOrStdout(), got)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "已聘任体验官 #%d：%s（%s），聘期 %s 至 %s，年度考核 %s\n", got.ID, got.Name,
		got.Category.Label(), finding.FormatDate(got.TermStart), finding.FormatDate(got.TermEnd), finding.FormatDate(got.ReviewOn))
	return nil
}

func newOfficersListCommand() *cobra.Command {
	var all bool
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the officers in service (--all: dismissed ones too)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cliFormat(format); err != nil {
				return err
			}
			s, err := dbOpen(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			filter := finding.OfficerFilter{Status: finding.OfficerActive}
			if all {
				filter.Status = ""
			}
			officers, err := s.Officers(cmd.Context(), filter)
			if err != nil {
				return cliFail(err)
			}
			if format == "json" {
				return cliJSON(cmd.OutOrStdout(), append([]finding.Officer{}, officers...))
			}
			printOfficers(cmd, officers)
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "include dismissed officers")
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	return cmd
}

func printOfficers(cmd *cobra.Command, officers []finding.Officer) {
	if len(officers) == 0 {
		fmt.Fprintln(cmd.OutOrStdout(), "没有体验官（tiyan officers add 姓名 --category 类别）")
		return
	}
	rows := make([][]string, len(officers))
	for i, o := range officers {
		status := "在聘"
		if o.Status == finding.OfficerDismissed {
			status = "已解聘 " + finding.FormatDate(o.DismissedAt)
		}
		rows[i] = []string{strconv.FormatInt(o.ID, 10), o.Name, o.Category.Label(), o.Organization,
			finding.FormatDate(o.TermStart) + " 至 " + finding.FormatDate(o.TermEnd), finding.FormatDate(o.ReviewOn), status}
	}
	cliTable(cmd.OutOrStdout(), []string{"编号", "姓名", "类别", "工作单位", "聘期", "年度考核", "状态"}, rows)
}

func newOfficersDismissCommand() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "dismiss ID|NAME",
		Short: "End an officer's service (解聘) and disable the officer's accounts at once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := dbOpen(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			o, err := resolveOfficer(cmd.Context(), s, args[0])
			if err != nil {
				return err
			}
			acc, err := auth.NewAccounts(s, nil)
			if err != nil {
				return err
			}
			o, disabled, err := acc.DismissOfficer(cmd.Context(), o.ID, time.Now(), reason)
			if err != nil {
				return cliFail(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已解聘体验官 #%d：%s\n", o.ID, o.Name)
			for _, u := range disabled {
				fmt.Fprintf(cmd.OutOrStdout(), "已停用其账号 %s（登录、会话和接口令牌即时失效）\n", u.Name)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (任期届满, 考核不合格, 本人申请, …)")
	return cmd
}

// resolveOfficer finds an officer by ID or by name; a name several officers share is refused
// with their IDs, an active officer preferred over dismissed namesakes.
func resolveOfficer(ctx context.Context, s finding.Store, ref string) (finding.Officer, error) {
	ref = strings.TrimSpace(ref)
	if id, err := strconv.ParseInt(strings.TrimPrefix(ref, "#"), 10, 64); err == nil {
		o, err := s.Officer(ctx, id)
		return o, cliFail(err)
	}
	all, err := s.Officers(ctx, finding.OfficerFilter{Name: ref})
	if err != nil {
		return finding.Officer{}, cliFail(err)
	}
	var active []finding.Officer
	for _, o := range all {
		if o.Status == finding.OfficerActive {
			active = append(active, o)
		}
	}
	switch {
	case len(all) == 0:
		return finding.Officer{}, cliFail(finding.Errorf(finding.ENOTFOUND, "没有名为“%s”的体验官（tiyan officers list --all 列出所有体验官）", ref))
	case len(all) == 1:
		return all[0], nil
	case len(active) == 1:
		return active[0], nil
	}
	ids := make([]string, len(all))
	for i, o := range all {
		ids[i] = "#" + strconv.FormatInt(o.ID, 10)
	}
	return finding.Officer{}, cliUsage("有 %d 位体验官名为“%s”（%s），请用编号指定", len(all), ref, strings.Join(ids, "、"))
}

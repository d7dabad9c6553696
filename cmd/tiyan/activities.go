package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"tiyan/internal/finding"
)

func newActivitiesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "activities",
		Short: "Experience activities (体验活动): when officers experienced services, and how",
	}
	cmd.SetFlagErrorFunc(cliFlagError)
	cmd.AddCommand(newActivitiesAddCommand(), newActivitiesListCommand())
	return cmd
}

func newActivitiesAddCommand() *cobra.Command {
	var a finding.Activity
	var date, mode, form, format string
	var officers []string
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Record an experience activity",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cliFormat(format); err != nil {
				return err
			}
			if date == "" {
				return cliUsage("请用 --date 给出活动日期，如 2026-05-20")
			}
			var err error
			if a.Date, err = finding.ParseDate(date); err != nil {
				return cliFail(err)
			}
			if a.Mode, err = finding.ParseActivityMode(mode); err != nil {
				return cliFail(err)
			}
			if a.Form, err = finding.ParseActivityForm(form); err != nil {
				return cliFail(err)
			}
			return addActivity(cmd, a, officers, format)
		},
	}
	cmd.Flags().StringVar(&date, "date", "", "the day, 2026-05-20")
	cmd.Flags().StringVar(&mode, "mode", "", "集中 or 个人 (group or individual)")
	cmd.Flags().StringVar(&form, "form", "", "线上, 线下 or 民意调查 (online, offline or survey)")
	cmd.Flags().StringVar(&a.Title, "title", "", "what was experienced")
	cmd.Flags().StringVar(&a.Note, "note", "", "remarks")
	cmd.Flags().StringArrayVar(&officers, "officer", nil, "participating officer, by name or ID (repeatable)")
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	return cmd
}

func addActivity(cmd *cobra.Command, a finding.Activity, officers []string, format string) error {
	s, err := dbOpen(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, ref := range officers {
		o, err := resolveOfficer(cmd.Context(), s, ref)
		if err != nil {
			return err
		}
		a.Participants = append(a.Participants, o.ID)
	}
	got, err := s.CreateActivity(cmd.Context(), a)
	if err != nil {
		return cliFail(err)
	}
	if format == "json" {
		return cliJSON(cmd.OutOrStdout(), got)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "已记录体验活动 #%d：%s %s%s体验，参与 %d 人\n", got.ID, finding.FormatDate(got.Date),
		got.Mode.Label(), got.Form.Label(), len(got.Participants))
	return nil
}

func newActivitiesListCommand() *cobra.Command {
	var from, to, officer, format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List experience activities by day",
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
			var filter finding.ActivityFilter
			if filter.From, err = optionalDate(from); err != nil {
				return cliFail(err)
			}
			if filter.To, err = optionalDate(to); err != nil {
				return cliFail(err)
			}
			if officer != "" {
				o, err := resolveOfficer(cmd.Context(), s, officer)
				if err != nil {
					return err
				}
				filter.OfficerID = o.ID
			}
			acts, err := s.Activities(cmd.Context(), filter)
			if err != nil {
				return cliFail(err)
			}
			if format == "json" {
				return cliJSON(cmd.OutOrStdout(), append([]finding.Activity{}, acts...))
			}
			printActivities(cmd, acts)
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "first day, 2026-01-01")
	cmd.Flags().StringVar(&to, "to", "", "last day, 2026-03-31")
	cmd.Flags().StringVar(&officer, "officer", "", "only activities this officer took part in (name or ID)")
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	return cmd
}

func printActivities(cmd *cobra.Command, acts []finding.Activity) {
	if len(acts) == 0 {
		fmt.Fprintln(cmd.OutOrStdout(), "没有体验活动（tiyan activities add --date 日期 --mode 集中|个人 --form 线上|线下|民意调查）")
		return
	}
	rows := make([][]string, len(acts))
	for i, a := range acts {
		rows[i] = []string{strconv.FormatInt(a.ID, 10), finding.FormatDate(a.Date), a.Mode.Label(), a.Form.Label(),
			cliClip(a.Title, 30), strings.Join(a.ParticipantNames, "、")}
	}
	cliTable(cmd.OutOrStdout(), []string{"编号", "日期", "方式", "形式", "主题", "参与体验官"}, rows)
}

// optionalDate reads a date flag; "" is the zero time.
func optionalDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return finding.ParseDate(s)
}

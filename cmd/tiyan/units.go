package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"tiyan/internal/finding"
)

func newUnitsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "units",
		Short: "Window units findings are fed back to (窗口单位)",
	}
	cmd.SetFlagErrorFunc(cliFlagError)
	cmd.AddCommand(newUnitsAddCommand(), newUnitsListCommand())
	return cmd
}

func newUnitsAddCommand() *cobra.Command {
	var u finding.Unit
	var format string
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a unit, named as the portal shows it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cliFormat(format); err != nil {
				return err
			}
			s, err := dbOpen(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			u.Name = strings.TrimSpace(args[0])
			u.Jurisdiction = strings.TrimSpace(u.Jurisdiction)
			got, err := s.CreateUnit(cmd.Context(), u)
			if err != nil {
				return cliFail(err)
			}
			if format == "json" {
				return cliJSON(cmd.OutOrStdout(), got)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已添加单位 #%d：%s\n", got.ID, got.Name)
			return nil
		},
	}
	cmd.Flags().StringVar(&u.Jurisdiction, "jurisdiction", "", "zone code, 6 or 12 digits (六安市 341500, 金安区 341502, …)")
	cmd.Flags().StringVar(&u.SlackChannel, "slack-channel", "", "Slack channel that gets this unit's findings")
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	return cmd
}

func newUnitsListCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the units",
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
			units, err := s.Units(cmd.Context())
			if err != nil {
				return cliFail(err)
			}
			if format == "json" {
				return cliJSON(cmd.OutOrStdout(), append([]finding.Unit{}, units...))
			}
			printUnits(cmd, units)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	return cmd
}

func printUnits(cmd *cobra.Command, units []finding.Unit) {
	if len(units) == 0 {
		fmt.Fprintln(cmd.OutOrStdout(), "还没有单位（tiyan units add 名称 --jurisdiction 代码）")
		return
	}
	rows := make([][]string, len(units))
	for i, u := range units {
		rows[i] = []string{strconv.FormatInt(u.ID, 10), u.Name, zoneLabel(u.Jurisdiction), u.SlackChannel}
	}
	cliTable(cmd.OutOrStdout(), []string{"编号", "单位", "行政区划", "Slack 频道"}, rows)
}

// zoneLabel writes a zone code with its name when known: 金安区 341502.
func zoneLabel(code string) string {
	if name := finding.JurisdictionName(code); name != "" {
		return name + " " + code
	}
	return code
}

// resolveUnit finds a unit by ID or by exact name, as --unit takes it. A number is tried as an
// ID first, then as a name.
func resolveUnit(ctx context.Context, s finding.Store, ref string) (finding.Unit, error) {
	ref = strings.TrimSpace(ref)
	if id, err := strconv.ParseInt(strings.TrimPrefix(ref, "#"), 10, 64); err == nil {
		u, err := s.Unit(ctx, id)
		if finding.ErrorCode(err) != finding.ENOTFOUND {
			return u, cliFail(err)
		}
	}
	u, err := s.UnitByName(ctx, ref)
	return u, cliFail(err)
}

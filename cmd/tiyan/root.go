package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"tiyan/internal/portalsim"
	"tiyan/internal/version"
)

// exitError carries a process exit status chosen by a command (for example 2 for an invalid
// scenario) through cobra to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "tiyan",
		Short: "tiyan 体验官：皖事通办网上服务的自动体验与整改闭环",
		Long: `tiyan is a robot 政务服务体验官 (government service experience officer) for the online
channels of 皖事通办 (PC web and the 皖事通 APP H5 pages). It drives headless Chromium through
service items and scripted scenarios, checks page layout, service-guide (办事指南) accuracy and
channel availability, and files findings into the rectification loop
发现问题 → 反馈问题 → 处理问题 → 评价结果.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().String("database", "", "database: postgres://… or sqlite:PATH, for every command; without it TIYAN_DATABASE_URL, then database: in the --config file (./tiyan.yaml), then sqlite:./data/tiyan.db")
	root.AddCommand(newVersionCommand(), newScenariosCommand(), newRunCommand(), newReplayCommand(), newSweepCommand(), newRulesCommand(), newDemoCommand(), portalsim.NewCommand("portalsim"),
		newFindingsCommand(), newUnitsCommand(), newOfficersCommand(), newActivitiesCommand(), newMigrateCommand(), newReportCommand(),
		newServeCommand(), newWorkerCommand(), newRunsCommand(), newConfigCommand(), newUsersCommand())
	return root
}

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of this build",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), "tiyan", version.String())
			return err
		},
	}
}

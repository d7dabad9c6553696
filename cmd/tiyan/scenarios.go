package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"tiyan/scenarios"
)

func newScenariosCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scenarios",
		Short: "Work with scripted scenarios (场景脚本)",
	}
	cmd.AddCommand(newValidateCommand())
	return cmd
}

func newValidateCommand() *cobra.Command {
	var sitesDir string
	cmd := &cobra.Command{
		Use:   "validate [PATH...]",
		Short: "Check scenario files and folders; list every problem as file:line:col",
		Long: `Parses every scenario under the given files and folders (default: scenarios/), checks
them against the site profiles in --sites, and lists every problem as file:line:col with what
was found and what was expected. Exits 1 when any problem is found.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = defaultScenarioPaths(cmd.ErrOrStderr())
			}
			scs, _, err := loadChecked(cmd.ErrOrStderr(), sitesDir, scenarios.SiteOptions{}, args)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "场景校验通过：共 %d 个场景\n", len(scs))
			return nil
		},
	}
	cmd.Flags().StringVar(&sitesDir, "sites", "scenarios/sites", "folder of site profiles the scenarios refer to")
	return cmd
}

// loadChecked loads scenarios and the site profiles (with opts) and checks them against each
// other. Problems are printed, one per line, and returned as an exitError with status 1 that
// callers may remap. The sites are nil when sitesDir does not exist.
func loadChecked(stderr io.Writer, sitesDir string, opts scenarios.SiteOptions, paths []string) ([]*scenarios.Scenario, map[string]*scenarios.Site, error) {
	scs, err := scenarios.LoadScenarios(paths...)
	var problems []scenarios.Problem
	var perr *scenarios.Error
	switch {
	case errors.As(err, &perr):
		problems = append(problems, perr.Problems...)
	case err != nil:
		return nil, nil, err
	}
	var sites map[string]*scenarios.Site
	if !haveFolder(stderr, sitesDir) {
		fmt.Fprintf(stderr, "提示：没有找到站点配置目录 %s，未检查场景引用的站点（可用 --sites 指定）\n", sitesDir)
	} else {
		sites, err = scenarios.LoadSites(sitesDir, opts)
		if errors.As(err, &perr) {
			problems = append(problems, perr.Problems...)
		} else if err != nil {
			return nil, nil, err
		}
		if err := scenarios.CheckRefs(scs, scenarios.Refs{Sites: sites}); errors.As(err, &perr) {
			problems = append(problems, perr.Problems...)
		}
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(stderr, p.String())
		}
		return scs, sites, &exitError{code: 1, err: fmt.Errorf("场景校验未通过：发现 %d 个问题", len(problems))}
	}
	return scs, sites, nil
}

package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"tiyan/internal/store"
)

func newMigrateCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the database schema (also done on every start)",
		Long: `Applies the embedded schema migrations the database lacks. The database is --database, else
TIYAN_DATABASE_URL, else database: in ./tiyan.yaml: postgres://user:password@host:port/db or
sqlite:PATH; with none of them, the embedded SQLite file ./data/tiyan.db (created with its folder).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cliFormat(format); err != nil {
				return err
			}
			url, err := dbURL(cmd)
			if err != nil {
				return err
			}
			m, err := store.Migrate(cmd.Context(), url)
			if err != nil {
				return cliFail(err)
			}
			if format == "json" {
				if m.Applied == nil {
					m.Applied = []string{}
				}
				return cliJSON(cmd.OutOrStdout(), map[string]any{"driver": m.Driver, "location": m.Location, "applied": m.Applied, "version": m.Version})
			}
			if len(m.Applied) == 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "数据库 %s（%s）已是最新，版本 %d\n", m.Location, m.Driver, m.Version)
				return nil
			}
			fmt.Fprintf(cmd.OutOrStdout(), "数据库 %s（%s）已升级到版本 %d，应用了：%s\n", m.Location, m.Driver, m.Version, strings.Join(m.Applied, "、"))
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	cmd.SetFlagErrorFunc(cliFlagError)
	return cmd
}

package main

import (
	"io"
	"log/slog"
	"os"

	"tiyan/scenarios"
)

// The site profile and scenarios ship inside the binary (package scenarios embeds them): a
// folder flag left at its default reads them when the working directory has no such folder,
// and says so.

// haveFolder says whether a folder of site profiles or scenarios can be read: from disk, or from
// the copies built into the binary, which it notes on stderr.
func haveFolder(stderr io.Writer, dir string) bool {
	if scenarios.UsesShipped(dir) {
		noteShipped(stderr, dir)
		return true
	}
	_, err := os.Stat(dir)
	return err == nil
}

// noteShipped logs that dir is read from the binary, when it is.
func noteShipped(stderr io.Writer, dir string) {
	if !scenarios.UsesShipped(dir) {
		return
	}
	slog.New(slog.NewTextHandler(stderr, nil)).Info("当前目录没有该文件夹，使用程序内置的副本（用 --sites / --scenarios 或 tiyan.yaml 指定其他目录）", "folder", dir)
}

// defaultScenarioPaths is what tiyan scenarios validate checks without arguments: the
// scenarios folder, or the scenarios built into the binary outside a checkout.
func defaultScenarioPaths(stderr io.Writer) []string {
	if _, err := os.Stat("scenarios"); err != nil && scenarios.UsesShipped(scenarios.ShippedScenariosDir) {
		noteShipped(stderr, scenarios.ShippedScenariosDir)
		return []string{scenarios.ShippedScenariosDir}
	}
	return []string{"scenarios"}
}

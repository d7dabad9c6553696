package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeConfigFile(t *testing.T, name, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConfigCheck(t *testing.T) {
	t.Setenv("TIYAN_DATABASE_URL", "")
	out, err := run(t, "config", "check")
	if err != nil || !strings.Contains(out, "tiyan.yaml 不存在，全部使用默认值") || !strings.Contains(out, "全量体验") || !strings.Contains(out, "0 1 * * *") {
		t.Errorf("defaults: %v\n%s", err, out)
	}
	good := writeConfigFile(t, "tiyan.yaml", "concurrency: 3\nschedules:\n  sweep: \"30 2 * * *\"\n  overdue_scan: off\nweb: {base_url: \"https://tiyan.example.gov.cn\"}\n")
	out, err = run(t, "config", "check", "--config", good)
	if err != nil || !strings.Contains(out, "检查通过") || !strings.Contains(out, "30 2 * * *") || !strings.Contains(out, "超期提醒：已关闭") ||
		!strings.Contains(out, "同时体验：3 个页面") || !strings.Contains(out, "https://tiyan.example.gov.cn") {
		t.Errorf("good file: %v\n%s", err, out)
	}
}

func TestConfigCheckReportsLineAndColumn(t *testing.T) {
	bad := writeConfigFile(t, "tiyan.yaml", "schedules:\n  sweep: \"0 1 * *\"\n")
	out, err := run(t, "config", "check", "--config", bad)
	if err == nil || exitCode(err) != 1 || !strings.Contains(out, bad+":2:10: schedules.sweep：cron 表达式") {
		t.Errorf("bad cron: %v\n%s", err, out)
	}
	if _, err := run(t, "config", "check", "--config", filepath.Join(t.TempDir(), "missing.yaml")); err == nil || exitCode(err) != 2 {
		t.Errorf("a missing file named with --config: %v", err)
	}
}

func TestWorkerRefusesSQLite(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "tiyan.db")
	_, err := run(t, "worker", "--database", url)
	if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), "只用于 PostgreSQL") {
		t.Errorf("worker on SQLite: %v", err)
	}
}

package config

import (
	"errors"
	"strings"
	"testing"
)

func noEnv(string) (string, bool) { return "", false }

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestMissingFileGivesDefaults(t *testing.T) {
	cfg, err := Load("testdata/no-such-file.yaml", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.File != "" || cfg.Schedules.Sweep != "0 1 * * *" || cfg.Schedules.OverdueScan != "0 9 * * 1-5" ||
		cfg.Concurrency != 2 || cfg.Site.Name != "wanshitong" || cfg.DatabaseFrom != "default" {
		t.Errorf("defaults = %+v", cfg)
	}
	if cfg.Location == nil || cfg.Location.String() != "Asia/Shanghai" {
		t.Errorf("location = %v", cfg.Location)
	}
	if cfg.Web.URL() != "http://127.0.0.1:8080" {
		t.Errorf("web URL = %q", cfg.Web.URL())
	}
}

func TestExampleFileIsValid(t *testing.T) {
	cfg, err := Load("../../tiyan.example.yaml", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.File == "" || cfg.Slack.Channel("ops") == "" {
		t.Errorf("example not read: %+v", cfg)
	}
}

func TestFileValuesAndEnvironment(t *testing.T) {
	data := `
database: sqlite:/var/lib/tiyan/tiyan.db
site: {name: wanshitong, base_url: "http://127.0.0.1:18090"}
concurrency: 4
schedules:
  sweep: "30 2 * * *"
  overdue_scan: "off"
web: {addr: ":8080"}
slack: {digest: "#tiyan", ops: "#tiyan-ops"}
`
	env := envOf(map[string]string{EnvDatabaseURL: "postgres://u:p@db/tiyan", EnvSlackToken: "xoxb-1", EnvSlackChannel: "#general"})
	cfg, err := Parse("tiyan.yaml", []byte(data), env)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Database != "postgres://u:p@db/tiyan" || cfg.DatabaseFrom != "env" {
		t.Errorf("database %q from %s; the environment should win", cfg.Database, cfg.DatabaseFrom)
	}
	if cfg.Concurrency != 4 || cfg.Schedules.Sweep != "30 2 * * *" || cfg.Schedules.OverdueScan != Off || cfg.Site.BaseURL != "http://127.0.0.1:18090" {
		t.Errorf("file values not taken: %+v", cfg)
	}
	if cfg.Site.SitesDir != "scenarios/sites" {
		t.Errorf("a key left out should keep its default, sites_dir = %q", cfg.Site.SitesDir)
	}
	if cfg.Slack.Token != "xoxb-1" || cfg.Slack.Channel("digest") != "#tiyan" || cfg.Slack.Channel("overdue") != "#general" {
		t.Errorf("slack = %+v", cfg.Slack)
	}
	if cfg.Web.URL() != "http://localhost:8080" {
		t.Errorf("web URL = %q", cfg.Web.URL())
	}
}

// TestProblemsHaveLineAndColumn checks that every problem of a file is reported, in file order,
// at the place it was written.
func TestProblemsHaveLineAndColumn(t *testing.T) {
	data := `concurency: 3
schedules:
  sweep: "0 1 * *"
  overdue_scan: "0 9 * * 1-5"
site:
  name: [a, b]
web:
  addr: 8080
slack:
  token: xoxb-secret
`
	_, err := Parse("tiyan.yaml", []byte(data), noEnv)
	var cerr *Error
	if !errors.As(err, &cerr) {
		t.Fatalf("err = %v, want *Error", err)
	}
	want := []string{
		"tiyan.yaml:1:1: 未知的配置项 concurency",
		`tiyan.yaml:3:10: schedules.sweep：cron 表达式 "0 1 * *" 无效`,
		"tiyan.yaml:6:9: site.name 应为一个字符串",
		"tiyan.yaml:8:9: web.addr 应为 主机:端口",
		"tiyan.yaml:10:3: slack.token 不能写在配置文件里",
	}
	if len(cerr.Problems) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%v", len(cerr.Problems), len(want), err)
	}
	for i, p := range cerr.Problems {
		if !strings.HasPrefix(p.String(), want[i]) {
			t.Errorf("problem %d = %q\nwant prefix %q", i, p.String(), want[i])
		}
	}
	if !strings.Contains(cerr.Problems[0].Msg, "是不是想写 concurrency") {
		t.Errorf("no suggestion for a typo: %s", cerr.Problems[0].Msg)
	}
}

func TestTrustedProxies(t *testing.T) {
	cfg, err := Parse("tiyan.yaml", []byte("web:\n  trusted_proxies:\n    - 10.0.0.0/8\n    - 192.0.2.7/32\n"), noEnv)
	if err != nil || len(cfg.Web.TrustedProxies) != 2 || cfg.Web.TrustedProxies[1] != "192.0.2.7/32" {
		t.Errorf("trusted proxies = %v, %v", cfg.Web.TrustedProxies, err)
	}
}

func TestBadValues(t *testing.T) {
	for _, c := range []struct{ name, data, want string }{
		{"cron with six fields", "schedules:\n  overdue_scan: \"0 0 9 * * 1-5\"\n", "tiyan.yaml:2:17: schedules.overdue_scan：cron 表达式"},
		{"concurrency out of range", "concurrency: 40\n", "tiyan.yaml:1:14: concurrency 应为 1 到 16"},
		{"concurrency not a number", "concurrency: lots\n", "tiyan.yaml:1:14: concurrency 应为整数"},
		{"unknown zone", "time_zone: Mars/Olympus\n", "tiyan.yaml:1:12: time_zone \"Mars/Olympus\""},
		{"relative web base URL", "web: {base_url: /tiyan}\n", "tiyan.yaml:1:17: web.base_url 应为"},
		{"trusted proxy not a CIDR", "web:\n  trusted_proxies: [10.0.0.0/8, proxy.local]\n", "tiyan.yaml:2:33: web.trusted_proxies 的每一项应为 CIDR"},
		{"trusted proxies not a list", "web: {trusted_proxies: 10.0.0.0/8}\n", "tiyan.yaml:1:24: web.trusted_proxies 应为列表"},
		{"database scheme", "database: mysql://x\n", "tiyan.yaml:1:11: 数据库地址无法识别（来自配置文件）"},
		{"top level list", "- a\n", "tiyan.yaml:1:1: 配置文件应为键值对"},
		{"duplicate key", "concurrency: 2\nconcurrency: 3\n", "tiyan.yaml:2:1: concurrency 重复出现"},
		{"syntax", "site:\n  name: [\n", "tiyan.yaml:2: 不是有效的 YAML"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("tiyan.yaml", []byte(c.data), noEnv)
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("err = %v\nwant prefix %q", err, c.want)
			}
		})
	}
}

func TestBadDatabaseFromEnvironmentHasNoPlace(t *testing.T) {
	_, err := Parse("tiyan.yaml", []byte("concurrency: 2\n"), envOf(map[string]string{EnvDatabaseURL: "mysql://x"}))
	if err == nil || !strings.HasPrefix(err.Error(), "tiyan.yaml: 数据库地址无法识别（来自环境变量 TIYAN_DATABASE_URL）") {
		t.Errorf("err = %v", err)
	}
}

func TestEmptyFileIsDefaults(t *testing.T) {
	for _, data := range []string{"", "# nothing yet\n", "~\n"} {
		if _, err := Parse("tiyan.yaml", []byte(data), noEnv); err != nil {
			t.Errorf("%q: %v", data, err)
		}
	}
}

package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strings"
	"time"
)

// Environment variables read by Load. They win over the file: secrets stay out of it.
const (
	EnvDatabaseURL  = "TIYAN_DATABASE_URL"
	EnvSlackToken   = "TIYAN_SLACK_TOKEN"
	EnvSlackChannel = "TIYAN_SLACK_CHANNEL"
	EnvSlackAPIURL  = "TIYAN_SLACK_API_URL"
)

// DefaultFile is the configuration file read when none is named.
const DefaultFile = "tiyan.yaml"

// Off, as a schedule, turns the scheduled job off.
const Off = "off"

// Config is tiyan's configuration. Zero values in the file take the defaults of Default.
type Config struct {
	// Database is where findings and jobs live: postgres://… or sqlite:PATH. Default "", the
	// embedded SQLite file data/tiyan.db. TIYAN_DATABASE_URL wins over the file.
	Database string `yaml:"database"`
	// Site is what the sweep probes.
	Site Site `yaml:"site"`
	// Scenarios is the folder of scripted scenarios run on their own schedule:.
	// Default scenarios/wanshitong.
	Scenarios string `yaml:"scenarios"`
	// Concurrency is how many item-channels one process probes at once, each in a tab of its
	// Chromium. Default 2; 1 to 16.
	Concurrency int `yaml:"concurrency"`
	// TimeZone is the zone schedules are read in. Default Asia/Shanghai.
	TimeZone string `yaml:"time_zone"`
	// Schedules are the cron expressions of the scheduled jobs.
	Schedules Schedules `yaml:"schedules"`
	// Web is where tiyan serve listens and people reach it.
	Web Web `yaml:"web"`
	// Metrics is where tiyan serve and tiyan worker serve Prometheus metrics, never on Web.Addr.
	Metrics Metrics `yaml:"metrics"`
	// Slack says which channel gets which message; credentials come from the environment.
	Slack Slack `yaml:"slack"`

	// File is the file read; "" when there was none and everything is a default.
	File string `yaml:"-"`
	// Location is TimeZone, loaded.
	Location *time.Location `yaml:"-"`
	// DatabaseFrom says where Database came from: "env", "file" or "default".
	DatabaseFrom string `yaml:"-"`
}

// Site is the portal a sweep probes.
type Site struct {
	// Name is the site profile, a file NAME.yaml in SitesDir. Default wanshitong.
	Name string `yaml:"name"`
	// SitesDir is the folder of site profiles. Default scenarios/sites.
	SitesDir string `yaml:"sites_dir"`
	// BaseURL replaces the profile's base URL (a simulator, a test portal). Default: the profile's.
	BaseURL string `yaml:"base_url"`
	// Catalogue is the authoritative 实施清单 guides are compared with: a JSON, XLSX or CSV
	// file or URL (CSV: items.csv,materials.csv, or items.csv beside items.materials.csv).
	// Default: none, the comparison is skipped.
	Catalogue string `yaml:"catalogue"`
	// CatalogueHeaders gives the columns of an XLSX or CSV catalogue more names: a standard
	// header (CatalogueFields) → the name, or list of names, the export uses for it.
	// Default: the standard headers and their common aliases only.
	CatalogueHeaders CatalogueHeaders `yaml:"catalogue_headers"`
	// Zone is the zone code of the items listed. Default: the profile's.
	Zone string `yaml:"zone"`
}

// Schedules are 5-field cron expressions (minute hour day month weekday) in TimeZone; "off"
// turns a job off. Scenarios carry their own schedule: in their files.
type Schedules struct {
	// Sweep probes every item on every channel. Default "0 1 * * *", 01:00 every night.
	Sweep string `yaml:"sweep"`
	// OverdueScan reminds units of problems past their deadline. Default "0 9 * * 1-5".
	OverdueScan string `yaml:"overdue_scan"`
}

// Web is the web UI of tiyan serve.
type Web struct {
	// Addr is HOST:PORT to listen on. Default 127.0.0.1:8080.
	Addr string `yaml:"addr"`
	// BaseURL is where people reach the UI, for links in reports and Slack messages; its
	// path prefixes the UI's links (a reverse proxy). Default "": http://Addr, from the root.
	BaseURL string `yaml:"base_url"`
	// TrustedProxies are the reverse proxies in front of tiyan, as CIDRs (10.0.0.0/8,
	// 192.0.2.7/32): from a request through one of them, the client's address for sign-in
	// limits is the rightmost address of X-Forwarded-For that is not itself a trusted proxy.
	// Empty (the default): X-Forwarded-For is ignored and the peer's address counts.
	TrustedProxies []string `yaml:"trusted_proxies"`
}

// Metrics is the Prometheus endpoint of tiyan serve and tiyan worker.
type Metrics struct {
	// Addr is HOST:PORT of /metrics; "off" serves none. Default 127.0.0.1:9464, on this machine
	// only: the web address people reach never serves it.
	Addr string `yaml:"addr"`
}

// Slack names a channel per purpose. A purpose without one goes to DefaultChannel.
type Slack struct {
	// Digest gets each sweep's and run's digest.
	Digest string `yaml:"digest"`
	// Overdue gets overdue reminders of units without a channel of their own.
	Overdue string `yaml:"overdue"`
	// Ops gets prober failures: tiyan itself broke, not the portal.
	Ops string `yaml:"ops"`

	// Token is TIYAN_SLACK_TOKEN; "" means Slack is off.
	Token string `yaml:"-"`
	// DefaultChannel is TIYAN_SLACK_CHANNEL.
	DefaultChannel string `yaml:"-"`
	// APIURL is TIYAN_SLACK_API_URL (tests, proxies); "" is Slack's own.
	APIURL string `yaml:"-"`
}

// Default returns the configuration without a file or environment: the one place defaults live.
func Default() Config {
	return Config{
		DatabaseFrom: "default",
		Site:         Site{Name: "wanshitong", SitesDir: "scenarios/sites"},
		Scenarios:    "scenarios/wanshitong",
		Concurrency:  2,
		TimeZone:     "Asia/Shanghai",
		Schedules:    Schedules{Sweep: "0 1 * * *", OverdueScan: "0 9 * * 1-5"},
		Web:          Web{Addr: "127.0.0.1:8080"},
		Metrics:      Metrics{Addr: "127.0.0.1:9464"},
	}
}

// Load reads the file at path, applies the defaults and the environment (env is os.LookupEnv
// outside tests) and validates the result. A file that does not exist gives the defaults, with
// File left empty: callers that were told a file explicitly should check it.
func Load(path string, env func(string) (string, bool)) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Parse("", nil, env)
	}
	if err != nil {
		return nil, fmt.Errorf("读取配置文件 %s：%w", path, err)
	}
	return Parse(path, data, env)
}

// Parse reads a configuration from data, named file in problems ("" with nil data: no file).
func Parse(file string, data []byte, env func(string) (string, bool)) (*Config, error) {
	cfg := Default()
	cfg.File = file
	d := &decoder{file: file, pos: map[string]pos{}}
	if data != nil {
		d.decodeFile(data, &cfg)
	}
	if d.pos["database"] != (pos{}) {
		cfg.DatabaseFrom = "file"
	}
	cfg.applyEnv(env)
	d.validate(&cfg)
	if err := errorOf(d.probs); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// applyEnv takes secrets and the database from the environment.
func (c *Config) applyEnv(env func(string) (string, bool)) {
	if env == nil {
		return
	}
	if v, ok := env(EnvDatabaseURL); ok && v != "" {
		c.Database, c.DatabaseFrom = v, "env"
	}
	c.Slack.Token, _ = env(EnvSlackToken)
	c.Slack.DefaultChannel, _ = env(EnvSlackChannel)
	c.Slack.APIURL, _ = env(EnvSlackAPIURL)
}

// URL is where people reach the web UI: BaseURL, or else http://Addr (localhost when Addr
// listens on every interface).
func (w Web) URL() string {
	if w.BaseURL != "" {
		return strings.TrimRight(w.BaseURL, "/")
	}
	host, port, _ := net.SplitHostPort(w.Addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Channel returns the Slack channel for a purpose ("digest", "overdue" or "ops"), falling back
// to the default channel.
func (s Slack) Channel(purpose string) string {
	ch := map[string]string{"digest": s.Digest, "overdue": s.Overdue, "ops": s.Ops}[purpose]
	if ch == "" {
		return s.DefaultChannel
	}
	return ch
}

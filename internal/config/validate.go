package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// validate checks the configuration after defaults and environment, at the place each value
// was written (no place for defaults and environment values).
func (d *decoder) validate(c *Config) {
	if c.Concurrency < 1 || c.Concurrency > 16 {
		d.at(d.pos["concurrency"], "concurrency 应为 1 到 16，写的是 %d", c.Concurrency)
	}
	d.checkDatabase(c)
	d.checkZone(c)
	for _, s := range []struct{ key, expr string }{{"schedules.sweep", c.Schedules.Sweep}, {"schedules.overdue_scan", c.Schedules.OverdueScan}} {
		if err := CheckCron(s.expr); err != nil {
			d.at(d.pos[s.key], "%s：%v", s.key, err)
		}
	}
	d.checkAddr("web.addr", c.Web.Addr, false)
	d.checkAddr("metrics.addr", c.Metrics.Addr, true)
	if c.Web.BaseURL != "" {
		d.checkURL("web.base_url", c.Web.BaseURL)
	}
	for i, cidr := range c.Web.TrustedProxies {
		if _, err := netip.ParsePrefix(cidr); err != nil {
			d.at(d.pos[fmt.Sprintf("web.trusted_proxies[%d]", i)], "web.trusted_proxies 的每一项应为 CIDR 地址段（如 10.0.0.0/8 或 192.0.2.7/32），写的是 %q", cidr)
		}
	}
	if c.Site.BaseURL != "" {
		d.checkURL("site.base_url", c.Site.BaseURL)
	}
	if c.Site.Name == "" || strings.ContainsAny(c.Site.Name, `/\`) {
		d.at(d.pos["site.name"], "site.name 应为站点配置的名称（%s 中的文件名，不含 .yaml），写的是 %q", c.Site.SitesDir, c.Site.Name)
	}
}

// CheckCron says what is wrong with a schedule: a 5-field cron expression read by robfig/cron's
// standard parser, or "off".
func CheckCron(expr string) error {
	if expr == Off {
		return nil
	}
	if _, err := cron.ParseStandard(expr); err != nil {
		return fmt.Errorf("cron 表达式 %q 无效（%v）：应为 5 个字段“分 时 日 月 周”，如 \"0 1 * * *\" 表示每天 1:00；写 off 关闭", expr, err)
	}
	return nil
}

func (d *decoder) checkDatabase(c *Config) {
	u := c.Database
	ok := u == "" || strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://") ||
		(strings.HasPrefix(u, "sqlite:") && strings.TrimPrefix(strings.TrimPrefix(u, "sqlite:"), "//") != "")
	if ok {
		return
	}
	where := d.pos["database"]
	if c.DatabaseFrom == "env" {
		where = pos{}
	}
	d.at(where, "数据库地址无法识别（来自%s）：应为 postgres://用户:密码@主机:端口/库名 或 sqlite:文件路径", fromWord(c.DatabaseFrom))
}

func (d *decoder) checkZone(c *Config) {
	loc, err := LoadLocation(c.TimeZone)
	if err != nil {
		d.at(d.pos["time_zone"], "time_zone %q 不是已知的时区（应如 Asia/Shanghai）：%v", c.TimeZone, err)
		return
	}
	c.Location = loc
}

// LoadLocation loads a time zone. Asia/Shanghai is UTC+8 all year and is built in, so that a
// machine without tzdata still schedules in it.
func LoadLocation(name string) (*time.Location, error) {
	if name == "Asia/Shanghai" {
		return time.FixedZone(name, 8*60*60), nil
	}
	return time.LoadLocation(name)
}

func (d *decoder) checkAddr(key, addr string, offOK bool) {
	if offOK && addr == Off {
		return
	}
	if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
		d.at(d.pos[key], "%s 应为 主机:端口（如 127.0.0.1:8080 或 :8080），写的是 %q", key, addr)
	}
}

func (d *decoder) checkURL(key, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		d.at(d.pos[key], "%s 应为 http:// 或 https:// 开头的完整地址，写的是 %q", key, raw)
	}
}

func fromWord(from string) string {
	switch from {
	case "env":
		return "环境变量 " + EnvDatabaseURL
	case "file":
		return "配置文件"
	}
	return "默认值"
}

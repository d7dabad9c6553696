package probes

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"regexp"
	"strings"
	"time"
)

func init() { register("channel", checkChannel) }

// Attempts is how many loads a page gets before it is reported unreachable: the first and two
// more from fresh tabs (RULES.md CHANNEL-UNREACHABLE).
const Attempts = 3

var (
	errorPhrases  = regexp.MustCompile(`系统维护|暂停服务|服务繁忙|系统繁忙|页面不存在|404 Not Found|502 Bad Gateway|503 Service|Internal Server Error|访问出错`)
	parityPhrases = regexp.MustCompile(`暂未(在|于)?.{0,12}上线|未在.{0,12}(APP|App|app|电脑端|网站).{0,4}上线|暂不支持.{0,8}(APP|App|手机|移动端|电脑端).{0,4}办理`)
)

// minMeaningfulText is the least text a real page shows; less is a blank page.
const minMeaningfulText = 20

// shortPage is the most text an error notice has; an error phrase on a longer page is content.
const shortPage = 600

// checkChannel is the availability family on a guide page: unreachable, HTTP errors, error pages,
// the app notice of an item not offered on this channel, and slowness.
func checkChannel(_ context.Context, p *Page) ([]Observation, error) {
	obs := Unusable(p)
	if len(obs) > 0 || p.Load == nil {
		return obs, nil
	}
	if p.Load.Duration > p.Thresholds.Slow {
		obs = append(obs, Observation{Rule: "CHANNEL-SLOW", Locator: "page",
			Title:    fmt.Sprintf("页面加载用时 %.1f 秒", p.Load.Duration.Seconds()),
			Detail:   fmt.Sprintf("办事指南页面加载用时 %.1f 秒，超过 %.0f 秒。页面应尽快打开，避免群众久等。", p.Load.Duration.Seconds(), p.Thresholds.Slow.Seconds()),
			Measured: map[string]any{"load_ms": p.Load.Duration.Milliseconds(), "limit_ms": p.Thresholds.Slow.Milliseconds()}})
	}
	return obs, nil
}

// Unusable reports why the loaded page is not a usable guide page: unreachable (after every
// attempt), an HTTP error, an error or blank page, or the notice of an item this channel does not
// offer. Nothing else is checked on such a page. A page that failed to load but has attempts
// left gives no observation: the caller tries again first.
func Unusable(p *Page) []Observation {
	l := p.Load
	switch {
	case l == nil:
		return nil
	case l.Err != nil && l.Status == 0:
		if p.Attempts < Attempts {
			return nil
		}
		return []Observation{{Rule: "CHANNEL-UNREACHABLE", Locator: "page",
			Title:    "办事指南页面无法打开",
			Detail:   fmt.Sprintf("办事指南页面连续 %d 次（均从新标签页）未能在 %.0f 秒内打开：%v。群众无法查看办事指南（%s：页面无法访问）。", p.Attempts, p.Thresholds.Unreachable.Seconds(), l.Err, basis19),
			Measured: map[string]any{"attempts": p.Attempts, "limit_ms": p.Thresholds.Unreachable.Milliseconds(), "error": l.Err.Error()}}}
	case l.Status >= 400:
		return []Observation{httpError("办事指南页面", p.URL, l.Status)}
	}
	g := p.Guide
	if g == nil {
		return nil
	}
	if o, ok := errorPage(g); ok {
		return []Observation{o}
	}
	if parityPhrases.MatchString(g.Text) && g.TextLen < shortPage {
		return []Observation{{Rule: "CHANNEL-PARITY", Locator: "page",
			Title:    fmt.Sprintf("该事项在%s未提供", channelName(p)),
			Detail:   fmt.Sprintf("该事项在另一端提供，但%s页面提示“%s”。皖事通办电脑端与皖事通APP应同步提供服务。", channelName(p), excerpt(g.Text, parityPhrases)),
			Measured: map[string]any{"notice": excerpt(g.Text, parityPhrases)}}}
	}
	return nil
}

func channelName(p *Page) string {
	if p.Channel == "h5" {
		return "皖事通APP"
	}
	return "电脑端"
}

func httpError(what, url string, status int) Observation {
	return Observation{Rule: "CHANNEL-HTTP-ERROR", Locator: "status:" + what, URL: url,
		Title:    fmt.Sprintf("%s返回 HTTP %d", what, status),
		Detail:   fmt.Sprintf("%s（%s）返回 HTTP %d，群众无法正常打开（%s：链接无法打开）。", what, url, status, basis19),
		Measured: map[string]any{"status": status},
		Requests: []Request{{URL: url, Type: "Document", Status: status}}}
}

func errorPage(g *Guide) (Observation, bool) {
	if g.TextLen < minMeaningfulText {
		return Observation{Rule: "CHANNEL-ERROR-PAGE", Locator: "page", Title: "页面空白，没有有效内容",
			Detail:   fmt.Sprintf("页面正常返回，但只显示 %d 个字，没有办事指南内容（%s）。", g.TextLen, basis19),
			Measured: map[string]any{"text_length": g.TextLen}}, true
	}
	if errorPhrases.MatchString(g.Text) && (g.TextLen < shortPage || errorPhrases.MatchString(g.Title)) {
		phrase := excerpt(g.Text, errorPhrases)
		return Observation{Rule: "CHANNEL-ERROR-PAGE", Locator: "page", Title: "页面显示“" + errorPhrases.FindString(g.Text) + "”",
			Detail:   fmt.Sprintf("页面正常返回，但显示“%s”，群众无法查看办事指南或办理（%s）。", phrase, basis19),
			Measured: map[string]any{"notice": phrase}}, true
	}
	return Observation{}, false
}

// excerpt is the sentence of text around the first match of re.
func excerpt(text string, re *regexp.Regexp) string {
	loc := re.FindStringIndex(text)
	if loc == nil {
		return ""
	}
	start := strings.LastIndexAny(text[:loc[0]], "。！\n") + 1
	end := strings.IndexAny(text[loc[1]:], "。！\n")
	if end < 0 {
		end = len(text) - loc[1]
	}
	s := strings.TrimSpace(text[start : loc[1]+end])
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80]) + "…"
	}
	return s
}

// CheckTLS checks the certificate of an https host once: invalid (blocker) or expiring within
// th.CertExpiryDays (major). An error means tiyan could not connect at all, which is the
// business of CHANNEL-UNREACHABLE, not of this rule.
func CheckTLS(ctx context.Context, host string, th Thresholds, roots *tls.Config, now time.Time) ([]Observation, error) {
	th = th.WithDefaults()
	if !strings.Contains(host, ":") {
		host += ":443"
	}
	cfg := &tls.Config{}
	if roots != nil {
		cfg = roots.Clone()
	}
	name, _, _ := net.SplitHostPort(host)
	cfg.ServerName = name
	d := tls.Dialer{Config: cfg, NetDialer: &net.Dialer{Timeout: th.Unreachable}}
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		var insecure tls.Dialer = tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true, ServerName: name}, NetDialer: &net.Dialer{Timeout: th.Unreachable}}
		if c2, err2 := insecure.DialContext(ctx, "tcp", host); err2 == nil {
			c2.Close()
			return []Observation{{Rule: "CHANNEL-TLS", Severity: Blocker, Locator: "host:" + name,
				Title:    "网站 HTTPS 证书无效",
				Detail:   fmt.Sprintf("%s 的 HTTPS 证书校验失败（%v），浏览器会提示“不安全”，群众无法放心访问（%s）。应更换有效证书。", name, err, basis19),
				Measured: map[string]any{"host": name, "error": err.Error()}}}, nil
		}
		return nil, fmt.Errorf("connect to %s: %w", host, err)
	}
	defer conn.Close()
	certs := conn.(*tls.Conn).ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return nil, nil
	}
	left := certs[0].NotAfter.Sub(now)
	if left > time.Duration(th.CertExpiryDays)*24*time.Hour {
		return nil, nil
	}
	days := int(left.Hours() / 24)
	return []Observation{{Rule: "CHANNEL-TLS", Locator: "host:" + name,
		Title:    fmt.Sprintf("网站 HTTPS 证书 %d 天后到期", days),
		Detail:   fmt.Sprintf("%s 的 HTTPS 证书将于 %s 到期（剩余 %d 天，少于 %d 天）。到期后网站将无法安全访问，应及时续期。", name, certs[0].NotAfter.Format("2006-01-02"), days, th.CertExpiryDays),
		Measured: map[string]any{"host": name, "not_after": certs[0].NotAfter, "days_left": days}}}, nil
}

// AvailabilityWeek is CHANNEL-AVAILABILITY-WEEK for one item-channel, from the probes of the
// last th.AvailabilityWindow: total probes and how many could not open a usable guide.
func AvailabilityWeek(total, failed int, th Thresholds) []Observation {
	th = th.WithDefaults()
	if total < th.AvailabilityProbes || float64(failed) < th.AvailabilityShare*float64(total) {
		return nil
	}
	days := th.AvailabilityWindow.Hours() / 24
	share := float64(failed) / float64(total)
	return []Observation{{Rule: "CHANNEL-AVAILABILITY-WEEK", Locator: "availability",
		Title:    fmt.Sprintf("近%.0f天可用率 %.1f%%", days, 100*(1-share)),
		Detail:   fmt.Sprintf("近%.0f天对该事项页面的 %d 次探测中有 %d 次无法正常打开（失败比例 %.1f%%，达到 %.0f%%）。依据%s，失败比例达到 5%% 即视为不可用，应排查服务稳定性。", days, total, failed, 100*share, 100*th.AvailabilityShare, basis19),
		Measured: map[string]any{"probes": total, "failed": failed, "failed_share": share}}}
}

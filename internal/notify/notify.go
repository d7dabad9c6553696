package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"tiyan/internal/finding"
)

// Config configures a Notifier. Zero values are the defaults; Outbox is required.
type Config struct {
	// Outbox keeps messages until Slack accepts them: the store.
	Outbox finding.OutboxStore
	// Token is the Slack bot token (TIYAN_SLACK_TOKEN). "" turns Slack off: Notify and
	// Enqueue log the message and keep nothing, Deliver sends nothing.
	Token string
	// APIURL is Slack's Web API address (TIYAN_SLACK_API_URL), for tests and proxies; "" is
	// Slack's own. It ends in a slash, as slack.OptionAPIURL wants; one is added if missing.
	APIURL string
	// DefaultChannel gets every message whose kind has no channel of its own
	// (TIYAN_SLACK_CHANNEL).
	DefaultChannel string
	// DigestChannel, OverdueChannel and OpsChannel get digests, overdue reminders of units
	// without a channel of their own, and prober failures. "" is DefaultChannel.
	DigestChannel, OverdueChannel, OpsChannel string
	// BaseURL is where people reach the web UI (tiyan.yaml web.base_url), for links to
	// findings and runs. "" leaves messages without links.
	BaseURL string
	// HTTPClient talks to Slack. Nil is a client with a 30-second timeout.
	HTTPClient *http.Client
	// Now is the clock of attempts, leases and backoff. Nil is time.Now.
	Now func() time.Time
	// Logger receives delivery failures and, with Slack off, the messages. Nil discards.
	Logger *slog.Logger
	// Lease is how long a deliverer holds a message it is sending before another may take it
	// (because the first one died). A request to Slack is given at most half of it. 0 is 2
	// minutes.
	Lease time.Duration
	// MinBackoff and MaxBackoff bound the wait after a failed attempt, which doubles with
	// every attempt. 0 is 30 seconds and 30 minutes.
	MinBackoff, MaxBackoff time.Duration
	// Rand returns a number in [0, 1) for jitter. Nil is math/rand/v2's.
	Rand func() float64
	// MaxAttempts is how many attempts a message gets when Slack refuses it for good (an
	// unknown channel, a bot not in it, a revoked token): after the last it is marked failed
	// with Slack's reason and logged, instead of being retried forever. Outages (network, 5xx,
	// rate limits) never count against it. 0 is 8, about an hour of backoff.
	MaxAttempts int
	// KeepFor is how long delivered and failed messages stay in the outbox before Run prunes
	// them. 0 is 30 days.
	KeepFor time.Duration
}

// Notifier puts messages into the outbox and delivers them to Slack.
type Notifier struct {
	out      finding.OutboxStore
	slack    *slack.Client // nil when Slack is off
	channels map[Kind]string
	base     string
	now      func() time.Time
	log      *slog.Logger
	lease    time.Duration
	backoff  backoff
	attempts int           // MaxAttempts
	keep     time.Duration // KeepFor
}

// New makes a Notifier. With a token it needs a channel for every kind: DefaultChannel, or
// all three of DigestChannel, OverdueChannel and OpsChannel.
func New(cfg Config) (*Notifier, error) {
	cfg = cfg.withDefaults()
	if cfg.Outbox == nil {
		return nil, errors.New("notify: Config.Outbox is required")
	}
	n := &Notifier{out: cfg.Outbox, base: baseURL(cfg.BaseURL), now: cfg.Now, log: cfg.Logger, lease: cfg.Lease,
		backoff: backoff{min: cfg.MinBackoff, max: cfg.MaxBackoff, rand: cfg.Rand}, attempts: cfg.MaxAttempts, keep: cfg.KeepFor,
		channels: map[Kind]string{KindDigest: cfg.DigestChannel, KindOverdue: cfg.OverdueChannel, KindOps: cfg.OpsChannel}}
	for k, ch := range n.channels {
		if ch == "" {
			n.channels[k] = cfg.DefaultChannel
		}
	}
	if cfg.Token == "" {
		return n, nil
	}
	for _, k := range []Kind{KindDigest, KindOverdue, KindOps} {
		if n.channels[k] == "" {
			return nil, finding.Errorf(finding.EINVALID, "Slack 已启用（TIYAN_SLACK_TOKEN），但%s消息没有频道：请设置默认频道 TIYAN_SLACK_CHANNEL，或在 tiyan.yaml 的 slack 下配置 %s", k.label(), k)
		}
	}
	opts := []slack.Option{slack.OptionHTTPClient(cfg.HTTPClient)}
	if cfg.APIURL != "" {
		opts = append(opts, slack.OptionAPIURL(strings.TrimSuffix(cfg.APIURL, "/")+"/"))
	}
	n.slack = slack.New(cfg.Token, opts...)
	return n, nil
}

func (c Config) withDefaults() Config {
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Lease <= 0 {
		c.Lease = 2 * time.Minute
	}
	if c.MinBackoff <= 0 {
		c.MinBackoff = 30 * time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 30 * time.Minute
	}
	if c.Rand == nil {
		c.Rand = rand.Float64
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	if c.KeepFor <= 0 {
		c.KeepFor = 30 * 24 * time.Hour
	}
	return c
}

// baseURL is the web UI's address for links: no trailing slash, and no query or fragment,
// which links must not carry.
func baseURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	u.RawQuery, u.Fragment = "", ""
	return strings.TrimSuffix(u.String(), "/")
}

// Enabled reports whether Slack is on (a token was given).
func (n *Notifier) Enabled() bool { return n.slack != nil }

// Enqueue puts m into the outbox, scrubbed and laid out for Slack, unless a message with its key
// is there already; queued says whether it was new. It sends nothing: Deliver does. With Slack
// off it only logs m.
func (n *Notifier) Enqueue(ctx context.Context, m Message) (queued bool, err error) {
	if err := m.validate(); err != nil {
		return false, err
	}
	if !n.Enabled() {
		n.log.InfoContext(ctx, "Slack 未启用，通知未发送", "kind", m.Kind, "key", m.Key, "title", scrub(m.Title))
		return false, nil
	}
	r, err := n.render(m)
	if err != nil {
		return false, err
	}
	now := n.now()
	stored, created, err := n.out.EnqueueOutbox(ctx, finding.OutboxMessage{Kind: string(m.Kind), Channel: n.channel(m),
		Key: m.Key, Text: r.text, Blocks: r.blocks, Created: now, NextAttempt: now})
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", m.Key, err)
	}
	if !created {
		n.log.DebugContext(ctx, "notification already queued", "key", m.Key, "id", stored.ID)
	}
	return created, nil
}

// Notify is Enqueue for callers that only need to know the message is safely kept: the
// overdue scan's Notifier interface.
func (n *Notifier) Notify(ctx context.Context, m Message) error {
	_, err := n.Enqueue(ctx, m)
	return err
}

// channel is where m goes: its own channel, else the one configured for its kind.
func (n *Notifier) channel(m Message) string {
	if ch := strings.TrimSpace(m.Channel); ch != "" {
		return ch
	}
	return n.channels[m.Kind]
}

// RunSource reads a run and the findings sighted in it; finding.Store is one.
type RunSource interface {
	Run(ctx context.Context, id string) (finding.Run, error)
	RunFindings(ctx context.Context, runID string) ([]finding.Finding, error)
}

// EnqueueRun enqueues the digest of a finished run and, when the prober failed on some pages,
// an alert to operations. Calling it again for the same run enqueues nothing new.
func (n *Notifier) EnqueueRun(ctx context.Context, src RunSource, runID string) error {
	run, err := src.Run(ctx, runID)
	if err != nil {
		return fmt.Errorf("read run %s: %w", runID, err)
	}
	fs, err := src.RunFindings(ctx, runID)
	if err != nil {
		return fmt.Errorf("read findings of run %s: %w", runID, err)
	}
	if _, err := n.Enqueue(ctx, DigestMessage(run, fs)); err != nil {
		return err
	}
	if ops, ok := OpsMessage(run); ok {
		if _, err := n.Enqueue(ctx, ops); err != nil {
			return err
		}
	}
	return nil
}

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"tiyan/internal/config"
	"tiyan/internal/finding"
	"tiyan/internal/notify"
)

// digestDeliverTimeout bounds how long a command waits for Slack before it exits; what is not
// delivered by then stays in the outbox for tiyan serve or tiyan worker.
const digestDeliverTimeout = 20 * time.Second

// digestAfterRun puts the digest of a finished run (and, when the prober failed somewhere, the
// alert to operations) into the outbox and tries once to deliver what is due before the
// command exits. Slack being unreachable is a warning on stderr, not an error: the messages wait
// in the outbox. The error is for a digest that could not even be kept (the store refused it).
// With Slack off (no TIYAN_SLACK_TOKEN) it does nothing.
func digestAfterRun(ctx context.Context, s finding.Store, runID string, stderr io.Writer) error {
	cfg := notifyConfig(stderr)
	if cfg.Slack.Token == "" {
		return nil
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	n, err := newNotifier(cfg, s, logger)
	if err != nil {
		return fmt.Errorf("Slack 通知配置有误：%w", err)
	}
	// The run is filed: keep its digest even if the command was interrupted meanwhile.
	if err := n.EnqueueRun(context.WithoutCancel(ctx), s, runID); err != nil {
		return fmt.Errorf("运行 %s 的汇总未能放入待发队列：%s", runID, finding.ErrorMessage(err))
	}
	dctx, cancel := context.WithTimeout(ctx, digestDeliverTimeout)
	defer cancel()
	if _, err := n.Deliver(dctx); err != nil {
		fmt.Fprintf(stderr, "提示：Slack 通知暂未发出（%v）；消息已保存在待发队列，tiyan serve 或 tiyan worker 会按退避时间重试发送\n", err)
	}
	return nil
}

// notifyConfig reads tiyan.yaml and the environment for the Slack settings and the web UI's
// address. A configuration file with problems does not stop a finished run from reporting: it
// falls back to the environment alone, with a note.
func notifyConfig(stderr io.Writer) *config.Config {
	cfg, err := config.Load(config.DefaultFile, os.LookupEnv)
	if err == nil {
		return cfg
	}
	fmt.Fprintf(stderr, "提示：配置文件 %s 有误，Slack 通知只按环境变量发送：%v\n", config.DefaultFile, err)
	cfg, err = config.Parse("", nil, os.LookupEnv)
	if err != nil { // the environment alone cannot be wrong today; be safe if it becomes so
		d := config.Default()
		return &d
	}
	return cfg
}

// newNotifier makes the Notifier of a configuration on a store: what tiyan serve and tiyan
// worker run (go n.Run(ctx, 30*time.Second)) and hand to the jobs as their notifier.
func newNotifier(cfg *config.Config, s finding.Store, logger *slog.Logger) (*notify.Notifier, error) {
	return notify.New(notify.Config{Outbox: s, Token: cfg.Slack.Token, APIURL: cfg.Slack.APIURL,
		DefaultChannel: cfg.Slack.DefaultChannel, DigestChannel: cfg.Slack.Digest, OverdueChannel: cfg.Slack.Overdue,
		OpsChannel: cfg.Slack.Ops, BaseURL: cfg.Web.BaseURL, Logger: logger})
}

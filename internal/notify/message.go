package notify

import (
	"strings"

	"tiyan/internal/finding"
)

// Kind is what a message is for; each kind has its own configured channel.
type Kind string

// Kinds, named as the slack section of tiyan.yaml names their channels.
const (
	KindDigest  Kind = "digest"  // a sweep's or run's digest
	KindOverdue Kind = "overdue" // problems past their deadline, per unit
	KindOps     Kind = "ops"     // tiyan itself broke
)

// label names k in Chinese, for messages about configuration.
func (k Kind) label() string {
	switch k {
	case KindDigest:
		return "体验汇总"
	case KindOverdue:
		return "超期提醒"
	case KindOps:
		return "运维告警"
	}
	return string(k)
}

// Message is a notification in Chinese, before it goes into the outbox. It has the fields of
// jobs.Message, so an adapter is a field-by-field copy.
type Message struct {
	Kind Kind
	// Channel is where it goes when it has a place of its own (a unit's channel); "" is the
	// channel configured for Kind.
	Channel string
	// Key identifies the message: the same key is enqueued once, however many times a retried
	// job hands it over.
	Key string
	// Title is one line, shown as the header and in notifications; Text is the body in Slack
	// mrkdwn. Finding numbers written #ID in Text become links when ID is in Findings.
	Title, Text string
	// UnitID is the unit an overdue reminder is for; 0 otherwise.
	UnitID int64
	// RunID is the run a digest is about; "" otherwise. It gets a link to the run's page.
	RunID string
	// Findings are the findings the message is about, for links into the web UI.
	Findings []int64
}

// validate checks what the outbox cannot: that the message says what it is.
func (m *Message) validate() error {
	switch {
	case strings.TrimSpace(m.Key) == "":
		return finding.Errorf(finding.EINVALID, "通知缺少去重键（Key）")
	case m.Kind != KindDigest && m.Kind != KindOverdue && m.Kind != KindOps:
		return finding.Errorf(finding.EINVALID, "通知 %s 的类型 %q 无法识别，应为 digest、overdue 或 ops", m.Key, m.Kind)
	case strings.TrimSpace(m.Title) == "" && strings.TrimSpace(m.Text) == "":
		return finding.Errorf(finding.EINVALID, "通知 %s 没有内容", m.Key)
	}
	return nil
}

// escape makes s safe as literal text in Slack mrkdwn: &, < and > are Slack's control characters.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// runKindLabel names a run kind as the run report does.
func runKindLabel(kind string) string {
	switch kind {
	case finding.RunSweep:
		return "全量巡检"
	case finding.RunScenario:
		return "场景体验"
	case finding.RunVerify:
		return "整改复核"
	}
	return kind
}

// runStatusLabel names a run status as the run report does.
func runStatusLabel(status string) string {
	switch status {
	case finding.RunRunning:
		return "进行中"
	case finding.RunDone:
		return "已完成"
	case finding.RunFailed:
		return "未完成（出错中止）"
	}
	return status
}

// truncate cuts s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

package runner

import (
	"bytes"
	"log/slog"
	"regexp"
	"strings"
	"testing"
)

func TestRunLogKeepsEveryLevelAndPassesOnWhatTheLoggerWants(t *testing.T) {
	var out bytes.Buffer
	next := slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelWarn})
	h, kept := newRunLog(next.WithAttrs([]slog.Attr{slog.String("scenario", "s1")}))
	log := slog.New(h).With("step", 3)
	log.Debug("resolving", "target", "在线办理")
	log.Warn("blocked", "url", "http://x.example.com/?p=hunter2")

	lines := kept.masked(func(s string) string { return strings.ReplaceAll(s, "hunter2", "******") })
	if len(lines) != 2 || !strings.Contains(lines[0], "msg=resolving") || !strings.Contains(lines[0], "step=3") {
		t.Fatalf("kept %q", lines)
	}
	if !regexp.MustCompile(`^time=\d\d:\d\d:\d\d\.\d{3} level=DEBUG `).MatchString(lines[0]) {
		t.Errorf("time not short: %s", lines[0])
	}
	if strings.Contains(lines[1], "hunter2") || strings.Contains(lines[0], "scenario=") {
		t.Errorf("kept lines not masked, or with the Runner's attributes: %q", lines)
	}
	if s := out.String(); strings.Contains(s, "resolving") || !strings.Contains(s, "scenario=s1") || !strings.Contains(s, "step=3") {
		t.Errorf("the Runner's logger got %q", s)
	}
}

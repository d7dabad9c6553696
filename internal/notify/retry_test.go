package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func TestBackoff(t *testing.T) {
	b := backoff{min: 30 * time.Second, max: 30 * time.Minute, rand: func() float64 { return 0 }}
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 30 * time.Minute, 30 * time.Minute}
	for i, w := range want {
		if got := b.after(i+1, errors.New("x")); got != w {
			t.Errorf("after attempt %d: %v, want %v", i+1, got, w)
		}
	}
	if got := b.after(1000, errors.New("x")); got != 30*time.Minute {
		t.Errorf("after attempt 1000: %v", got)
	}
	b.rand = func() float64 { return 0.999 }
	if got := b.after(1, errors.New("x")); got <= 22*time.Second || got > 30*time.Second {
		t.Errorf("jittered first wait %v, want within (22.5s, 30s]", got)
	}
	if got := b.after(1, &slack.RateLimitedError{RetryAfter: 5 * time.Minute}); got != 5*time.Minute {
		t.Errorf("rate limited: %v, want Retry-After", got)
	}
}

func TestOutage(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&slack.RateLimitedError{RetryAfter: time.Second}, true},
		{slack.StatusCodeError{Code: 502, Status: "502 Bad Gateway"}, true},
		{slack.StatusCodeError{Code: 404, Status: "404 Not Found"}, false},
		{slack.SlackErrorResponse{Err: "invalid_auth"}, true},
		{slack.SlackErrorResponse{Err: "channel_not_found"}, false},
		{slack.SlackErrorResponse{Err: "msg_too_long"}, false},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, true},
		{fmt.Errorf("post: %w", context.DeadlineExceeded), true},
		{errors.New("decode blocks: bad"), false},
	} {
		if got := outage(tc.err); got != tc.want {
			t.Errorf("outage(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

package notify

import (
	"context"
	"errors"
	"net"
	"net/url"
	"time"

	"github.com/slack-go/slack"
)

// backoff is how long a failed message waits: min after the first attempt, doubling with each
// one after, never more than max, shortened by up to a quarter at random so that messages that
// failed together (Slack was down for all of them) do not all come back in the same second.
type backoff struct {
	min, max time.Duration
	rand     func() float64
}

// after returns the wait after the attempts-th attempt failed with err. Slack's Retry-After,
// when it sends one, is a floor.
func (b backoff) after(attempts int, err error) time.Duration {
	d := b.min
	for i := 1; i < attempts && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	d -= time.Duration(b.rand() * float64(d) / 4)
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) && rl.RetryAfter > d {
		d = rl.RetryAfter
	}
	return d
}

// transient reports whether a Slack error code may go away by itself: Slack's own trouble.
func transient(code string) bool {
	switch code {
	case "ratelimited", "service_unavailable", "fatal_error", "internal_error", "request_timeout":
		return true
	}
	return false
}

// refused reports whether err is Slack refusing the message, or the message being unsendable,
// for a reason that no retry fixes by itself: an unknown channel, a bot not in it, a bad token,
// a message too long. Someone has to change something first.
func refused(err error) bool {
	var se slack.SlackErrorResponse
	var bad *badMessageError
	switch {
	case errors.As(err, &bad):
		return true
	case errors.As(err, &se):
		return !transient(se.Err)
	}
	return false
}

// slackDown reports whether a Slack error code means no message can go out right now,
// whichever it is: the token, the workspace or Slack itself is the problem.
func slackDown(code string) bool {
	switch code {
	case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "missing_scope",
		"no_permission", "team_access_not_granted", "ratelimited", "service_unavailable", "fatal_error",
		"internal_error", "request_timeout":
		return true
	}
	return false
}

// outage reports whether err means Slack is out of reach for every message, rather than that
// this one message was refused (an unknown channel, a message too long).
func outage(err error) bool {
	var rl *slack.RateLimitedError
	var sc slack.StatusCodeError
	var se slack.SlackErrorResponse
	var ne net.Error
	var ue *url.Error
	switch {
	case errors.As(err, &rl), errors.As(err, &ne), errors.As(err, &ue):
		return true
	case errors.As(err, &sc):
		return sc.Retryable()
	case errors.As(err, &se):
		return slackDown(se.Err)
	}
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

// Package polite limits how hard tiyan browses a portal's host: at most a number of page loads
// at once, and a pause between the starts of two. Scenario runs and sweeps share it.
package polite

import (
	"context"
	"strings"
	"sync"
	"time"
)

// Limiter limits how hard the runs of one Runner (or one sweep) browse a host: at most max pages loading at
// once on a host, and at least pause between the starts of two page loads on it. The guard applies
// it where the host feels it, to every page load of a session's main frame (an open, a link, a
// form post, a redirect), by holding the page's request until the host's turn comes.
type Limiter struct {
	max   int
	pause time.Duration
	now   func() time.Time

	mu    sync.Mutex
	hosts map[string]*hostTurns
}

// hostTurns is the state of one host: who is loading a page from it, and when it may next start.
type hostTurns struct {
	slots chan struct{}
	next  time.Time // the start of the last turn booked, plus the pause
	last  time.Time // when the last page load actually started
}

func New(max int, pause time.Duration) *Limiter {
	return &Limiter{max: max, pause: pause, now: time.Now, hosts: map[string]*hostTurns{}}
}

// Wait takes one of host's page slots and waits for host's turn. The caller calls release when
// the page has loaded (more than once is harmless). waited is how long the turn took to come.
func (p *Limiter) Wait(ctx context.Context, host string) (release func(), waited time.Duration, err error) {
	h, start := p.host(host), p.now()
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, 0, ctx.Err()
	}
	var once sync.Once
	release = func() { once.Do(func() { <-h.slots }) }
	for d := p.reserve(h); d > 0; d = p.begin(h) {
		if err := sleep(ctx, d); err != nil {
			release()
			return nil, 0, err
		}
	}
	return release, p.now().Sub(start), nil
}

// begin starts a page load on h now, returning 0, or says how long until it may: a timer that
// fired late for the load before this one must not bring this one closer to it than the pause.
func (p *Limiter) begin(h *hostTurns) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if d := h.last.Add(p.pause).Sub(now); d > 0 {
		return d
	}
	h.last = now
	return 0
}

// reserve books host's next turn and says how long until it; a turn due now starts at once (see
// begin). Turns are booked in the order callers arrive, so runs waiting for one host take turns
// instead of racing for it.
func (p *Limiter) reserve(h *hostTurns) time.Duration {
	p.mu.Lock()
	now := p.now()
	at := now
	if h.next.After(now) {
		at = h.next
	}
	h.next = at.Add(p.pause)
	p.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		return d
	}
	return p.begin(h)
}

func (p *Limiter) host(name string) *hostTurns {
	name = strings.ToLower(name)
	p.mu.Lock()
	defer p.mu.Unlock()
	h := p.hosts[name]
	if h == nil {
		h = &hostTurns{slots: make(chan struct{}, p.max)}
		p.hosts[name] = h
	}
	return h
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

package web

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Sign-in limits. Failures lock an account for one client address ("pair:") after
// pairFailures, and an address for every account ("ip:") after addressFailures, each for
// lockout; an address gets more tries than a pair because a bureau's staff share one office
// address behind NAT. An account itself is never locked — else anyone could lock the real
// administrator out from anywhere — but after accountFailures from all addresses within the
// window, every attempt on it waits accountDelay first, which slows a guessing run spread over
// many addresses without ever refusing the right password from an address that has not failed.
const (
	pairFailures    = 5
	addressFailures = 20
	accountFailures = 100
	accountDelay    = 2 * time.Second
	failWindow      = 15 * time.Minute
	lockout         = 15 * time.Minute
	// limiterEntries bounds the memory a password-guessing run from many addresses can take.
	limiterEntries = 100_000
)

// limiter counts failed sign-ins per key ("pair:NAME ADDR", "ip:ADDR", "account:NAME"). It lives in memory: the
// web UI runs in one process (tiyan serve), and keeping a guessing run out of the database
// keeps it from turning into a write load.
type limiter struct {
	mu      sync.Mutex
	now     func() time.Time
	entries map[string]*attempts
}

type attempts struct {
	fails int
	first time.Time // of the failures counted
	until time.Time // locked until; zero when not locked
}

func newLimiter(now func() time.Time) *limiter {
	return &limiter{now: now, entries: map[string]*attempts{}}
}

// Keys of the limiter for an account name and a client address.
func pairKey(name, ip string) string { return "pair:" + name + " " + ip }
func addressKey(ip string) string    { return "ip:" + ip }
func accountKey(name string) string  { return "account:" + name }

// limitOf is the failures that lock key; 0 for an account, which is never locked.
func limitOf(key string) int {
	switch {
	case strings.HasPrefix(key, "ip:"):
		return addressFailures
	case strings.HasPrefix(key, "pair:"):
		return pairFailures
	}
	return 0
}

// backoff is how long an attempt on the account key waits first: accountDelay once it has
// failed accountFailures times within the window, from wherever.
func (l *limiter) backoff(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e := l.entries[key]; e != nil && e.fails >= accountFailures && l.now().Sub(e.first) <= failWindow {
		return accountDelay
	}
	return 0
}

// blocked returns how long the most locked of keys stays locked; 0 when none is.
func (l *limiter) blocked(keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	for _, k := range keys {
		if e := l.entries[k]; e != nil && e.until.After(now) {
			wait = max(wait, e.until.Sub(now))
		}
	}
	return wait
}

// fail counts one failure against each key, locking those that reach their limit.
func (l *limiter) fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.entries) >= limiterEntries {
		l.prune(now)
	}
	for _, k := range keys {
		e := l.entries[k]
		if e == nil {
			e = &attempts{}
			l.entries[k] = e
		}
		if now.Sub(e.first) > failWindow {
			e.fails, e.first = 0, now
		}
		e.fails++
		if n := limitOf(k); n > 0 && e.fails >= n {
			e.fails, e.until = 0, now.Add(lockout)
		}
	}
}

// reset forgets the failures of key (an account that signed in).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, key)
}

// prune drops the entries that neither lock nor count any more; if that frees too little, it
// drops everything not locked.
func (l *limiter) prune(now time.Time) {
	for k, e := range l.entries {
		if !e.until.After(now) && now.Sub(e.first) > failWindow {
			delete(l.entries, k)
		}
	}
	if len(l.entries) >= limiterEntries*9/10 {
		for k, e := range l.entries {
			if !e.until.After(now) {
				delete(l.entries, k)
			}
		}
	}
}

// minutes writes a wait for people, rounded up to whole minutes.
func minutes(d time.Duration) string {
	return fmt.Sprintf("%d 分钟", int((d+time.Minute-1)/time.Minute))
}

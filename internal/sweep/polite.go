package sweep

import (
	"context"
	"time"
)

// polite limits how hard a sweep browses the portal: at most max pages loading at once, and each
// of those slots rests for pause after a page before it loads the next.
type polite struct {
	slots chan time.Time // a free slot carries the time it was last released
	pause time.Duration
}

func newPolite(max int, pause time.Duration) *polite {
	p := &polite{slots: make(chan time.Time, max), pause: pause}
	for range max {
		p.slots <- time.Time{}
	}
	return p
}

// acquire waits for a slot and its rest; release gives the slot back.
func (p *polite) acquire(ctx context.Context) (release func(), err error) {
	var last time.Time
	select {
	case last = <-p.slots:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if wait := p.pause - time.Since(last); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			p.slots <- last
			return nil, ctx.Err()
		}
	}
	return func() { p.slots <- time.Now() }, nil
}

package polite

import (
	"context"
	"testing"
	"time"
)

func TestPolitenessTakesTurnsPerHost(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	p := New(2, 500*time.Millisecond)
	p.now = func() time.Time { return now }
	a, b := p.host("www.ahzwfw.gov.cn"), p.host("WWW.AHZWFW.GOV.CN")
	if a != b {
		t.Fatal("host names differ by case only, yet have two turns")
	}
	// three loads at once: the second waits one pause, the third two
	for i, want := range []time.Duration{0, 500 * time.Millisecond, time.Second} {
		if got := p.reserve(a); got != want {
			t.Errorf("load %d waits %v, want %v", i, got, want)
		}
	}
	if got := p.reserve(p.host("other.ahzwfw.gov.cn")); got != 0 {
		t.Errorf("another host waits %v for the first's turns", got)
	}
	now = now.Add(3 * time.Second) // long after the last booked turn
	if got := p.reserve(a); got != 0 {
		t.Errorf("a load after a quiet spell waits %v", got)
	}
}

func TestPolitenessCountsFromTheActualStart(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	now := t0
	p := New(3, 500*time.Millisecond)
	p.now = func() time.Time { return now }
	h := p.host("h")
	p.reserve(h)                         // the first load starts at once
	p.reserve(h)                         // the second is booked for 500ms
	p.reserve(h)                         // the third for 1s
	now = t0.Add(550 * time.Millisecond) // the second's timer fires 50ms late
	if d := p.begin(h); d != 0 {
		t.Fatalf("the second load waits %v more", d)
	}
	now = t0.Add(time.Second) // the third's fires on time
	if d := p.begin(h); d != 50*time.Millisecond {
		t.Errorf("the third load waits %v more, want 50ms: a full pause after the second", d)
	}
}

func TestPolitenessLimitsPagesInFlight(t *testing.T) {
	p := New(1, 0)
	ctx := context.Background()
	release, _, err := p.Wait(ctx, "h")
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, _, err := p.Wait(short, "h"); err == nil {
		t.Fatal("a second page of the host loaded while the only slot was taken")
	}
	if _, _, err := p.Wait(ctx, "other"); err != nil {
		t.Fatalf("another host's page waited for the first host's slot: %v", err)
	}
	release()
	release() // twice is harmless
	if _, _, err := p.Wait(ctx, "h"); err != nil {
		t.Fatalf("the slot was not given back: %v", err)
	}
}

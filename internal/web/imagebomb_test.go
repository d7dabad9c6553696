package web

import (
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tiyan/internal/upload/uploadtest"
)

// peakHeap runs f and returns the highest heap in use above the start, sampled every
// millisecond while f runs.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > base && m.HeapAlloc-base > peak.Load() {
				peak.Store(m.HeapAlloc - base)
			}
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	return peak.Load()
}

// TestImageBombRefused: a PNG of a few hundred KB that declares 7000×7000 at 16 bits (392 MB
// decoded), and one of 6000×6000 at 16 bits (within the pixels, past the bytes), are refused
// from their headers with a message that gives the size, one at a time and two at once through
// the report form, while the heap stays under 200 MB.
func TestImageBombRefused(t *testing.T) {
	fx := newFixture(t)
	bombs := map[string][]byte{"7000×7000": uploadtest.PNGBomb(t, 7000, 7000), "6000×6000": uploadtest.PNGBomb(t, 6000, 6000)}
	for size, data := range bombs {
		if len(data) > 1<<20 {
			t.Fatalf("the %s bomb is %d KB, want under 1 MB", size, len(data)>>10)
		}
		post := func() response {
			return fx.officerClient.postFiles(t, "/report", reportForm(fx.unitSCJGJ), file{"photos", "现场.png", data})
		}
		var answers [3]response
		peak := peakHeap(func() {
			answers[0] = post()
			var wg sync.WaitGroup
			for i := 1; i <= 2; i++ {
				wg.Go(func() { answers[i] = post() })
			}
			wg.Wait()
		})
		if peak > 200<<20 {
			t.Errorf("%s: the heap grew by %d MB, want under 200 MB", size, peak>>20)
		}
		for _, r := range answers {
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, size) || !strings.Contains(r.body, "后重新上传") {
				t.Errorf("%s: %d, want 400 naming the size and what to do", size, r.status)
			}
		}
	}
	if r := fx.officerClient.postFiles(t, "/report", reportForm(fx.unitSCJGJ), file{"photos", "现场.png", uploadtest.PNGBomb(t, 7000, 7000)}); !strings.Contains(r.body, "图片“现场.png”尺寸过大（7000×7000），请压缩到 4000 万像素以内") {
		t.Errorf("message: %d %s", r.status, r.body[:min(len(r.body), 200)])
	}
}

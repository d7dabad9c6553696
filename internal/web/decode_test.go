package web

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// pngBomb is a PNG that declares w×h pixels of 16-bit RGBA (8 bytes a pixel once decoded) and
// whose rows are all zero, so that it compresses to a few hundred KB. It is written row by row,
// never held decoded.
func pngBomb(t *testing.T, w, h int) []byte {
	t.Helper()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 16, 6, 0, 0, 0) // 16 bits, RGBA, deflate, no filter method, no interlace
	out.Write(pngChunk("IHDR", ihdr))
	var idat bytes.Buffer
	zw, err := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	row := make([]byte, 1+w*8)
	for range h {
		if _, err := zw.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out.Write(pngChunk("IDAT", idat.Bytes()))
	out.Write(pngChunk("IEND", nil))
	return out.Bytes()
}

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
	bombs := map[string][]byte{"7000×7000": pngBomb(t, 7000, 7000), "6000×6000": pngBomb(t, 6000, 6000)}
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
	if r := fx.officerClient.postFiles(t, "/report", reportForm(fx.unitSCJGJ), file{"photos", "现场.png", pngBomb(t, 7000, 7000)}); !strings.Contains(r.body, "图片“现场.png”尺寸过大（7000×7000），请压缩到 4000 万像素以内") {
		t.Errorf("message: %d %s", r.status, r.body[:min(len(r.body), 200)])
	}
}

// TestDecodeBudget: a photo within the limits still decodes, and its budget is given back.
func TestDecodeBudget(t *testing.T) {
	up, err := checkUpload(t.Context(), photoRule, "现场.jpg", phonePhoto(t))
	if err != nil || up.ContentType != "image/jpeg" {
		t.Fatalf("phone photo: %v", err)
	}
	if !decodes.TryAcquire(decodeBudget) {
		t.Fatal("the decode budget was not given back")
	}
	decodes.Release(decodeBudget)
}

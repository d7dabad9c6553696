package sweep

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"tiyan/internal/browser"
	"tiyan/internal/portalsim"
	"tiyan/probes"
	"tiyan/scenarios"
)

// benchItems is how many items the sweep benchmark probes on each channel: 1,000 by default, or
// TIYAN_BENCH_ITEMS.
func benchItems(b *testing.B) int {
	if v := os.Getenv("TIYAN_BENCH_ITEMS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("TIYAN_BENCH_ITEMS=%q: want a positive number", v)
		}
		return n
	}
	return 1000
}

// BenchmarkSweep sweeps synthetic simulator items on both channels with every rule (axe
// included) at concurrency 1, 2 and 4, and reports item-channels per minute, the median and p95
// per item-channel, the peak memory of this process plus Chromium, the CPU time they spent per
// item-channel (this process also serves the simulator), and the ratio of the sweep's
// time to bare navigation of the same pages at the same concurrency.
//
//	go test -run '^$' -bench Sweep -benchtime 1x -timeout 0 ./internal/sweep/
func BenchmarkSweep(b *testing.B) {
	chromium.Browser(b)
	n := benchItems(b)
	// The simulator's own items and n synthetic ones, of which the first n are swept.
	_, ts := newSimWith(b, portalsim.Config{Defects: "none", Items: n})
	site := testSite(b, ts.URL, 4)
	items, err := List(context.Background(), http.DefaultClient, site, ListOptions{Limit: n})
	if err != nil {
		b.Fatal(err)
	}
	if len(items) != n {
		b.Fatalf("the simulator lists %d items, want %d", len(items), n)
	}
	cat, err := probes.LoadCatalogue(context.Background(), nil, ts.URL+"/catalogue/ssqd.json")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("concurrency=%d", c), func(b *testing.B) {
			for range b.N {
				benchOnce(b, site, cat, items, c)
			}
		})
	}
}

func benchOnce(b *testing.B, site *scenarios.Site, cat *probes.Catalogue, items []probes.Item, c int) {
	sw, err := New(Config{Site: site, Catalogue: cat, Thresholds: testThresholds, Concurrency: c, Env: simEnv})
	if err != nil {
		b.Fatal(err)
	}
	defer sw.Close()
	watch := watchChromium(sw)
	cpu0 := ownCPU()
	start := time.Now()
	res := sw.Sweep(context.Background(), items)
	took := time.Since(start)
	mem, renderers, sampling := watch()
	own := ownCPU() - cpu0 - sampling
	cpu := own + treeCPU(sw.browser.PID())
	b.Logf("concurrency %d: CPU: tiyan and the simulator %.1fs, Chromium %.1fs; %d renderer processes", c, own.Seconds(), (cpu - own).Seconds(), renderers)
	if len(res.Errors) > 0 {
		b.Logf("%d prober errors, first: %+v", len(res.Errors), res.Errors[0])
	}
	bare := bareNavigation(b, site, items, c)
	d := slices.Clone(res.Durations)
	slices.Sort(d)
	b.ReportMetric(float64(res.ItemChannels)/took.Minutes(), "item-channels/min")
	b.ReportMetric(float64(d[len(d)/2].Milliseconds()), "median-ms")
	b.ReportMetric(float64(d[len(d)*95/100].Milliseconds()), "p95-ms")
	b.ReportMetric(float64(mem)/(1<<20), "peak-MiB")
	b.ReportMetric(took.Seconds()/bare.Seconds(), "x-bare")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(res.ItemChannels), "cpu-ms/ic")
	b.Logf("concurrency %d: mean per item-channel: %s", c, meanTimings(res))
	b.Logf("concurrency %d: %d item-channels in %s (bare navigation %s), %d findings", c, res.ItemChannels, took.Round(time.Second), bare.Round(time.Second), len(res.Findings))
}

// bareNavigation opens the same guide pages with plain chromedp navigation, c workers at a
// time, each keeping one tab per device as the sweep keeps its tabs: the cheapest way to show
// the pages, and so the honest baseline.
func bareNavigation(b *testing.B, site *scenarios.Site, items []probes.Item, c int) time.Duration {
	br, err := browser.Start(context.Background(), browser.Config{MaxTabs: 2 * c})
	if err != nil {
		b.Fatal(err)
	}
	defer br.Close()
	devices := map[scenarios.Channel]browser.Device{scenarios.PC: browser.PC, scenarios.H5: browser.H5}
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tabs := map[scenarios.Channel]context.Context{}
			for {
				i := int(next.Add(1) - 1)
				if i >= len(items)*2 {
					return
				}
				ch := []scenarios.Channel{scenarios.PC, scenarios.H5}[i%2]
				if tabs[ch] == nil {
					tab, done, err := br.NewSession(context.Background(), devices[ch])
					if err != nil {
						b.Error(err)
						return
					}
					defer done()
					tabs[ch] = tab
				}
				u, _ := site.GuideURL(ch, items[i/2].ID, items[i/2].Code)
				if err := browser.Navigate(tabs[ch], u.String()); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}

// watchChromium samples Chromium's process tree until the returned function is called, which
// gives the peak memory (PSS) of this process and Chromium, how many renderer processes were
// seen (one that lived less than the sampling interval may be missed), and the CPU time the
// sampling itself took, which is not tiyan's.
func watchChromium(sw *Sweeper) func() (peak int64, renderers int, cost time.Duration) {
	var peak int64
	seen := map[int]bool{}
	var cost time.Duration
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		// On a thread of its own, so that its CPU time can be read and subtracted.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		tid := syscall.Gettid()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			sw.mu.Lock()
			pid := 0
			if sw.browser != nil {
				pid = sw.browser.PID()
			}
			sw.mu.Unlock()
			procs := tree(pid)
			for _, p := range procs {
				if kindOf(p) == "renderer" {
					seen[p] = true
				}
			}
			if i%10 == 0 { // reading PSS walks page tables: once a second
				total := pss(os.Getpid())
				for _, p := range procs {
					total += pss(p)
				}
				peak = max(peak, total)
			}
			cost = threadCPU(tid)
			select {
			case <-t.C:
			case <-stop:
				return
			}
		}
	}()
	return func() (int64, int, time.Duration) {
		close(stop)
		<-done
		return peak, len(seen), cost
	}
}

// meanTimings is the mean time of each step of an item-channel, for finding where time goes.
func meanTimings(res *Result) string {
	sum := map[string]time.Duration{}
	for _, t := range res.Timings {
		for k, d := range t {
			sum[k] += d
		}
	}
	var parts []string
	for _, k := range append([]string{"open"}, Families...) {
		if len(res.Timings) > 0 {
			parts = append(parts, fmt.Sprintf("%s %dms", k, (sum[k]/time.Duration(len(res.Timings))).Milliseconds()))
		}
	}
	return strings.Join(parts, ", ")
}

package sweep

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tiyan/internal/browser"
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
// per item-channel, the peak memory of this process plus Chromium, and the ratio of the sweep's
// time to bare navigation of the same pages at the same concurrency.
//
//	go test -run '^$' -bench Sweep -benchtime 1x -timeout 0 ./internal/sweep/
func BenchmarkSweep(b *testing.B) {
	chromium.Browser(b)
	n := benchItems(b)
	_, ts := newSim(b, "none")
	site := testSite(b, ts.URL, 4)
	items, err := List(context.Background(), http.DefaultClient, site, ListOptions{Limit: n})
	if err != nil {
		b.Fatal(err)
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
	peak := watchMemory(sw)
	start := time.Now()
	res := sw.Sweep(context.Background(), items)
	took := time.Since(start)
	mem := peak()
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
	b.Logf("concurrency %d: mean per item-channel: %s", c, meanTimings(res))
	b.Logf("concurrency %d: %d item-channels in %s (bare navigation %s), %d findings", c, res.ItemChannels, took.Round(time.Second), bare.Round(time.Second), len(res.Findings))
}

// bareNavigation opens the same guide pages with plain chromedp navigation, c tabs at a time.
func bareNavigation(b *testing.B, site *scenarios.Site, items []probes.Item, c int) time.Duration {
	br, err := browser.Start(context.Background(), browser.Config{MaxTabs: c})
	if err != nil {
		b.Fatal(err)
	}
	defer br.Close()
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(items)*2 {
					return
				}
				ch := []scenarios.Channel{scenarios.PC, scenarios.H5}[i%2]
				dev := map[scenarios.Channel]browser.Device{scenarios.PC: browser.PC, scenarios.H5: browser.H5}[ch]
				u, _ := site.GuideURL(ch, items[i/2].ID, items[i/2].Code)
				tab, done, err := br.NewSession(context.Background(), dev)
				if err != nil {
					b.Error(err)
					return
				}
				if err := browser.Navigate(tab, u.String()); err != nil {
					b.Error(err)
				}
				done()
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}

// watchMemory samples the memory (PSS) of this process and of Chromium's process tree until
// the returned function is called, which gives the peak.
func watchMemory(sw *Sweeper) func() int64 {
	var peak atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			total := pss(os.Getpid())
			sw.mu.Lock()
			if sw.browser != nil {
				total += treePSS(sw.browser.PID())
			}
			sw.mu.Unlock()
			if total > peak.Load() {
				peak.Store(total)
			}
			select {
			case <-t.C:
			case <-stop:
				return
			}
		}
	}()
	return func() int64 {
		close(stop)
		<-done
		return peak.Load()
	}
}

// pss is a process's proportional set size in bytes (its resident memory, with each page it
// shares counted in proportion to the processes sharing it), from /proc. Chromium's processes
// share the browser's code and fonts; adding up their plain resident sets would count those
// once per process.
func pss(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "Pss:") {
			kb, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// treePSS adds up the proportional set sizes of pid and all its descendants.
func treePSS(pid int) int64 {
	if pid == 0 {
		return 0
	}
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// the parent pid is the 2nd field after the ")" that ends the command name
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) > 1 {
			pp, _ := strconv.Atoi(fields[1])
			children[pp] = append(children[pp], p)
		}
	}
	var total int64
	stack := []int{pid}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		total += pss(p)
		stack = append(stack, children[p]...)
	}
	return total
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

package probes

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"tiyan/internal/browser"
)

// Open loads url in tab, waiting at most th.Unreachable, and records the load: the document's
// status, how long it took, failed subresources and uncaught exceptions. It always returns a
// Load; Load.Err says why the page did not load. The returned error is for the prober's own
// failures only (the browser died), which are never findings.
func Open(tab context.Context, url string, th Thresholds) (*Load, error) {
	th = th.WithDefaults()
	rec := newRecorder(tab)
	refused := len(browser.Refusals(tab))
	ctx, cancel := context.WithTimeout(tab, th.Unreachable)
	defer cancel()
	start := time.Now()
	resp, err := browser.Run(ctx, chromedp.NavigateResponse(url))
	load := &Load{Duration: time.Since(start)}
	if resp != nil {
		load.Status = int(resp.Status)
	}
	switch {
	case errors.Is(err, browser.ErrBrowserDied):
		rec.stop()
		return load, err
	case err != nil && ctx.Err() != nil && tab.Err() == nil:
		load.Err = fmt.Errorf("页面 %s 内未加载完成（timed out）", th.Unreachable)
	case err != nil && tab.Err() != nil:
		rec.stop()
		return load, fmt.Errorf("open %s: %w", url, err)
	case err != nil:
		load.Err = err
	}
	rec.stop()
	load.Failed, load.Exceptions = rec.result()
	if len(browser.Refusals(tab)) > refused {
		load.Exceptions = slices.DeleteFunc(load.Exceptions, refusedFetch)
	}
	return load, nil
}

// refusedFetch reports whether an exception is a page's unhandled failure of a request the
// read-only browser refused: evidence of what tiyan kept from the portal, not a script error.
func refusedFetch(exception string) bool {
	return strings.Contains(exception, "Failed to fetch") || strings.Contains(exception, "NetworkError")
}

// recorder listens to a tab while a page loads.
type recorder struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu         sync.Mutex
	urls       map[network.RequestID]request
	failed     []Request
	exceptions []string
}

type request struct{ url, kind string }

func newRecorder(tab context.Context) *recorder {
	ctx, cancel := context.WithCancel(tab)
	r := &recorder{cancel: cancel, urls: map[network.RequestID]request{}}
	sent := chromedp.Events(ctx, network.RequestWillBeSent)
	responses := chromedp.Events(ctx, network.ResponseReceived)
	failures := chromedp.Events(ctx, network.LoadingFailed)
	console := chromedp.Console(ctx)
	r.listen(func() {
		for ev, err := range sent {
			if err != nil {
				return
			}
			r.mu.Lock()
			r.urls[ev.RequestID] = request{ev.Request.URL, string(ev.Type)}
			r.mu.Unlock()
		}
	})
	r.listen(func() {
		for ev, err := range responses {
			if err != nil {
				return
			}
			if ev.Type != network.ResourceTypeDocument && ev.Response.Status >= 400 {
				r.add(Request{URL: ev.Response.URL, Type: string(ev.Type), Status: int(ev.Response.Status)})
			}
		}
	})
	r.listen(func() {
		for ev, err := range failures {
			if err != nil {
				return
			}
			r.mu.Lock()
			req := r.urls[ev.RequestID]
			r.mu.Unlock()
			// refused by the read-only browser (or the host allowlist): tiyan's doing, not the portal's
			if ev.Canceled || ev.Type == network.ResourceTypeDocument || req.url == "" || strings.HasPrefix(ev.ErrorText, "net::ERR_BLOCKED_BY_CLIENT") {
				continue
			}
			r.add(Request{URL: req.url, Type: req.kind, Error: ev.ErrorText})
		}
	})
	r.listen(func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.IsException() {
				r.mu.Lock()
				r.exceptions = append(r.exceptions, m.String())
				r.mu.Unlock()
			}
		}
	})
	return r
}

func (r *recorder) listen(f func()) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		f()
	}()
}

func (r *recorder) add(q Request) {
	if strings.HasSuffix(q.URL, "/favicon.ico") {
		return // asked for by the browser itself, not by the page
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range r.failed {
		if f.URL == q.URL {
			return // a 404 can also end as a failed load: one entry per URL
		}
	}
	r.failed = append(r.failed, q)
}

func (r *recorder) result() ([]Request, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.failed...), append([]string(nil), r.exceptions...)
}

// eventGrace lets the listeners take in the events that arrived before the load event.
const eventGrace = 30 * time.Millisecond

func (r *recorder) stop() {
	time.Sleep(eventGrace)
	r.cancel()
	r.wg.Wait()
}

package runner

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tiyan/internal/browser"
)

// shotQuality is the JPEG quality of step screenshots. Chromium needs a few frames (~40 ms) to
// capture the viewport whatever the format, and PNG encoding adds ~25 ms to that; at 70 a JPEG
// keeps the portal's text legible.
const shotQuality = 70

// evidenceTimeout bounds the capture of a step's evidence, whose own deadline may be spent.
const evidenceTimeout = 10 * time.Second

// lookJS counts, in every document, what changes how the page looks without the runner acting:
// DOM mutations (but for the runner's own data-tiyan-* markers), scrolling, resources loading
// late, transitions and animations ending, fonts arriving. lookNow reads the count with the
// document's time origin, so that two readings are equal only if the page kept its look.
// Changes inside frames are not counted.
const lookJS = `(() => {
  let n = 0;
  const bump = () => { n++; };
  const theirs = r => !(r.type === 'attributes' && r.attributeName.startsWith('data-tiyan-'));
  new MutationObserver(rs => { if (rs.some(theirs)) n++; })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  for (const ev of ['scroll', 'load', 'resize', 'transitionend', 'animationend']) addEventListener(ev, bump, {capture: true, passive: true});
  if (document.fonts) document.fonts.addEventListener('loadingdone', bump);
  Object.defineProperty(window, '__tiyanLook', {get: () => performance.timeOrigin + ':' + n});
})()`

const lookNow = `window.__tiyanLook || ''`

// camera takes the screenshot of each passed step in the background and hands the step's result
// to OnStep once it is complete, in step order. Capturing takes Chromium a few frames; meanwhile
// the next step may already look for its target, which changes nothing on the page, but it
// waits (hold) before it acts, so that every screenshot shows the page as its step left it.
//
// Captures go one at a time: during a capture Chromium changes the tab's emulated viewport (to
// shoot at the device's pixel ratio) and restores it afterwards, so two at once leave it wrong.
// Steps that end while a capture is under way share the next one, taken after all of them ended.
// A step that does not act on the page (expect, wait, note…) shares the latest capture if the
// page's look has not changed since that capture began (lookJS): it is the same picture.
type camera struct {
	tab    context.Context
	alive  func() bool
	onStep func(StepResult)
	shots  []*shot
	lens   sync.Mutex // one capture at a time

	mu    sync.Mutex
	queue []*shot   // steps waiting for the next capture
	busy  bool      // shoot is running
	last  *exposure // the latest capture begun
}

// shot is one step's result, complete once done is closed.
type shot struct {
	sr      StepResult
	exposed chan struct{} // the screenshot is in sr
	done    chan struct{} // and sr went to OnStep
}

// exposure is one capture of the page, complete once taken is closed.
type exposure struct {
	look  string // the page's look when the capture began; "" if unknown
	url   string
	img   []byte
	died  error // Chromium died
	taken chan struct{}
}

// start installs lookJS in the session's documents, before the first page loads.
func (c *camera) start() error {
	_, err := browser.Run(c.tab, func(ctx context.Context, t *chromedp.Target) (page.ScriptIdentifier, error) {
		r, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: lookJS})
		return r.Identifier, err
	})
	return err
}

// look reads the page's look (lookJS) at the end of a step that did not act on it.
func (c *camera) look(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second) // no answer: a new screenshot, not a shared one
	defer cancel()
	v, _ := browser.EvalJSON[string](ctx, lookNow)
	return v
}

// develop gives sr the latest capture if look says the page has not changed since it began (look
// is "" after a step that acted on the page), or else queues sr for the next capture; sr is
// delivered once its screenshot is in.
func (c *camera) develop(sr StepResult, look string) {
	s, prev := c.add(sr)
	c.mu.Lock()
	if e := c.last; look != "" && e != nil && e.look == look {
		c.mu.Unlock()
		go func() {
			<-e.taken
			s.expose(e)
			c.deliver(s, prev)
		}()
		return
	}
	c.queue = append(c.queue, s)
	start := !c.busy
	c.busy = true
	c.mu.Unlock()
	if start {
		go c.shoot()
	}
	go func() {
		<-s.exposed
		c.deliver(s, prev)
	}()
}

// shoot takes pictures until no step waits for one; each serves the steps queued when it starts.
func (c *camera) shoot() {
	for {
		c.mu.Lock()
		batch := c.queue
		c.queue = nil
		c.busy = len(batch) > 0
		c.mu.Unlock()
		if len(batch) == 0 {
			return
		}
		e := c.capture()
		for _, s := range batch {
			s.expose(e)
		}
	}
}

// capture takes the page's URL, look and screenshot, and makes them the latest capture.
func (c *camera) capture() *exposure {
	ctx, cancel := context.WithTimeout(c.tab, evidenceTimeout)
	defer cancel()
	e := &exposure{taken: make(chan struct{})}
	defer close(e.taken)
	if v, err := browser.EvalJSON[[2]string](ctx, "[location.href, "+lookNow+"]"); err == nil {
		e.url, e.look = v[0], v[1]
	}
	c.mu.Lock()
	c.last = e
	c.mu.Unlock()
	c.lens.Lock()
	img, err := screenshot(ctx)
	c.lens.Unlock()
	switch {
	case err == nil:
		e.img = img
	case errors.Is(err, browser.ErrBrowserDied) || !c.alive():
		e.died = err
	}
	return e
}

// expose puts e into the step's result. A capture that failed because Chromium died marks the
// step: the run cannot go on.
func (s *shot) expose(e *exposure) {
	s.sr.URL, s.sr.Screenshot = e.url, e.img
	if e.died != nil {
		s.sr.died, s.sr.Passed = true, false
		if s.sr.Error == "" {
			s.sr.Error = e.died.Error()
		}
	}
	close(s.exposed)
}

// ready delivers sr, whose evidence is complete, after the steps before it.
func (c *camera) ready(sr StepResult) {
	s, prev := c.add(sr)
	close(s.exposed)
	c.deliver(s, prev)
}

// now captures the page at once for sr (a failed step), then delivers it.
func (c *camera) now(sr StepResult) StepResult {
	s, prev := c.add(sr)
	s.expose(c.capture())
	c.deliver(s, prev)
	return s.sr
}

func (c *camera) add(sr StepResult) (s, prev *shot) {
	if n := len(c.shots); n > 0 {
		prev = c.shots[n-1]
	}
	s = &shot{sr: sr, exposed: make(chan struct{}), done: make(chan struct{})}
	c.shots = append(c.shots, s)
	return s, prev
}

func (c *camera) deliver(s, prev *shot) {
	if prev != nil {
		<-prev.done
	}
	if c.onStep != nil {
		c.onStep(s.sr)
	}
	close(s.done)
}

// hold waits until every screenshot begun so far is taken, before a step changes the page, and
// says how long it waited: that time is the camera's, not the step's.
func (c *camera) hold(ctx context.Context) (time.Duration, error) {
	if len(c.shots) == 0 {
		return 0, nil
	}
	start := time.Now()
	select {
	case <-c.shots[len(c.shots)-1].done: // delivered in order: the last one is the last done
		return time.Since(start), nil
	case <-ctx.Done():
		return time.Since(start), ctx.Err()
	}
}

// film waits for every step's evidence and returns the results in order.
func (c *camera) film() []StepResult {
	out := make([]StepResult, len(c.shots))
	for i, s := range c.shots {
		<-s.done
		out[i] = s.sr
	}
	return out
}

// screenshot captures the viewport as the device sees it, as a JPEG.
func screenshot(ctx context.Context) ([]byte, error) {
	q := int64(shotQuality)
	fromSurface := true
	img, err := browser.Run(ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatJpeg, Quality: &q, FromSurface: &fromSurface})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	return img, nil
}

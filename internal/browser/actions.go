package browser

import (
	"context"
	"fmt"

	"github.com/chromedp/chromedp"
)

// Run runs one chromedp action on a session and returns its value. It is
// chromedp.Run plus error classification: when Chromium died, the error
// wraps ErrBrowserDied.
func Run[T any](ctx context.Context, a chromedp.Action[T]) (T, error) {
	v, err := chromedp.Run(ctx, a)
	return v, classify(ctx, err)
}

// Do runs actions that return nothing on a session, in order, stopping at the
// first error. It is chromedp.Do plus error classification, like Run.
func Do(ctx context.Context, steps ...chromedp.Action[chromedp.Void]) error {
	return classify(ctx, chromedp.Do(ctx, steps...))
}

// Navigate loads url in the session's tab and waits for its load event.
func Navigate(ctx context.Context, url string) error {
	if err := Do(ctx, chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("navigate to %s: %w", url, err)
	}
	return nil
}

// Screenshot returns a PNG of the viewport as the device sees it, at the
// device's pixel ratio (an H5 shot is 750×1334).
func Screenshot(ctx context.Context) ([]byte, error) {
	png, err := Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	return png, nil
}

// EvalJSON evaluates a JavaScript expression in the page, waits for it if it
// is a promise, and decodes its JSON value into T. A null or undefined result
// is an error unless T can be nil (a pointer, slice or map).
func EvalJSON[T any](ctx context.Context, js string) (T, error) {
	return Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
}

// Exec runs a script in the page for its effect, such as injecting a
// library, and ignores its value. A thrown exception is an error.
func Exec(ctx context.Context, js string) error {
	// "void 0" last, so a script whose completion value is a large object
	// (a UMD bundle) is not serialized back for nothing.
	return Do(ctx, chromedp.Evaluate[chromedp.Void](js+"\n;void 0"))
}

func classify(ctx context.Context, err error) error {
	if b := browserOf(ctx); b != nil {
		return b.wrap(err)
	}
	return err
}

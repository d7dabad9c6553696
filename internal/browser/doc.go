// Package browser is tiyan's only door to Chromium. It starts one headless
// Chromium process per [Browser], opens isolated tabs ([Browser.NewSession])
// that look like the PC portal's visitors ([PC]) or like the 皖事通 app's H5
// container ([H5]), and bounds how many tabs run at once.
//
// A session is a plain chromedp context, so chromedp actions work on it, but
// callers should run them through [Run], [Do] and the helpers here: they turn
// the errors of a Chromium that crashed or was killed into [ErrBrowserDied],
// which the scenario runner reports as "we could not look" rather than as a
// finding about the portal. After ErrBrowserDied the Browser stays dead; the
// caller closes it and starts a fresh one.
//
//	b, err := browser.Start(ctx, browser.Config{})
//	if err != nil {
//		return err
//	}
//	defer b.Close()
//	tab, closeTab, err := b.NewSession(ctx, browser.H5)
//	if err != nil {
//		return err
//	}
//	defer closeTab()
//	if err := browser.Navigate(tab, url); err != nil {
//		return err
//	}
//	png, err := browser.Screenshot(tab)
//
// chromedp stays inside this package (and probes); the rest of tiyan sees
// contexts, bytes and plain Go values.
package browser

// Package runner plays a scenario (scenarios.Scenario) in a real browser, on one channel, the way
// an officer would click through the portal, and records what happened step by step: a
// screenshot after every step, console errors, failed requests, when a step fails the DOM around
// its target, and the run's own log.
//
// Each run has its own isolated browser session, its own deadline (the scenario's timeout) and a
// deadline per step. Targets are found as a person finds them (label, visible text, placeholder,
// role, CSS last) by one JavaScript resolver that marks the element, which chromedp then acts
// on. Whether a click started a page load is read from Chromium's events (load.go), not guessed
// by waiting a fixed time.
//
//	r, err := runner.New(runner.Config{Site: site, Browser: b})
//	res, err := r.Run(ctx, sc, scenarios.PC)
//	if errors.Is(err, browser.ErrBrowserDied) { /* close b, start a fresh browser */ }
//
// A failed step is not an error of Run: it is in the Result (Passed false, the failing
// StepResult). Run returns an error only when the run could not take place as asked (a channel the
// scenario or site does not have, no browser) or when Chromium died.
//
// Screenshots (JPEG) are taken in the background while the next step looks for its target, and a
// step acts on the page only once the screenshots before it are in (camera.go); a step that only
// looks at a page that has not changed since the last screenshot shares it. Still, a screenshot
// after a page load waits for the page to be drawn, which on a small machine costs about as
// much as the load: Config.Screenshots = FailedSteps keeps only the failing step's (and those of
// screenshot: steps) for runs nobody watches step by step.
//
// Safety: page loads outside the site's allowed hosts are blocked and reported, subresources from
// other hosts are refused by Chromium itself (guard.go); page loads on a host keep the site's
// politeness, shared by all runs of a Runner (internal/polite). Submit steps run only in sandbox
// scenarios (checked again here, besides the parser). Sign-in credentials come from Config.Env
// and are never logged or shown: descriptions name only targets, values read from {{env.…}} or
// the SSO fields are masked as ****** in notes, errors, DOM excerpts and the run's log, and drawn
// as dots in screenshots. A scenario marked sandbox submits for real wherever it is pointed, so
// sandbox scenarios must only be scheduled against the simulator or a true sandbox portal.
package runner

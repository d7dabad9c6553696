// Package runner plays a scenario (scenarios.Scenario) in a real browser, on one channel, the way
// an officer would click through the portal, and records what happened step by step: a
// screenshot after every step, console errors, failed requests and, when a step fails, the DOM
// around its target.
//
// Each run has its own isolated browser session, its own deadline (the scenario's timeout) and a
// deadline per step. Targets are found as a person finds them (label, visible text, placeholder,
// role, CSS last) by one JavaScript resolver that marks the element, which chromedp then acts
// on. Requests to hosts the site profile does not allow are blocked in the browser and reported.
//
//	r, err := runner.New(runner.Config{Site: site, Browser: b})
//	res, err := r.Run(ctx, sc, scenarios.PC)
//	if errors.Is(err, browser.ErrBrowserDied) { /* close b, start a fresh browser */ }
//
// A failed step is not an error of Run: it is in the Result (Passed false, the failing
// StepResult). Run returns an error only when the run could not take place as asked (a channel the
// scenario or site does not have, no browser) or when Chromium died.
//
// Safety: submit steps run only in sandbox scenarios (checked again here, besides the parser);
// sign-in credentials come from Config.Env and are never logged or shown: descriptions name only
// targets, and values read from {{env.…}} or the SSO fields are masked as ****** in notes,
// errors and DOM excerpts. A scenario marked sandbox submits for real wherever it is pointed, so
// sandbox scenarios must only be scheduled against the simulator or a true sandbox portal.
package runner

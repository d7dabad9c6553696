// Package sweep is the nightly catalogue sweep: list the service items through the site profile,
// and for each item and channel open the guide in Chromium, run the probe families, follow the
// 在线办理 entrance without submitting, and turn what the probes saw into findings with evidence.
package sweep

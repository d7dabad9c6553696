// Package reports renders what tiyan saw into documents an officer reads:
// run reports, digests and assessments.
//
// Each report has its own input type, defined here so that the renderers do
// not depend on the runner; the CLI maps the runner's result into it. The
// first report is the scenario step report ([WriteStepReport]): a single
// self-contained HTML page that replays a scenario step by step.
package reports

// Package reports renders what tiyan saw into documents an officer reads:
// run reports, digests and assessments.
//
// Each report has its own input type, defined here so that the renderers do
// not depend on the runner; the CLI maps the runner's result into it. Each is
// a single self-contained HTML page:
//   - the scenario step report ([WriteStepReport]), which replays a scenario
//     step by step;
//   - the run report ([WriteRunReport]) of a sweep or a scenario run: summary,
//     availability by channel, findings by category, per item, each with its
//     annotated screenshot.
package reports

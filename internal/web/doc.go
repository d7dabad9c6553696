// Package web is tiyan's web UI and JSON API for bureau staff, window units and experience
// officers: server-rendered pages in zh-CN over the findings store, usable at 375 px and on a
// desktop, and the same reads and actions under /api/ for machines (docs/api.md).
//
// Everyone signs in (local accounts with bcrypt passwords, sessions kept in the store as
// hashes, sign-in rate-limited per account and per address). What each role may see and do is
// internal/auth's policy, applied on the server to every page, every action and every API call:
// an admin everything; staff their jurisdiction and below; a window unit the findings fed back
// to it; an officer their own reports. Lists and counts are narrowed in the database
// (auth.Narrow into a finding.Query), never after, so they stay fast at a million findings.
// Cross-origin form posts are refused (http.CrossOriginProtection).
//
// The rectification loop is internal/loop's: a finding's page offers the moves the user may
// make in its state (feed back, dismiss, handle with evidence, evaluate, verify by replay),
// each on its own page that says what will happen and whose button confirms it; the loop
// decides, and its refusal is shown in its own words. Every move is an event with the user as
// actor.
//
// How it is laid out:
//   - server.go: Config, New, the routes and the headers every response carries;
//   - httpserver.go, bodylimit.go: the http.Server settings every tiyan listener uses (timeouts,
//     header size) and the per-route caps on request bodies (413);
//   - session.go, signin.go, limiter.go: sessions, sign-in and sign-out, failed sign-in limits;
//   - render.go: the templates (one shared layout, one file per page group) and error pages;
//   - view.go: the small view-model layer that turns domain values into what templates print;
//   - findings.go (the inbox), finding.go (one finding), actions.go (the loop's moves),
//     upload.go (forms with files, checked by package upload as the CLI's are), report.go (manual
//     reports) and items.go (the search of its item, over Config.Items), overview.go (the charts), users.go, useradd.go and useraction.go (the
//     administrator's accounts and API tokens, through auth.Accounts),
//     evidence.go, runs.go: the page groups, each with its handlers and view types (and, for
//     pages, a template of the same name);
//   - scenarios.go, scenariorun.go: the scenarios (立即回放 through the Scenarios of Config) and
//     a scenario run's page, whose step reports are package reports' fragments;
//   - api.go: the JSON API over the same handlers' logic.
//
// Pages carry no scripts but two files: static/progress.js keeps a running scenario run's page
// current (the page works without it, by reloading), static/items.js offers the report form's
// item search as suggestions (without it the item is typed in full); the
// Content-Security-Policy forbids inline scripts. Styles come from one embedded stylesheet, charts are inline SVG drawn on the
// server. The run report is
// the exception that proves the rule: it is the self-contained document of package reports,
// served with a policy that allows its inline style and nothing else.
//
//	s, err := web.New(web.Config{Store: store, BaseURL: "https://tiyan.example.gov.cn"})
//	if err != nil { … }
//	http.ListenAndServe(":8080", s)
package web

// Package web is tiyan's web UI for bureau staff, window units and officers: server-rendered
// pages in zh-CN over the findings store.
//
// This first cut is read-only: the findings inbox with filters and counts per status, a
// finding's page with its annotated screenshot, measured values, DOM excerpt and full history,
// the evidence blobs themselves, the list of runs and each run's report. Sign-in, roles and the
// loop's actions come next and slot in beside these pages.
//
// How it is laid out, so that it can grow:
//   - server.go: Config, New, the routes and the headers every response carries;
//   - render.go: the templates (one shared layout, one file per page group) and error pages;
//   - view.go: the small view-model layer that turns domain values into what templates print;
//   - findings.go (the inbox), finding.go (one finding), evidence.go, runs.go: the page groups,
//     each with its handlers and view types (and, for pages, a template of the same name).
//
// Pages carry no scripts yet, and the Content-Security-Policy forbids inline ones (scripts added
// later come as files from this origin); styles come from one embedded stylesheet. The run report is the exception that proves the rule: it is the
// self-contained document of package reports, served with a policy that allows its inline
// style and nothing else.
//
//	s, err := web.New(web.Config{Store: store, BaseURL: "https://tiyan.example.gov.cn"})
//	if err != nil { … }
//	http.ListenAndServe(":8080", s)
package web

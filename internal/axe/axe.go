// Package axe carries axe-core, Deque's accessibility rule engine, inside
// the tiyan binary and runs it in a browser session. The probes use it to
// check the portal's pages against WCAG 2.x A/AA, which China's web
// accessibility standard GB/T 37668-2019 is modelled on.
//
// axe.min.js is a committed copy of node_modules/axe-core/axe.min.js, so
// `go build` works on a clone without npm. package.json at the repository
// root pins the version; to upgrade, change the pin and run
//
//	npm install && go generate ./internal/axe
//
// then commit package.json, package-lock.json and axe.min.js together. The
// tests fail if the copy and node_modules disagree.
package axe

import (
	_ "embed"
	"regexp"
)

//go:generate cp ../../node_modules/axe-core/axe.min.js axe.min.js

//go:embed axe.min.js
var source string

// Source returns the JavaScript of axe-core, ready to evaluate in a page.
func Source() string { return source }

// versionRE finds the version in the license header, "/*! axe v4.14.1".
var versionRE = regexp.MustCompile(`^/\*! axe v(\d+\.\d+\.\d+\S*)`)

// Version returns the version of the embedded axe-core, such as "4.14.1",
// read from the file's header so it cannot drift from the code.
func Version() string {
	m := versionRE.FindStringSubmatch(source)
	if m == nil {
		return ""
	}
	return m[1]
}

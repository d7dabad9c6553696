// Package version reports which build of tiyan is running, so findings, reports and logs can
// name the prober that produced them.
package version

import (
	"runtime/debug"
	"strings"
)

// Version is set at link time (-ldflags "-X tiyan/internal/version.Version=v1.2.3"); when it is
// empty the VCS revision recorded by the Go toolchain is used.
var Version string

// String returns the version, the VCS revision when known, and whether the tree was modified.
func String() string {
	v := Version
	if v == "" {
		v = "dev"
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+modified"
			}
		}
	}
	parts := []string{v}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		parts = append(parts, rev+modified)
	}
	parts = append(parts, info.GoVersion)
	return strings.Join(parts, " ")
}

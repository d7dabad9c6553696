package config

import (
	"strings"
	"testing"
)

// tiyan.yaml is written by people: whatever the bytes, Parse returns a valid configuration or
// problems naming the file, never a panic. Seeds are in testdata/fuzz; run longer with
// go test -fuzz FuzzParse ./internal/config/.
func FuzzParse(f *testing.F) {
	f.Add([]byte("site:\n  catalogue: ssqd.xlsx\n  catalogue_headers:\n    承诺办结时限: [承诺期限]\nconcurrency: 4\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("tiyan.yaml", data, noEnv)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "tiyan.yaml") {
				t.Fatalf("a problem that does not name the file: %v", err)
			}
			return
		}
		if cfg.Concurrency < 1 || cfg.Concurrency > 16 || cfg.Location == nil || cfg.Site.Name == "" {
			t.Fatalf("an invalid configuration was accepted: %+v", cfg)
		}
	})
}

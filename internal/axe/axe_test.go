package axe_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"tiyan/internal/axe"
)

func TestVersion(t *testing.T) {
	if v := axe.Version(); !regexp.MustCompile(`^4\.\d+\.\d+$`).MatchString(v) {
		t.Errorf("Version() = %q, want a 4.x release", v)
	}
	if len(axe.Source()) < 100_000 {
		t.Errorf("Source() is %d bytes, want the whole of axe.min.js", len(axe.Source()))
	}
}

// TestEmbeddedMatchesNPM checks the committed copy is exactly the file npm
// installed from the pinned version, so nobody edits one and forgets the
// other.
func TestEmbeddedMatchesNPM(t *testing.T) {
	root := filepath.Join("..", "..")
	installed, err := os.ReadFile(filepath.Join(root, "node_modules", "axe-core", "axe.min.js"))
	if os.IsNotExist(err) {
		if os.Getenv("CI") != "" {
			t.Fatal("node_modules/axe-core missing in CI: run npm ci before go test")
		}
		t.Skip("node_modules/axe-core not installed (run npm ci to compare the embedded copy)")
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(installed, []byte(axe.Source())) {
		t.Error("internal/axe/axe.min.js differs from node_modules/axe-core/axe.min.js: run go generate ./internal/axe")
	}
	if locked := lockedVersion(t, root); locked != axe.Version() {
		t.Errorf("package-lock.json pins axe-core %s, embedded copy is %s", locked, axe.Version())
	}
}

func lockedVersion(t *testing.T, root string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(data, &lock); err != nil {
		t.Fatalf("package-lock.json: %v", err)
	}
	return lock.Packages["node_modules/axe-core"].Version
}

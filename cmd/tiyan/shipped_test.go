package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDemoOutsideTheCheckout builds the binary and runs the demo in an empty folder: with the
// site profile and scenarios it carries, it reaches the end of a sweep of the simulator.
func TestDemoOutsideTheCheckout(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs Chromium")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "tiyan")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	work := filepath.Join(dir, "elsewhere")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "demo", "--exit-after-sweep", "--limit", "1", "--concurrency", "1",
		"--addr", "127.0.0.1:0", "--sim-addr", "127.0.0.1:0")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "TIYAN_DATABASE_URL=sqlite:"+filepath.Join(work, "tiyan.db"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("tiyan demo: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "体验完成") {
		t.Errorf("the demo did not finish a sweep:\n%s", stdout.String())
	}
	for _, dir := range []string{"scenarios/sites", "scenarios/wanshitong"} {
		if !strings.Contains(stderr.String(), "使用程序内置的副本") || !strings.Contains(stderr.String(), "folder="+dir) {
			t.Errorf("the log does not say %s is the built-in copy:\n%s", dir, stderr.String())
		}
	}
	if _, err := os.Stat(filepath.Join(work, "tiyan.db")); err != nil {
		t.Errorf("no store in the working folder: %v", err)
	}
}

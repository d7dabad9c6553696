package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot runs a test from the repository root, where scenarios/ lives.
func repoRoot(t *testing.T) {
	t.Helper()
	t.Chdir(filepath.Join("..", ".."))
}

func TestValidateRepositoryScenarios(t *testing.T) {
	repoRoot(t)
	out, err := run(t, "scenarios", "validate", "scenarios/")
	if err != nil || !strings.Contains(out, "场景校验通过") {
		t.Fatalf("%s %v", out, err)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	repoRoot(t)
	dir := t.TempDir()
	bad := "id: copy\ntitle: 复制的场景\nsite: wanshitong\nitem: {code: \"11341500MB1234567X4000117001\"}\nsteps:\n  - open: item\n  - clik: {text: 在线办理}\n  - submit: {text: 提交}\n"
	if err := os.WriteFile(filepath.Join(dir, "NAME.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, "scenarios", "validate", dir)
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("exit: %v", err)
	}
	for _, want := range []string{"NAME.yaml:7:", "did you mean click", "NAME.yaml:8:", "sandbox: true"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

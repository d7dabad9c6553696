package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// run executes the tiyan command line in-process, as main does.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	err := cmd.ExecuteContext(ctx)
	return out.String(), err
}

func TestVersion(t *testing.T) {
	out, err := run(t, "version")
	if err != nil || !strings.HasPrefix(out, "tiyan ") {
		t.Fatalf("version: %q, %v", out, err)
	}
}

func TestHelpListsCommands(t *testing.T) {
	out, err := run(t, "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"version", "portalsim"} {
		if !strings.Contains(out, c) {
			t.Errorf("--help lacks %s", c)
		}
	}
}

func TestPortalsimBadInput(t *testing.T) {
	_, err := run(t, "portalsim", "--defects", "no-such-fixture.yaml")
	if err == nil || !strings.Contains(err.Error(), "none, seeded or a YAML fixture") {
		t.Errorf("missing fixture: %v", err)
	}
	if _, err := run(t, "portalsim", "--items", "many"); err == nil {
		t.Error("--items many accepted")
	}
	if _, err := run(t, "portalsim", "catalogue", "--format", "xml"); err == nil || exitCode(err) != 1 {
		t.Errorf("--format xml: %v", err)
	}
}

func TestPortalsimCatalogueFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ssqd.csv")
	if _, err := run(t, "portalsim", "catalogue", "--format", "csv", "--out", path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(data, []byte("\ufeff六安市政务服务事项实施清单\r\n事项编码")) || bytes.Count(data, []byte("\n")) < 41 {
		t.Fatalf("catalogue file: %v, %.80q", err, data)
	}
}

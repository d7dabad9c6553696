package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDatabaseOrder: the flag, then TIYAN_DATABASE_URL, then the file's database:, then the
// default — and the file is read only when it decides.
func TestDatabaseOrder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tiyan.yaml")
	if err := os.WriteFile(file, []byte("database: postgres://file@db/tiyan\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.yaml")
	if err := os.WriteFile(broken, []byte("databse: sqlite:x.db\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := envOf(map[string]string{EnvDatabaseURL: "sqlite:env.db"})
	for _, c := range []struct {
		name, flag, file string
		env              func(string) (string, bool)
		url, from        string
	}{
		{"flag wins", "sqlite:flag.db", file, env, "sqlite:flag.db", FromFlag},
		{"flag without reading a broken file", "sqlite:flag.db", broken, noEnv, "sqlite:flag.db", FromFlag},
		{"environment over the file", "", file, env, "sqlite:env.db", FromEnv},
		{"environment without reading a broken file", "", broken, env, "sqlite:env.db", FromEnv},
		{"the file", "", file, noEnv, "postgres://file@db/tiyan", FromFile},
		{"no file: the default", "", filepath.Join(dir, "none.yaml"), noEnv, "", FromDefault},
	} {
		url, from, err := Database(c.flag, c.file, c.env)
		if err != nil || url != c.url || from != c.from {
			t.Errorf("%s: %q from %q, %v; want %q from %q", c.name, url, from, err, c.url, c.from)
		}
	}
	if _, _, err := Database("", broken, noEnv); err == nil || !strings.Contains(err.Error(), "broken.yaml") || !strings.Contains(err.Error(), "--database") {
		t.Errorf("a broken file that decides: %v", err)
	}
}

func TestConfigDatabaseURL(t *testing.T) {
	c := Config{Database: "postgres://cfg@db/tiyan"}
	if got := c.DatabaseURL(""); got != c.Database {
		t.Errorf("without a flag: %q", got)
	}
	if got := c.DatabaseURL("sqlite:flag.db"); got != "sqlite:flag.db" {
		t.Errorf("with a flag: %q", got)
	}
}

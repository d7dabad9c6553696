package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

func TestMigrate(t *testing.T) {
	onEachDatabase(t, func(t *testing.T, db string) {
		out := tiyan(t, db, "migrate")
		if !strings.Contains(out, "已升级到版本") || !strings.Contains(out, "0001_init.sql") {
			t.Errorf("first migrate: %q", out)
		}
		var m struct {
			Driver  string
			Applied []string
			Version int
		}
		if err := json.Unmarshal([]byte(tiyan(t, db, "migrate", "--format", "json")), &m); err != nil {
			t.Fatal(err)
		}
		want := "已升级到版本 " + strconv.Itoa(m.Version) + "，"
		if m.Version < 1 || !strings.Contains(out, want) || m.Applied == nil || len(m.Applied) != 0 || (m.Driver != "sqlite" && m.Driver != "postgres") {
			t.Errorf("migrate --format json after migrating = %+v; first migrate said %q", m, out)
		}
		if out := tiyan(t, db, "migrate"); !strings.Contains(out, "已是最新，版本 "+strconv.Itoa(m.Version)) {
			t.Errorf("second migrate: %q", out)
		}
	})
}

func TestMigrateBadURL(t *testing.T) {
	_, err := run(t, "--database", "sqlite:", "migrate")
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "无法识别") {
		t.Errorf("sqlite: without a path: %v", err)
	}
}

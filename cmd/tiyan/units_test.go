package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnits(t *testing.T) {
	onEachDatabase(t, func(t *testing.T, db string) {
		if out := tiyan(t, db, "units", "list"); !strings.Contains(out, "还没有单位") {
			t.Errorf("empty list: %q", out)
		}
		out := tiyan(t, db, "units", "add", "舒城县政务服务中心", "--jurisdiction", "341523", "--slack-channel", "#shucheng")
		if !strings.Contains(out, "已添加单位 #1：舒城县政务服务中心") {
			t.Errorf("add said %q", out)
		}
		tiyan(t, db, "units", "add", "六安市数据资源局", "--jurisdiction", "341500000000")
		err := tiyanFails(t, db, "units", "add", "舒城县政务服务中心")
		if exitCode(err) != 1 || !strings.Contains(err.Error(), "已存在") {
			t.Errorf("duplicate unit: exit %d, %v", exitCode(err), err)
		}
		if err := tiyanFails(t, db, "units", "add", "某单位", "--jurisdiction", "3415"); exitCode(err) != 2 {
			t.Errorf("bad zone: exit %d, %v", exitCode(err), err)
		}
		table := tiyan(t, db, "units", "list")
		for _, want := range []string{"舒城县 341523", "#shucheng", "六安市 341500000000"} {
			if !strings.Contains(table, want) {
				t.Errorf("list lacks %q:\n%s", want, table)
			}
		}
		var units []struct {
			ID                 int64
			Name, Jurisdiction string
			SlackChannel       string `json:"slack_channel"`
		}
		if err := json.Unmarshal([]byte(tiyan(t, db, "units", "list", "--format", "json")), &units); err != nil {
			t.Fatal(err)
		}
		if len(units) != 2 || units[0].Name != "舒城县政务服务中心" || units[0].SlackChannel != "#shucheng" || units[1].Jurisdiction != "341500000000" {
			t.Errorf("units = %+v", units)
		}
	})
}

func TestUnitsEmptyJSON(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "tiyan.db")
	if out := tiyan(t, db, "units", "list", "--format", "json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("empty list as JSON = %q", out)
	}
}

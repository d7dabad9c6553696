package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestActivities(t *testing.T) {
	onEachDatabase(t, func(t *testing.T, db string) {
		tiyan(t, db, "officers", "add", "陈静", "--category", "市场主体")
		tiyan(t, db, "officers", "add", "赵磊", "--category", "公职人员")
		out := tiyan(t, db, "activities", "add", "--date", "2026-05-20", "--mode", "集中", "--form", "线下",
			"--title", "市政务服务中心集中体验", "--officer", "赵磊", "--officer", "1")
		if !strings.Contains(out, "已记录体验活动 #1：2026-05-20 集中线下体验，参与 2 人") {
			t.Errorf("add said %q", out)
		}
		tiyan(t, db, "activities", "add", "--date", "2026-06-02", "--mode", "individual", "--form", "survey", "--officer", "陈静")
		for _, args := range [][]string{
			{"activities", "add", "--mode", "集中", "--form", "线下"},
			{"activities", "add", "--date", "2026-06-02", "--mode", "团体", "--form", "线下"},
			{"activities", "add", "--date", "2026-06-02", "--mode", "集中", "--form", "电话"},
		} {
			if err := tiyanFails(t, db, args...); exitCode(err) != 2 {
				t.Errorf("%v: exit %d, %v", args, exitCode(err), err)
			}
		}
		if err := tiyanFails(t, db, "activities", "add", "--date", "2026-06-02", "--mode", "集中", "--form", "线下", "--officer", "99"); exitCode(err) != 1 {
			t.Errorf("unknown officer: %v", err)
		}
		table := tiyan(t, db, "activities", "list")
		if !strings.Contains(table, "赵磊、陈静") || !strings.Contains(table, "民意调查") {
			t.Errorf("list:\n%s", table)
		}
		var acts []struct {
			ID               int64
			Mode, Form       string
			ParticipantNames []string `json:"participant_names"`
		}
		if err := json.Unmarshal([]byte(tiyan(t, db, "activities", "list", "--from", "2026-06-01", "--format", "json")), &acts); err != nil {
			t.Fatal(err)
		}
		if len(acts) != 1 || acts[0].Mode != "individual" || acts[0].Form != "survey" || fmt.Sprint(acts[0].ParticipantNames) != "[陈静]" {
			t.Errorf("June activities = %+v", acts)
		}
		if out := tiyan(t, db, "activities", "list", "--officer", "赵磊", "--format", "json"); !strings.Contains(out, "市政务服务中心集中体验") || strings.Contains(out, "2026-06-02") {
			t.Errorf("activities of 赵磊: %s", out)
		}
		id := reportID(t, db, "--title", "叫号机故障", "--category", "channel", "--severity", "major", "--channel", "offline", "--officer", "赵磊", "--activity", "1")
		if f := show(t, db, id); f.Channel != "offline" || f.Events[0].Actor != "赵磊" {
			t.Errorf("report in an activity: %+v", f)
		}
		if err := tiyanFails(t, db, "findings", "report", "--title", "x", "--category", "service", "--severity", "minor", "--activity", "99"); exitCode(err) != 1 {
			t.Errorf("unknown activity: %v", err)
		}
	})
}

func TestActivitiesEmpty(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "tiyan.db")
	if out := tiyan(t, db, "activities", "list"); !strings.Contains(out, "没有体验活动") {
		t.Errorf("empty list: %q", out)
	}
}

package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
)

func TestOfficers(t *testing.T) {
	onEachDatabase(t, func(t *testing.T, db string) {
		out := tiyan(t, db, "officers", "add", "张敏", "--category", "新闻宣传", "--term-start", "2026-03-01", "--organization", "六安日报社")
		if !strings.Contains(out, "聘期 2026-03-01 至 2027-02-28，年度考核 2027-02-28") {
			t.Errorf("add said %q", out)
		}
		tiyan(t, db, "officers", "add", "刘洋", "--category", "citizen")
		if err := tiyanFails(t, db, "officers", "add", "王五", "--category", "记者"); exitCode(err) != 2 || !strings.Contains(err.Error(), "市民群众") {
			t.Errorf("bad category: exit %d, %v", exitCode(err), err)
		}
		if err := tiyanFails(t, db, "officers", "add", "王五", "--category", "citizen", "--term-start", "2026/03/01"); exitCode(err) != 2 {
			t.Errorf("bad date: exit %d, %v", exitCode(err), err)
		}
		if out := tiyan(t, db, "officers", "dismiss", "张敏", "--reason", "本人申请"); !strings.Contains(out, "已解聘体验官 #1：张敏") {
			t.Errorf("dismiss said %q", out)
		}
		if err := tiyanFails(t, db, "officers", "dismiss", "1"); exitCode(err) != 1 || !strings.Contains(err.Error(), "已于") {
			t.Errorf("dismiss twice: %v", err)
		}
		if err := tiyanFails(t, db, "officers", "dismiss", "不存在"); exitCode(err) != 1 {
			t.Errorf("dismiss nobody: %v", err)
		}
		if table := tiyan(t, db, "officers", "list"); strings.Contains(table, "张敏") || !strings.Contains(table, "刘洋") {
			t.Errorf("active officers:\n%s", table)
		}
		var all []struct {
			Name, Category, Status string
			Reason                 string `json:"dismiss_reason"`
		}
		if err := json.Unmarshal([]byte(tiyan(t, db, "officers", "list", "--all", "--format", "json")), &all); err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 || all[0].Status != "dismissed" || all[0].Reason != "本人申请" || all[1].Category != "citizen" {
			t.Errorf("all officers = %+v", all)
		}
		// A dismissed officer cannot report any more.
		err := tiyanFails(t, db, "findings", "report", "--title", "x", "--category", "service", "--severity", "minor", "--officer", "1")
		if exitCode(err) != 1 || !strings.Contains(err.Error(), "已解聘") {
			t.Errorf("report by a dismissed officer: %v", err)
		}
	})
}

func TestOfficersSameName(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "tiyan.db")
	tiyan(t, db, "officers", "add", "李娜", "--category", "business")
	tiyan(t, db, "officers", "add", "李娜", "--category", "official")
	err := tiyanFails(t, db, "findings", "report", "--title", "x", "--category", "service", "--severity", "minor", "--officer", "李娜")
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "#1、#2") {
		t.Errorf("ambiguous officer: %v", err)
	}
	tiyan(t, db, "officers", "dismiss", "1")
	out := tiyan(t, db, "findings", "report", "--title", "x", "--category", "service", "--severity", "minor", "--officer", "李娜", "--format", "json")
	var r struct{ ID int64 }
	if json.Unmarshal([]byte(out), &r); r.ID == 0 {
		t.Fatalf("report: %s", out)
	}
	if f := show(t, db, r.ID); f.Events[0].Actor != "李娜" {
		t.Errorf("actor = %q", f.Events[0].Actor)
	}
}

// TestOfficerDismissalDisablesAccount: dismissing an officer (解聘) disables the officer's
// account at once: its password no longer signs in, and its session and API token open nothing.
func TestOfficerDismissalDisablesAccount(t *testing.T) {
	onEachDatabase(t, func(t *testing.T, db string) {
		tiyan(t, db, "officers", "add", "王芳", "--category", "citizen")
		tiyan(t, db, "users", "add", "wangfang", "--role", "officer", "--officer", "王芳")
		token := strings.TrimSpace(tiyan(t, db, "users", "token", "wangfang"))
		u, us := userOf(t, db, "wangfang")
		secret, hash := auth.NewToken()
		if err := us.CreateToken(t.Context(), finding.Token{Hash: hash, UserID: u.ID, Kind: finding.TokenSession, Expires: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		out := tiyan(t, db, "officers", "dismiss", "王芳", "--reason", "考核不合格")
		if !strings.Contains(out, "已停用其账号 wangfang") {
			t.Errorf("dismiss said %q", out)
		}
		if u, _ := userOf(t, db, "wangfang"); !u.Disabled {
			t.Error("the dismissed officer's account is still enabled")
		}
		if _, err := us.TokenUser(t.Context(), auth.HashToken(token), finding.TokenAPI, time.Now()); err == nil {
			t.Error("the dismissed officer's API token still works")
		}
		if _, err := us.TokenUser(t.Context(), auth.HashToken(secret), finding.TokenSession, time.Now()); err == nil {
			t.Error("the dismissed officer's session still works")
		}
	})
}

package main

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/loop"
	"tiyan/internal/store"
)

// reportPNG is a valid 1×1 PNG, standing in for an annotated screenshot.
const reportPNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAADklEQVR4nGI6AQgAAP//AM4AyztYcJ8AAAAASUVORK5CYII="

// seedRun files a finished PC sweep with two findings, one with a screenshot, into the SQLite
// database db through the store and the loop, as a sweep does, and returns the run's ID.
func seedRun(t *testing.T, db string) string {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l, err := loop.New(loop.Config{Store: s})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(-time.Hour)
	run, err := s.CreateRun(ctx, finding.Run{Kind: finding.RunSweep, Site: "皖事通办", Channels: []string{"pc"}, Started: start, Total: 2})
	if err != nil {
		t.Fatal(err)
	}
	png, _ := base64.StdEncoding.DecodeString(reportPNG)
	sighting := func(rule, title, item string, cat finding.Category, sev finding.Severity) finding.Sighting {
		return finding.Sighting{Rule: rule, Title: title, Category: cat, Severity: sev, ItemCode: item, ItemName: "个体工商户设立登记",
			Unit: "六安市市场监督管理局", Jurisdiction: "341500", Channel: finding.PC, URL: "https://www.ahzwfw.gov.cn/bog-bsdt/" + item,
			RunID: run.ID, SeenAt: start.Add(time.Minute)}
	}
	down := sighting("CHANNEL-HTTP-ERROR", "页面返回 HTTP 500", "11341500MB1234567X4000117001", finding.CatChannel, finding.Blocker)
	down.Evidence = []finding.Evidence{{Kind: finding.EvidenceScreenshot, Name: "screenshot.png", ContentType: "image/png", Data: png}}
	guide := sighting("GUIDE-ELEMENT-MISSING", "办事指南缺少“收费标准”", "11341500MB1234567X4000117002", finding.CatGuide, finding.Major)
	if _, err := l.Ingest(ctx, []finding.Sighting{down, guide}); err != nil {
		t.Fatal(err)
	}
	run.Status, run.Finished, run.Done, run.Findings = finding.RunDone, start.Add(5*time.Minute), 2, 2
	run.Errors = []string{"11341500MB1234567X4000117003 pc guide：context deadline exceeded"}
	if err := s.UpdateRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	return run.ID
}

func TestReportRun(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "tiyan.db")
	id := seedRun(t, db)
	path := filepath.Join(t.TempDir(), "sweep.html")
	out := tiyan(t, db, "report", "run", id, "--out", path, "--base-url", "https://tiyan.example.gov.cn")
	if !strings.Contains(out, "已生成运行 "+id+" 的体验报告："+path+"（问题 2 个，截图 1 张）") {
		t.Errorf("report run said %q", out)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	for _, want := range []string{
		`<html lang="zh-CN">`, id, "页面返回 HTTP 500", "办事指南缺少“收费标准”", "六安市市场监督管理局",
		`src="data:image/png;base64,` + reportPNG, `href="https://tiyan.example.gov.cn/findings/`,
		"2 个，其中本次新发现 2 个", "context deadline exceeded", "50.0%",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// TestReportRunDefaultName writes run-ID.html in the current directory.
func TestReportRunDefaultName(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "tiyan.db")
	id := seedRun(t, db)
	dir := t.TempDir()
	t.Chdir(dir)
	tiyan(t, db, "report", "run", id)
	if _, err := os.Stat(filepath.Join(dir, "run-"+id+".html")); err != nil {
		t.Fatal(err)
	}
	if stdout := tiyan(t, db, "report", "run", id, "--out", "-"); !strings.HasPrefix(stdout, "<!DOCTYPE html>") {
		t.Errorf("--out - wrote %.60q", stdout)
	}
}

func TestReportRunUnknown(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "tiyan.db")
	seedRun(t, db)
	t.Chdir(t.TempDir())
	err := tiyanFails(t, db, "report", "run", "20990101-000000-000000")
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "运行 20990101-000000-000000 不存在，请核对运行编号") {
		t.Errorf("unknown run: exit %d, %v", exitCode(err), err)
	}
	if _, statErr := os.Stat("run-20990101-000000-000000.html"); statErr == nil {
		t.Error("a report file was written for an unknown run")
	}
	if err := tiyanFails(t, db, "report", "run"); exitCode(err) != 2 || !strings.Contains(err.Error(), "请给出一个运行编号") {
		t.Errorf("no ID: exit %d, %v", exitCode(err), err)
	}
}

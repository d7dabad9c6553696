package notify_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tiyan/internal/finding"
	"tiyan/internal/notify"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update to accept):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func text(m notify.Message) string { return m.Title + "\n" + m.Text + "\n" }

// problem is a finding of run, first seen offset after t0.
func problem(id int64, offset time.Duration, cat finding.Category, sev finding.Severity, item, unit, title string) finding.Finding {
	return finding.Finding{ID: id, Kind: finding.Problem, Status: finding.Found, Category: cat, Severity: sev,
		ItemName: item, Unit: unit, Channel: finding.H5, Title: title, FirstSeen: t0.Add(offset),
		Detail: "申请人 张三 手机 13912345678", URL: "https://www.ahzwfw.gov.cn/x?ticket=ST-123-secret"}
}

func TestDigestMessage(t *testing.T) {
	run := finding.Run{ID: "20260930-010000-cccccc", Kind: finding.RunSweep, Status: finding.RunDone, Channels: []string{"pc", "h5"},
		Started: t0, Finished: t0.Add(75 * time.Minute), Total: 600, Done: 598,
		Errors: []string{"a", "b"}}
	recurred := problem(9, time.Minute, finding.CatGuide, finding.Major, "食品经营许可", "六安市市场监督管理局", "收费标准与实施清单不一致")
	recurred.RecurrenceOf = 4
	dismissed := problem(10, time.Minute, finding.CatLayout, finding.Minor, "x", "y", "误报")
	dismissed.Status = finding.Dismissed
	praise := problem(11, time.Minute, finding.CatGuide, finding.Advice, "x", "y", "指南清晰")
	praise.Kind = finding.Praise
	fs := []finding.Finding{
		problem(1, -48*time.Hour, finding.CatLayout, finding.Minor, "个体工商户设立登记", "六安市市场监督管理局", "页面横向溢出"),
		problem(7, time.Minute, finding.CatChannel, finding.Blocker, "城乡居民养老保险参保登记", "六安市人力资源和社会保障局", "在线办理入口打不开"),
		problem(8, 2*time.Minute, finding.CatGuide, finding.Minor, "个体工商户设立登记", "六安市市场监督管理局", "材料 <营业执照> 缺少样表"),
		recurred, dismissed, praise,
	}
	m := notify.DigestMessage(run, fs)
	if m.Key != "digest:run:"+run.ID || m.Kind != notify.KindDigest || m.RunID != run.ID {
		t.Errorf("message = %+v", m)
	}
	if got := m.Findings; len(got) != 4 || got[0] != 7 || got[1] != 8 || got[2] != 9 || got[3] != 4 {
		t.Errorf("findings = %v, want the new ones by severity, then the recurrence and its original", got)
	}
	checkClean(t, "digest", text(m))
	golden(t, "digest.txt", text(m))

	quiet := notify.DigestMessage(finding.Run{ID: "r", Kind: finding.RunScenario, Status: finding.RunDone, Started: t0}, nil)
	if !strings.HasSuffix(quiet.Title, "未发现问题") {
		t.Errorf("quiet digest = %q", quiet.Title)
	}
}

func TestDigestListsCapped(t *testing.T) {
	var fs []finding.Finding
	for i := range 40 {
		fs = append(fs, problem(int64(i+1), time.Minute, finding.CatGuide, finding.Minor, "事项", "单位", "问题"))
	}
	m := notify.DigestMessage(finding.Run{ID: "r", Kind: finding.RunSweep, Status: finding.RunDone, Started: t0}, fs)
	if strings.Count(m.Text, "• ") != 15 || !strings.Contains(m.Text, "……另有 25 个，见运行页面") {
		t.Errorf("digest of 40 new findings:\n%s", m.Text)
	}
}

func TestOverdueMessage(t *testing.T) {
	unit := finding.Unit{ID: 3, Name: "裕安区政务服务中心", SlackChannel: "#yuan"}
	f := problem(12, -30*24*time.Hour, finding.CatService, finding.Major, "不动产登记", unit.Name, "窗口电话 0564-3379000 无人接听")
	f.Deadline = finding.EndOfDay(t0.Add(-5 * 24 * time.Hour))
	m := notify.OverdueMessage(unit, []finding.Finding{f}, t0)
	if m.Key != "overdue:2026-09-30:unit:3" || m.Channel != "#yuan" || m.UnitID != 3 || len(m.Findings) != 1 {
		t.Errorf("message = %+v", m)
	}
	checkClean(t, "overdue", text(m))
	golden(t, "overdue.txt", text(m))
}

func TestOpsMessage(t *testing.T) {
	if _, ok := notify.OpsMessage(finding.Run{ID: "r", Status: finding.RunDone}); ok {
		t.Error("an ops alert for a run without errors")
	}
	run := finding.Run{ID: "20260930-010000-dddddd", Kind: finding.RunSweep, Status: finding.RunFailed, Started: t0, Total: 10, Done: 4,
		Errors: []string{
			"11341500MB1234567X4000117001 h5 guide：打开 https://www.ahzwfw.gov.cn/bog-bsdt/static/workProcess.html?ticket=ST-999-secret#top 超时",
			"归档失败：database is locked\n  at ingest",
			"登录失败：账号 13812345678 / user@example.com",
		}}
	m, ok := notify.OpsMessage(run)
	if !ok || m.Key != "ops:run:"+run.ID || m.Kind != notify.KindOps {
		t.Fatalf("message = %+v, %v", m, ok)
	}
	checkClean(t, "ops", text(m))
	golden(t, "ops.txt", text(m))
}

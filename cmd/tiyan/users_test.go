package main

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
	"tiyan/internal/store"
)

// runIn executes the command line on db with stdin, as main does, and returns stdout, stderr
// and the error.
func runIn(t *testing.T, db, stdin string, args ...string) (string, string, error) {
	t.Helper()
	cmd := newRootCommand()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetArgs(append([]string{"--database", db}, args...))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := cmd.ExecuteContext(ctx)
	return out.String(), errOut.String(), err
}

// userOf reads a user and their store straight from the database.
func userOf(t *testing.T, db, name string) (finding.User, finding.UserStore) {
	t.Helper()
	s, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var us finding.UserStore = s
	u, err := us.UserByName(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u, us
}

func TestUsers(t *testing.T) {
	onEachDatabase(t, func(t *testing.T, db string) {
		if out := tiyan(t, db, "users", "list"); !strings.Contains(out, "还没有用户") {
			t.Errorf("empty list: %q", out)
		}
		tiyan(t, db, "units", "add", "金安区政务服务中心", "--jurisdiction", "341502")
		tiyan(t, db, "officers", "add", "王芳", "--category", "市民群众")

		// No password given and no terminal: one is generated, printed once, and works.
		out := tiyan(t, db, "users", "add", "admin", "--role", "admin")
		m := regexp.MustCompile(`初始密码：(\S+)`).FindStringSubmatch(out)
		if !strings.Contains(out, "已添加用户 #1：admin（管理员，全部）") || m == nil {
			t.Fatalf("add admin said %q", out)
		}
		if u, _ := userOf(t, db, "admin"); !auth.CheckPassword(u.PasswordHash, m[1]) {
			t.Error("the printed password does not sign in")
		}

		stdout, _, err := runIn(t, db, "li-qiang-secret\n", "users", "add", "liqiang", "--role", "工作人员", "--jurisdiction", "341500",
			"--display-name", "李强", "--password-stdin")
		if err != nil || !strings.Contains(stdout, "已添加用户 #2：liqiang（工作人员，管辖 六安市 341500 及下级）") || strings.Contains(stdout, "密码") {
			t.Fatalf("add staff: %v %q", err, stdout)
		}
		if u, _ := userOf(t, db, "liqiang"); !auth.CheckPassword(u.PasswordHash, "li-qiang-secret") || u.Actor() != "李强" {
			t.Errorf("staff user %+v", u)
		}
		tiyan(t, db, "users", "add", "jinan", "--role", "unit", "--unit", "金安区政务服务中心")
		out = tiyan(t, db, "users", "add", "wangfang", "--role", "officer", "--display-name", "王芳")
		if !strings.Contains(out, "体验官，体验官 王芳") {
			t.Errorf("add officer said %q", out)
		}

		table := tiyan(t, db, "users", "list")
		for _, want := range []string{"admin", "李强", "窗口单位  单位 金安区政务服务中心", "体验官 王芳", "正常"} {
			if !strings.Contains(table, want) {
				t.Errorf("list lacks %q:\n%s", want, table)
			}
		}
		var users []map[string]any
		if err := json.Unmarshal([]byte(tiyan(t, db, "users", "list", "--format", "json")), &users); err != nil {
			t.Fatal(err)
		}
		if len(users) != 4 || users[2]["unit"] != "金安区政务服务中心" || strings.Contains(tiyan(t, db, "users", "list", "--format", "json"), "$2a$") {
			t.Errorf("users as JSON: %v", users)
		}
	})
}

func TestUsersRefused(t *testing.T) {
	onEachDatabase(t, func(t *testing.T, db string) {
		tiyan(t, db, "users", "add", "admin", "--role", "admin")
		for _, c := range []struct {
			args []string
			code int
			want string
		}{
			{[]string{"users", "add", "admin", "--role", "admin"}, 1, "用户名“admin”已被使用"},
			{[]string{"users", "add", "x", "--role", "root"}, 2, "角色 \"root\" 无法识别"},
			{[]string{"users", "add", "x", "--role", "staff"}, 2, "须指定管辖的行政区划"},
			{[]string{"users", "add", "x", "--role", "staff", "--jurisdiction", "3415"}, 2, "应为 6 位或 12 位数字"},
			{[]string{"users", "add", "x", "--role", "unit"}, 2, "须指定所属单位"},
			{[]string{"users", "add", "x", "--role", "unit", "--unit", "没有的单位"}, 1, "没有名为“没有的单位”的单位"},
			{[]string{"users", "add", "x", "--role", "officer"}, 2, "须关联一位在聘的体验官"},
			{[]string{"users", "add", "x", "--role", "admin", "--unit", "1"}, 2, "--unit 只用于窗口单位账号"},
			{[]string{"users", "token", "nobody"}, 1, "没有名为“nobody”的用户"},
			{[]string{"users", "token", "admin", "--ttl", "10m"}, 2, "令牌有效期应在 1 小时到 366 天之间"},
			{[]string{"users", "token", "admin", "--ttl", "9000h"}, 2, "令牌有效期应在 1 小时到 366 天之间"},
		} {
			err := tiyanFails(t, db, c.args...)
			if exitCode(err) != c.code || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: exit %d, %v; want %d with %q", strings.Join(c.args, " "), exitCode(err), err, c.code, c.want)
			}
		}
		for pw, want := range map[string]string{
			"tiyan-admin":      "密码至少 12 个字符",
			"Password@2026":    "这个密码太常见",
			"1qaz2wsx3edc":     "这个密码太常见",
			"wangfang-account": "密码不能与用户名相同",
		} {
			if _, _, err := runIn(t, db, pw+"\n", "users", "add", "wangfang-account", "--role", "admin", "--password-stdin"); exitCode(err) != 2 || !strings.Contains(err.Error(), want) {
				t.Errorf("password %q: %v, want %q", pw, err, want)
			}
		}
		if err := tiyanFails(t, db, "users", "add", "x", "--role", "staff", "--jurisdiction", "999999"); exitCode(err) != 2 || !strings.Contains(err.Error(), "不是已知的辖区") {
			t.Errorf("unknown jurisdiction: %v", err)
		}
		tiyan(t, db, "users", "add", "jinan", "--role", "staff", "--jurisdiction", "341502")
		tiyan(t, db, "units", "add", "合肥市数据资源局", "--jurisdiction", "340100")
		tiyan(t, db, "users", "add", "hefei", "--role", "staff", "--jurisdiction", "340100000000")
	})
}

func TestUsersTokenPasswdDisable(t *testing.T) {
	onEachDatabase(t, func(t *testing.T, db string) {
		tiyan(t, db, "users", "add", "admin", "--role", "admin")
		token, hint, err := runIn(t, db, "", "users", "token", "admin")
		token = strings.TrimSpace(token)
		if err != nil || len(token) < 40 || !strings.Contains(hint, "只显示这一次") {
			t.Fatalf("token: %v %q %q", err, token, hint)
		}
		u, us := userOf(t, db, "admin")
		if got, err := us.TokenUser(t.Context(), auth.HashToken(token), finding.TokenAPI, time.Now()); err != nil || got.ID != u.ID {
			t.Fatalf("the printed token: %v", err)
		}

		// A new password signs the user out everywhere.
		secret, hash := auth.NewToken()
		if err := us.CreateToken(t.Context(), finding.Token{Hash: hash, UserID: u.ID, Kind: finding.TokenSession, Expires: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		out, _, err := runIn(t, db, "a-new-password\n", "users", "passwd", "admin", "--password-stdin")
		if err != nil || !strings.Contains(out, "已重设 admin 的密码") {
			t.Fatalf("passwd: %v %q", err, out)
		}
		if u, _ := userOf(t, db, "admin"); !auth.CheckPassword(u.PasswordHash, "a-new-password") {
			t.Error("the new password does not sign in")
		}
		if _, err := us.TokenUser(t.Context(), auth.HashToken(secret), finding.TokenSession, time.Now()); err == nil {
			t.Error("a session survived the new password")
		}
		if _, err := us.TokenUser(t.Context(), auth.HashToken(token), finding.TokenAPI, time.Now()); err == nil {
			t.Error("an API token survived the new password")
		}
		token = strings.TrimSpace(tiyan(t, db, "users", "token", "admin"))

		if out := tiyan(t, db, "users", "disable", "admin"); !strings.Contains(out, "已停用用户 admin") {
			t.Errorf("disable said %q", out)
		}
		if _, err := us.TokenUser(t.Context(), auth.HashToken(token), finding.TokenAPI, time.Now()); err == nil {
			t.Error("a disabled user's API token still works")
		}
		tiyan(t, db, "users", "disable", "admin", "--enable")
		if out := tiyan(t, db, "users", "token", "admin", "--revoke"); !strings.Contains(out, "已吊销 admin 的 1 个接口令牌") {
			t.Errorf("revoke said %q", out)
		}
		if _, err := us.TokenUser(t.Context(), auth.HashToken(token), finding.TokenAPI, time.Now()); err == nil {
			t.Error("a revoked token still works")
		}
	})
}

// TestUsersTokenExpiry: a token lasts --ttl (90 days by default), --list shows when each
// expires, and an expired token opens nothing and says so.
func TestUsersTokenExpiry(t *testing.T) {
	onEachDatabase(t, func(t *testing.T, db string) {
		tiyan(t, db, "users", "add", "robot", "--role", "admin")
		short, hint, err := runIn(t, db, "", "users", "token", "robot", "--ttl", "720h", "--note", "省平台数据对接")
		if err != nil || !strings.Contains(hint, "有效期至 "+finding.FormatTime(time.Now().Add(720 * time.Hour))[:10]) {
			t.Fatalf("token --ttl 720h: %v %q", err, hint)
		}
		tiyan(t, db, "users", "token", "robot")
		var list []struct {
			ID, Note         string
			Created, Expires time.Time
			Expired          bool
		}
		if err := json.Unmarshal([]byte(tiyan(t, db, "users", "token", "robot", "--list", "--format", "json")), &list); err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 {
			t.Fatalf("listed %d tokens, want 2", len(list))
		}
		days := func(i int) float64 { return list[i].Expires.Sub(list[i].Created).Hours() / 24 }
		if list[1].Note != "省平台数据对接" || days(1) != 30 || days(0) != 90 || list[0].Expired {
			t.Errorf("tokens listed as %+v", list)
		}
		if out := tiyan(t, db, "users", "token", "robot", "--list"); !strings.Contains(out, "有效期至") || !strings.Contains(out, "省平台数据对接") {
			t.Errorf("token --list printed:\n%s", out)
		}
		_, us := userOf(t, db, "robot")
		_, err = us.TokenUser(t.Context(), auth.HashToken(strings.TrimSpace(short)), finding.TokenAPI, time.Now().Add(721*time.Hour))
		if finding.ErrorCode(err) != finding.EUNAUTHORIZED || !strings.Contains(finding.ErrorMessage(err), "过期") {
			t.Errorf("a token past its ttl: %v", err)
		}
	})
}

// TestUsersDemoAccounts: the demo's accounts come back with their known passwords however
// often the demo starts, and whatever was done to them meanwhile.
func TestUsersDemoAccounts(t *testing.T) {
	db := "sqlite:" + t.TempDir() + "/tiyan.db"
	s, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	accounts, err := ensureDemoUsers(t.Context(), s, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var us finding.UserStore = s
	u, _ := us.UserByName(t.Context(), "staff")
	u.Disabled, u.PasswordHash = true, "changed"
	if _, err := us.UpdateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	if accounts, err = ensureDemoUsers(t.Context(), s, time.Now()); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	printDemoAccounts(&out, accounts)
	for _, want := range []string{"admin    / tiyan-admin-demo", "staff    / tiyan-staff-demo", "unit     / tiyan-unit-demo", "officer  / tiyan-officer-demo", "窗口单位 · 六安市市场监督管理局"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo accounts lack %q:\n%s", want, out.String())
		}
	}
	all, _ := us.Users(t.Context())
	if len(all) != 4 {
		t.Errorf("%d demo users after two starts", len(all))
	}
	for _, a := range accounts {
		got, err := us.UserByName(t.Context(), a.user.Name)
		if err != nil || got.Disabled || !auth.CheckPassword(got.PasswordHash, a.password) || got.Role != a.user.Role {
			t.Errorf("demo account %s: %+v, %v", a.user.Name, got, err)
		}
	}
	officers, _ := s.Officers(t.Context(), finding.OfficerFilter{Name: demoOfficer})
	if len(officers) != 1 {
		t.Errorf("%d demo officers", len(officers))
	}
}

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
)

func newUsersCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Accounts of the web UI and the API: admin, staff, unit, officer",
		Long: `Accounts of the web UI and the JSON API. Roles:
  admin    管理员：everything
  staff    工作人员：triage, feed back, evaluate and read reports in --jurisdiction and below
  unit     窗口单位：sees and handles the findings fed back to --unit
  officer  体验官：files manual reports and praise, sees and evaluates their own (--officer)`,
	}
	cmd.SetFlagErrorFunc(cliFlagError)
	cmd.AddCommand(newUsersAddCommand(), newUsersListCommand(), newUsersTokenCommand(), newUsersPasswdCommand(), newUsersDisableCommand())
	return cmd
}

// userFlags are the flags of users add.
type userFlags struct {
	role, unit, jurisdiction, officer, displayName, format string
	passwordStdin                                          bool
}

func newUsersAddCommand() *cobra.Command {
	f := &userFlags{}
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add an account; prints a generated password unless one is given",
		Long: `Adds an account that signs in as NAME. The password comes from --password-stdin (the
first line of standard input), or is asked for at the terminal; left empty, or when standard
input is not a terminal, a random one is generated and printed once.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return addUser(cmd, strings.TrimSpace(args[0]), f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.role, "role", "", "admin|staff|unit|officer (or 管理员|工作人员|窗口单位|体验官)")
	fl.StringVar(&f.unit, "unit", "", "unit: the unit's ID or exact name")
	fl.StringVar(&f.jurisdiction, "jurisdiction", "", "staff: zone code, 6 or 12 digits (六安市 341500 sees 341502 金安区 too)")
	fl.StringVar(&f.officer, "officer", "", "officer: the officer's ID or exact name (default: the active officer named NAME or --display-name)")
	fl.StringVar(&f.displayName, "display-name", "", "the name events record, e.g. 李强 (default NAME)")
	fl.BoolVar(&f.passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	fl.StringVar(&f.format, "format", "table", "output: table or json")
	return cmd
}

func addUser(cmd *cobra.Command, name string, f *userFlags) error {
	if err := cliFormat(f.format); err != nil {
		return err
	}
	role, err := finding.ParseRole(f.role)
	if err != nil {
		return cliFail(err)
	}
	s, accounts, err := userAccounts(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	u := finding.User{Name: name, DisplayName: strings.TrimSpace(f.displayName), Role: role, Jurisdiction: strings.TrimSpace(f.jurisdiction)}
	if err := placeUser(cmd.Context(), s, &u, f); err != nil {
		return err
	}
	pw, err := readPassword(cmd, f.passwordStdin)
	if err != nil {
		return err
	}
	got, generated, err := accounts.Add(cmd.Context(), u, pw)
	if err != nil {
		return cliFail(err)
	}
	out := cmd.OutOrStdout()
	if f.format == "json" {
		return cliJSON(out, struct {
			finding.User
			Password string `json:"password,omitempty"`
		}{got, generated})
	}
	fmt.Fprintf(out, "已添加用户 #%d：%s（%s，%s）\n", got.ID, got.Name, got.Role.Label(), userScope(got))
	if generated != "" {
		fmt.Fprintf(out, "初始密码：%s\n（只显示这一次，请妥善转交本人。）\n", generated)
	}
	return nil
}

// placeUser checks and resolves what a role needs: a unit's unit, a staff member's
// jurisdiction, an officer's record.
func placeUser(ctx context.Context, s finding.Store, u *finding.User, f *userFlags) error {
	if u.Role != finding.RoleUnit && f.unit != "" || u.Role != finding.RoleOfficer && f.officer != "" ||
		u.Role != finding.RoleStaff && u.Jurisdiction != "" {
		return cliUsage("--unit 只用于窗口单位账号，--officer 只用于体验官账号，--jurisdiction 只用于工作人员账号")
	}
	switch u.Role {
	case finding.RoleUnit:
		if f.unit == "" {
			return cliUsage("窗口单位账号须指定所属单位（--unit 编号或名称，tiyan units list 列出所有单位）")
		}
		unit, err := resolveUnit(ctx, s, f.unit)
		if err != nil {
			return err
		}
		u.UnitID = unit.ID
	case finding.RoleStaff:
		if u.Jurisdiction == "" {
			return cliUsage("工作人员账号须指定管辖的行政区划（--jurisdiction，如六安市 341500、金安区 341502）")
		}
	case finding.RoleOfficer:
		o, err := accountOfficer(ctx, s, f.officer, u)
		if err != nil {
			return err
		}
		u.OfficerID = o.ID
	}
	return nil
}

// accountOfficer finds the officer an officer account belongs to: by --officer (ID or exact
// name), else the officer named as the account is (--display-name, then NAME). That the
// officer is in service, auth.Accounts.Add checks.
func accountOfficer(ctx context.Context, s finding.Store, ref string, u *finding.User) (finding.Officer, error) {
	var o finding.Officer
	var err error
	if ref = strings.TrimSpace(ref); ref != "" {
		o, err = resolveOfficer(ctx, s, ref)
	} else {
		err = cliUsage("体验官账号须关联一位在聘的体验官：用 --officer 编号或姓名指定（tiyan officers list），或先用 tiyan officers add 聘任")
		for _, name := range []string{u.DisplayName, u.Name} {
			if name == "" {
				continue
			}
			found, ferr := resolveOfficer(ctx, s, name)
			if finding.ErrorCode(ferr) == finding.ENOTFOUND {
				continue
			}
			o, err = found, ferr
			break
		}
	}
	return o, err
}

// userAccounts opens the command's store for managing accounts; the caller closes s.
func userAccounts(cmd *cobra.Command) (finding.Store, auth.Accounts, error) {
	s, err := dbOpen(cmd)
	if err != nil {
		return nil, auth.Accounts{}, err
	}
	a, err := auth.NewAccounts(s, nil)
	if err != nil {
		s.Close()
		return nil, a, err
	}
	return s, a, nil
}

// userStore opens the command's store as a finding.UserStore; the caller closes s.
func userStore(cmd *cobra.Command) (finding.Store, finding.UserStore, error) {
	s, err := dbOpen(cmd)
	if err != nil {
		return nil, nil, err
	}
	return s, s, nil
}

// readPassword reads a password from the first line of stdin (--password-stdin) or from the
// terminal, twice, without echo. An empty answer, or a stdin that is not a terminal, is "":
// auth.Accounts then generates one.
func readPassword(cmd *cobra.Command, fromStdin bool) (string, error) {
	in := cmd.InOrStdin()
	if fromStdin {
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", cliUsage("无法从标准输入读取密码：%v", err)
		}
		pw := strings.TrimRight(line, "\r\n")
		if pw == "" {
			return "", cliUsage("--password-stdin 读到的密码为空")
		}
		return pw, cliFail(auth.CheckPasswordRules(pw))
	}
	file, ok := in.(*os.File)
	if !ok || !term.IsTerminal(int(file.Fd())) {
		return "", nil
	}
	errOut := cmd.ErrOrStderr()
	fmt.Fprint(errOut, "密码（直接回车则自动生成）：")
	first, err := term.ReadPassword(int(file.Fd()))
	fmt.Fprintln(errOut)
	if err != nil {
		return "", cliUsage("无法读取密码：%v", err)
	}
	if len(first) == 0 {
		return "", nil
	}
	if err := auth.CheckPasswordRules(string(first)); err != nil {
		return "", cliFail(err)
	}
	fmt.Fprint(errOut, "再次输入密码：")
	again, err := term.ReadPassword(int(file.Fd()))
	fmt.Fprintln(errOut)
	if err != nil || string(again) != string(first) {
		return "", cliUsage("两次输入的密码不一致")
	}
	return string(first), nil
}

// userScope says what part of the findings a user sees.
func userScope(u finding.User) string {
	switch u.Role {
	case finding.RoleStaff:
		return "管辖 " + zoneLabel(u.Jurisdiction) + " 及下级"
	case finding.RoleUnit:
		return "单位 " + u.Unit
	case finding.RoleOfficer:
		return "体验官 " + u.Officer
	}
	return "全部"
}

func newUsersListCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the accounts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cliFormat(format); err != nil {
				return err
			}
			s, users, err := userStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			us, err := users.Users(cmd.Context())
			if err != nil {
				return cliFail(err)
			}
			if format == "json" {
				return cliJSON(cmd.OutOrStdout(), append([]finding.User{}, us...))
			}
			printUsers(cmd.OutOrStdout(), us)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	return cmd
}

func printUsers(w io.Writer, us []finding.User) {
	if len(us) == 0 {
		fmt.Fprintln(w, "还没有用户（tiyan users add 用户名 --role admin）")
		return
	}
	rows := make([][]string, len(us))
	for i, u := range us {
		state := "正常"
		if u.Disabled {
			state = "已停用"
		}
		last := "从未登录"
		if !u.LastSignIn.IsZero() {
			last = finding.FormatTime(u.LastSignIn)
		}
		rows[i] = []string{strconv.FormatInt(u.ID, 10), u.Name, u.Actor(), u.Role.Label(), userScope(u), state, finding.FormatDate(u.Created), last}
	}
	cliTable(w, []string{"编号", "用户名", "姓名", "角色", "范围", "状态", "创建日期", "最近登录"}, rows)
}

// userByName opens the store and finds a user; the caller closes s.
func userByName(cmd *cobra.Command, name string) (finding.Store, auth.Accounts, finding.User, error) {
	s, accounts, err := userAccounts(cmd)
	if err != nil {
		return nil, accounts, finding.User{}, err
	}
	u, err := s.UserByName(cmd.Context(), strings.TrimSpace(name))
	if err != nil {
		s.Close()
		return nil, accounts, u, cliFail(err)
	}
	return s, accounts, u, nil
}

// tokenFlags are the flags of users token.
type tokenFlags struct {
	revoke, list bool
	ttl          time.Duration
	note, format string
}

func newUsersTokenCommand() *cobra.Command {
	f := &tokenFlags{}
	cmd := &cobra.Command{
		Use:   "token NAME",
		Short: "Print a new API token for NAME (Authorization: Bearer …), list theirs, or revoke them",
		Long: `Prints a new API token for the account NAME: machines send it as "Authorization: Bearer
TOKEN" to the JSON API under /api/ (docs/api.md) and get what NAME may see and do. It is shown
once and expires after --ttl (default 2160h, 90 days; at most 8784h, 366 days). --list shows
NAME's API tokens with their expiry; --revoke removes every API token of NAME.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return userToken(cmd, args[0], f) },
	}
	fl := cmd.Flags()
	fl.DurationVar(&f.ttl, "ttl", auth.DefaultTokenTTL, "how long the new token lasts, e.g. 720h (30 days)")
	fl.StringVar(&f.note, "note", "", "what the token is for, shown in lists (e.g. 省平台数据对接)")
	fl.BoolVar(&f.list, "list", false, "list NAME's API tokens and when they expire instead")
	fl.BoolVar(&f.revoke, "revoke", false, "revoke every API token of NAME instead")
	fl.StringVar(&f.format, "format", "table", "output of --list: table or json")
	return cmd
}

func userToken(cmd *cobra.Command, name string, f *tokenFlags) error {
	if err := cliFormat(f.format); err != nil {
		return err
	}
	if f.list && f.revoke {
		return cliUsage("--list 和 --revoke 只能选一个")
	}
	s, accounts, u, err := userByName(cmd, name)
	if err != nil {
		return err
	}
	defer s.Close()
	out := cmd.OutOrStdout()
	switch {
	case f.list:
		tokens, err := accounts.Tokens(cmd.Context(), u)
		if err != nil {
			return cliFail(err)
		}
		return printTokens(out, u, tokens, f.format)
	case f.revoke:
		n, err := accounts.RevokeTokens(cmd.Context(), u)
		if err != nil {
			return cliFail(err)
		}
		fmt.Fprintf(out, "已吊销 %s 的 %d 个接口令牌\n", u.Name, n)
		return nil
	}
	secret, t, err := accounts.IssueToken(cmd.Context(), u, f.ttl, f.note)
	if err != nil {
		return cliFail(err)
	}
	fmt.Fprintln(out, secret)
	fmt.Fprintf(cmd.ErrOrStderr(), "以上是 %s（%s）的接口令牌，只显示这一次；有效期至 %s。tiyan users token %s --revoke 可吊销。\n",
		u.Name, u.Role.Label(), finding.FormatTime(t.Expires), u.Name)
	return nil
}

// tokenRow is one API token as --list --format json shows it.
type tokenRow struct {
	ID      string    `json:"id"`
	Note    string    `json:"note"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires,omitzero"`
	Expired bool      `json:"expired"`
}

func printTokens(w io.Writer, u finding.User, tokens []finding.Token, format string) error {
	now := time.Now()
	if format == "json" {
		rows := make([]tokenRow, len(tokens))
		for i, t := range tokens {
			rows[i] = tokenRow{ID: t.ID(), Note: t.Note, Created: t.Created, Expires: t.Expires, Expired: t.Expired(now)}
		}
		return cliJSON(w, rows)
	}
	if len(tokens) == 0 {
		fmt.Fprintf(w, "%s 没有接口令牌（tiyan users token %s 签发）\n", u.Name, u.Name)
		return nil
	}
	rows := make([][]string, len(tokens))
	for i, t := range tokens {
		rows[i] = []string{t.ID(), t.Note, finding.FormatTime(t.Created), tokenExpiry(t, now)}
	}
	cliTable(w, []string{"编号", "用途", "签发时间", "有效期至"}, rows)
	return nil
}

// tokenExpiry says until when a token lasts, or that it has expired.
func tokenExpiry(t finding.Token, now time.Time) string {
	switch {
	case t.Expires.IsZero():
		return "长期（吊销前有效）"
	case t.Expired(now):
		return finding.FormatTime(t.Expires) + "（已过期）"
	}
	return finding.FormatTime(t.Expires)
}

func newUsersPasswdCommand() *cobra.Command {
	var fromStdin bool
	cmd := &cobra.Command{
		Use:   "passwd NAME",
		Short: "Set a new password for NAME and sign them out everywhere",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, accounts, u, err := userByName(cmd, args[0])
			if err != nil {
				return err
			}
			defer s.Close()
			pw, err := readPassword(cmd, fromStdin)
			if err != nil {
				return err
			}
			generated, err := accounts.SetPassword(cmd.Context(), u, pw)
			if err != nil {
				return cliFail(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已重设 %s 的密码，其已登录的会话均已退出\n", u.Name)
			if generated != "" {
				fmt.Fprintf(cmd.OutOrStdout(), "新密码：%s\n（只显示这一次，请妥善转交本人。）\n", generated)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of standard input")
	return cmd
}

func newUsersDisableCommand() *cobra.Command {
	var enable bool
	cmd := &cobra.Command{
		Use:   "disable NAME",
		Short: "Disable NAME: no sign-in, sessions and API tokens stop working (--enable undoes it)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, accounts, u, err := userByName(cmd, args[0])
			if err != nil {
				return err
			}
			defer s.Close()
			if _, err := accounts.SetDisabled(cmd.Context(), u, !enable); err != nil {
				return cliFail(err)
			}
			if enable {
				fmt.Fprintf(cmd.OutOrStdout(), "已启用用户 %s\n", u.Name)
				return nil
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已停用用户 %s：不能再登录，会话已退出，接口令牌暂停使用\n", u.Name)
			return nil
		},
	}
	cmd.Flags().BoolVar(&enable, "enable", false, "enable NAME again instead")
	return cmd
}

// demoAccount is one account `tiyan demo` creates, with its known password.
type demoAccount struct {
	user     finding.User
	password string
	note     string
}

// demoUnit and demoOfficer are what the demo's unit and officer accounts belong to: the unit
// with the most items in the simulated portal, and an officer appointed for the demo.
const (
	demoUnit    = "六安市市场监督管理局"
	demoOfficer = "王芳"
)

// ensureDemoUsers creates the demo's accounts, one per role, or resets them to their known
// passwords: running the demo again never locks anyone out of it.
func ensureDemoUsers(ctx context.Context, s finding.Store, now time.Time) ([]demoAccount, error) {
	var users finding.UserStore = s
	units, err := s.EnsureUnits(ctx, []finding.Unit{{Name: demoUnit, Jurisdiction: "341500"}})
	if err != nil {
		return nil, err
	}
	officer, err := demoOfficerRecord(ctx, s, now)
	if err != nil {
		return nil, err
	}
	accounts := []demoAccount{
		{finding.User{Name: "admin", DisplayName: "系统管理员", Role: finding.RoleAdmin}, "tiyan-admin-demo", "全部"},
		{finding.User{Name: "staff", DisplayName: "李强", Role: finding.RoleStaff, Jurisdiction: "341500"}, "tiyan-staff-demo", "六安市及所辖县区"},
		{finding.User{Name: "unit", DisplayName: demoUnit, Role: finding.RoleUnit, UnitID: units[0].ID}, "tiyan-unit-demo", demoUnit + "（反馈后可见）"},
		{finding.User{Name: "officer", DisplayName: demoOfficer, Role: finding.RoleOfficer, OfficerID: officer.ID}, "tiyan-officer-demo", "本人报告"},
	}
	for i, a := range accounts {
		if accounts[i].user, err = ensureUser(ctx, users, a.user, a.password); err != nil {
			return nil, fmt.Errorf("demo account %s: %w", a.user.Name, err)
		}
	}
	return accounts, nil
}

// demoOfficerRecord returns the demo's officer, appointing them when no active officer of that
// name exists.
func demoOfficerRecord(ctx context.Context, s finding.Store, now time.Time) (finding.Officer, error) {
	found, err := s.Officers(ctx, finding.OfficerFilter{Name: demoOfficer, Status: finding.OfficerActive})
	if err != nil || len(found) > 0 {
		if len(found) > 0 {
			return found[0], nil
		}
		return finding.Officer{}, err
	}
	start, end, review := finding.TermFrom(now)
	return s.CreateOfficer(ctx, finding.Officer{Name: demoOfficer, Category: finding.OfficerCitizen, Organization: "演示",
		TermStart: start, TermEnd: end, ReviewOn: review})
}

// ensureUser creates u with password, or brings an existing account of that name back to it
// (role, scope and password), enabled.
func ensureUser(ctx context.Context, users finding.UserStore, u finding.User, password string) (finding.User, error) {
	old, err := users.UserByName(ctx, u.Name)
	switch {
	case finding.ErrorCode(err) == finding.ENOTFOUND:
		if u.PasswordHash, err = auth.HashPassword(password); err != nil {
			return u, err
		}
		return users.CreateUser(ctx, u)
	case err != nil:
		return u, err
	}
	u.ID, u.PasswordHash = old.ID, old.PasswordHash
	if !auth.CheckPassword(old.PasswordHash, password) {
		if u.PasswordHash, err = auth.HashPassword(password); err != nil {
			return u, err
		}
	}
	return users.UpdateUser(ctx, u)
}

// printDemoAccounts lists the demo's accounts for the person starting it.
func printDemoAccounts(w io.Writer, accounts []demoAccount) {
	fmt.Fprintln(w, "演示账号（用户名 / 密码 · 角色 · 可见范围）：")
	for _, a := range accounts {
		fmt.Fprintf(w, "  %-8s / %-18s · %s · %s\n", a.user.Name, a.password, a.user.Role.Label(), a.note)
	}
}

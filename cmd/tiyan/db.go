package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"tiyan/internal/config"
	"tiyan/internal/finding"
	"tiyan/internal/loop"
	"tiyan/internal/store"
	"tiyan/internal/upload"
)

// dbURL returns the database the command works on, by config.Database's one rule: --database,
// else TIYAN_DATABASE_URL, else database: in the command's --config file (./tiyan.yaml when it
// has no such flag or it is not given; a missing file is no error), else "" — the embedded
// default, sqlite:./data/tiyan.db.
func dbURL(cmd *cobra.Command) (string, error) {
	url, _, err := config.Database(dbFlag(cmd), dbConfigFile(cmd), os.LookupEnv)
	if err != nil {
		return "", &exitError{code: 1, err: err}
	}
	return url, nil
}

// dbFlag is --database when given, else "".
func dbFlag(cmd *cobra.Command) string {
	if f := cmd.Flag("database"); f != nil && f.Changed {
		return f.Value.String()
	}
	return ""
}

// dbConfigFile is the configuration file a command reads: its --config, else ./tiyan.yaml.
func dbConfigFile(cmd *cobra.Command) string {
	if f := cmd.Flags().Lookup("config"); f != nil {
		return f.Value.String()
	}
	return config.DefaultFile
}

// dbOpen opens the command's store; the caller closes it.
func dbOpen(cmd *cobra.Command) (*store.DB, error) {
	url, err := dbURL(cmd)
	if err != nil {
		return nil, err
	}
	s, err := store.Open(cmd.Context(), url)
	if err != nil {
		return nil, cliFail(err)
	}
	return s, nil
}

// dbLoop opens the command's store and a loop on it, with the calendar file named by --calendar
// (or TIYAN_CALENDAR) and warnings logged to stderr. close closes the store.
func dbLoop(cmd *cobra.Command, calendarFile string) (l *loop.Loop, closeStore func(), err error) {
	var cal *loop.Calendar
	if calendarFile != "" {
		if cal, err = loop.LoadCalendar(calendarFile); err != nil {
			return nil, nil, &exitError{code: 2, err: err}
		}
	}
	s, err := dbOpen(cmd)
	if err != nil {
		return nil, nil, err
	}
	logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	l, err = loop.New(loop.Config{Store: s, Calendar: cal, Logger: logger})
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return l, func() { s.Close() }, nil
}

// cliMessage shows the Chinese message of a domain error, and any other error as it is.
type cliMessage struct{ err error }

func (m cliMessage) Error() string { return finding.ErrorMessage(m.err) }
func (m cliMessage) Unwrap() error { return m.err }

// cliFail turns an error of the store or the loop into an exit status: 2 for a request that
// was wrong in itself, 1 for one refused or failed.
func cliFail(err error) error {
	if err == nil {
		return nil
	}
	code := 1
	if finding.ErrorCode(err) == finding.EINVALID {
		code = 2
	}
	return &exitError{code: code, err: cliMessage{err}}
}

// cliUsage is a bad-usage error (exit status 2) with a Chinese message.
func cliUsage(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// cliID reads a positional ID.
func cliID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, cliUsage("%s编号应为正整数，收到 %q", what, s)
	}
	return id, nil
}

// cliFormat checks a --format value.
func cliFormat(format string) error {
	if format != "table" && format != "json" {
		return cliUsage("--format 应为 table 或 json，收到 %q", format)
	}
	return nil
}

// cliJSON writes v as indented JSON.
func cliJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// cliTable writes rows in columns padded to the display width of their cells (CJK characters
// take two columns in a terminal).
func cliTable(w io.Writer, header []string, rows [][]string) {
	widths := make([]int, len(header))
	for _, r := range append([][]string{header}, rows...) {
		for i, cell := range r {
			widths[i] = max(widths[i], cliWidth(cell))
		}
	}
	for _, r := range append([][]string{header}, rows...) {
		var b strings.Builder
		for i, cell := range r {
			b.WriteString(cell)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-cliWidth(cell)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// cliWidth is the display width of s: East Asian wide and full-width characters count two.
func cliWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf && r != 0x303f) || (r >= 0xac00 && r <= 0xd7a3) ||
			(r >= 0xf900 && r <= 0xfaff) || (r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff60) ||
			(r >= 0xffe0 && r <= 0xffe6) || (r >= 0x20000 && r <= 0x3fffd)) {
			n++
		}
	}
	return n
}

// cliClip shortens s to about n display columns.
func cliClip(s string, n int) string {
	if cliWidth(s) <= n {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := cliWidth(string(r))
		if w+rw > n-1 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + "…"
}

// cliReadFiles reads files given on the command line as evidence of kind, checked as the web
// form and the API check theirs (upload.Check): count, size, sniffed type, and images stored
// without their metadata (no GPS position).
func cliReadFiles(ctx context.Context, paths []string, kind string, rule upload.Rule) ([]finding.Evidence, error) {
	if len(paths) > rule.MaxFiles {
		return nil, cliUsage("最多附 %d 个文件，收到 %d 个", rule.MaxFiles, len(paths))
	}
	files := make([]upload.File, 0, len(paths))
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.Size() > int64(rule.MaxSize) {
			return nil, cliUsage("文件 %s 超过 %d MB，请压缩后再附上", p, rule.MaxSize>>20)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, cliUsage("无法读取文件 %s：%v", p, err)
		}
		f, err := upload.Check(ctx, rule, filepath.Base(p), data)
		if err != nil {
			return nil, &exitError{code: 2, err: fmt.Errorf("%s：%w", p, err)}
		}
		files = append(files, f)
	}
	return upload.EvidenceOf(files, kind), nil
}

// cliActor is who events are recorded for when --actor is not given.
func cliActor() string {
	for _, v := range []string{"TIYAN_ACTOR", "USER"} {
		if a := os.Getenv(v); a != "" {
			return a
		}
	}
	return "工作人员"
}

// cliFlagError reports a flag that does not parse as bad usage (exit status 2).
func cliFlagError(cmd *cobra.Command, err error) error {
	return &exitError{code: 2, err: fmt.Errorf("%w（%s --help 列出可用的参数）", err, cmd.CommandPath())}
}

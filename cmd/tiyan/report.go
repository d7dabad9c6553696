package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"tiyan/internal/finding"
	"tiyan/reports"
)

func newReportCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write reports (体验报告) from the findings store",
	}
	cmd.SetFlagErrorFunc(cliFlagError)
	cmd.AddCommand(newReportRunCommand())
	return cmd
}

// reportRunFlags are the flags of report run.
type reportRunFlags struct {
	out     string // "" is run-ID.html; "-" is standard output
	baseURL string
}

func newReportRunCommand() *cobra.Command {
	var f reportRunFlags
	cmd := &cobra.Command{
		Use:   "run ID",
		Short: "Write the run report of a sweep or run as one self-contained HTML file",
		Long: `Writes the run report (体验报告) of a sweep or scenario run: summary, availability by channel,
findings by category and severity, a per-item table, and each finding with its annotated
screenshot. The file is self-contained (styles and screenshots inline, no scripts), so it can be
mailed, opened offline or printed on A4. With --base-url each finding links to its page in the
web UI.`,
		Example: `  tiyan report run 20260105-010203-a1b2c3
  tiyan report run 20260105-010203-a1b2c3 --out /tmp/sweep.html --base-url https://tiyan.example.gov.cn`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cliUsage("请给出一个运行编号，如 tiyan report run 20260105-010203-a1b2c3")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return reportRun(cmd, args[0], f)
		},
	}
	cmd.Flags().StringVar(&f.out, "out", "", `file to write; default run-ID.html in the current directory, "-" for standard output`)
	cmd.Flags().StringVar(&f.baseURL, "base-url", "", "web UI address each finding links to, e.g. https://tiyan.example.gov.cn (default: no links)")
	return cmd
}

func reportRun(cmd *cobra.Command, id string, f reportRunFlags) error {
	s, err := dbOpen(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := reports.LoadRunReport(cmd.Context(), s, id, reports.RunReportOptions{BaseURL: f.baseURL, Overdue: time.Now()})
	if finding.ErrorCode(err) == finding.ENOTFOUND {
		return cliFail(finding.Errorf(finding.ENOTFOUND, "%s，请核对运行编号（形如 20260105-010203-a1b2c3，由 tiyan sweep 输出）", finding.ErrorMessage(err)))
	}
	if err != nil {
		return cliFail(err)
	}
	var buf bytes.Buffer
	if err := reports.WriteRunReport(&buf, r); err != nil {
		return err
	}
	if f.out == "-" {
		_, err := buf.WriteTo(cmd.OutOrStdout())
		return err
	}
	out := f.out
	if out == "" {
		out = "run-" + id + ".html"
	}
	if err := writeFileAtomic(out, buf.Bytes()); err != nil {
		return &exitError{code: 1, err: fmt.Errorf("无法写入报告文件 %s：%w", out, err)}
	}
	fmt.Fprintf(cmd.OutOrStdout(), "已生成运行 %s 的体验报告：%s（问题 %d 个，截图 %d 张）\n", id, out, len(r.Findings), screenshots(r))
	return nil
}

// writeFileAtomic writes data to a temporary file next to path and renames it into place, so a
// report that fails half-way never replaces a good one.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tiyan-report-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func screenshots(r reports.RunReport) int {
	n := 0
	for _, f := range r.Findings {
		if len(f.Screenshot) > 0 {
			n++
		}
	}
	return n
}

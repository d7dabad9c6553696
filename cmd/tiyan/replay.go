package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"tiyan/internal/runner"
)

func newReplayCommand() *cobra.Command {
	f := runFlags{replay: true}
	cmd := &cobra.Command{
		Use:   "replay SCENARIO",
		Short: "Replay one scenario step by step for an officer, and write a step report",
		Long: `Replays one scenario on one channel, printing each step live in Chinese (✓/✗, what it did, ms),
and writes DIR/report.html: every step's screenshot, timings, and the failing step with its
error and the page around it. --visible opens a real browser window where a display exists;
--slow pauses after each step so it can be watched.
Exit status: 0 when every step passed, 1 when a step failed, 2 for an invalid scenario or flag.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			stdout := cmd.OutOrStdout()
			s, scs, err := openSession(cmd.Context(), &f, stdout, cmd.ErrOrStderr(), args)
			if err != nil {
				return err
			}
			defer s.close()
			if len(scs) != 1 {
				return &exitError{code: 2, err: fmt.Errorf("replay 一次回放一个场景，%s 中有 %d 个", args[0], len(scs))}
			}
			sc := scs[0]
			chans, err := f.channels(sc, false)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "回放：%s · %s\n", sc.Title, channelName(chans[0]))
			s.onStep = func(st runner.StepResult) { fmt.Fprintln(stdout, stepLine(st)) }
			res, err := s.run(cmd.Context(), sc, chans[0])
			if err != nil {
				return err
			}
			dir := f.out
			if dir == "" {
				dir = filepath.Join("out", sc.ID+"-"+string(chans[0]))
			}
			path, err := writeReport(dir, sc, s.sites[sc.Site], f.baseURL, res)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "结果：%s（%d 步，用时 %.1f 秒）\n步骤报告：%s\n", passWord(res.Passed), len(res.Steps), res.Duration.Seconds(), path)
			if res.BrowserDied {
				return &exitError{code: 1, err: fmt.Errorf("浏览器进程意外退出，本次结果不能说明门户有问题，请重新回放")}
			}
			if !res.Passed {
				if len(res.Steps) == 0 {
					return &exitError{code: 1, err: fmt.Errorf("回放未能开始：%s", res.Error)}
				}
				return &exitError{code: 1, err: fmt.Errorf("第%d步未通过", res.Steps[len(res.Steps)-1].Index+1)}
			}
			return nil
		},
	}
	f.register(cmd, "pc")
	cmd.Flags().BoolVar(&f.visible, "visible", false, "open a visible browser window (needs a display)")
	cmd.Flags().DurationVar(&f.slow, "slow", 0, "pause after each step, e.g. 1s")
	return cmd
}

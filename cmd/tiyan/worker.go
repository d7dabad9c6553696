package main

import (
	"fmt"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func newWorkerCommand() *cobra.Command {
	f := &processFlags{}
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Work jobs (probes, sweeps, scenario runs) from the shared PostgreSQL queue",
		Long: `worker works jobs from the queue in PostgreSQL (TIYAN_DATABASE_URL=postgres://…) beside
tiyan serve and other workers, each on its own machine with its own Chromium: a sweep's pages
are shared among them, and a worker that dies has its jobs handed to another within minutes. It
carries the configuration's schedules too, since whichever process leads the queue enqueues
them; give every process the same tiyan.yaml. Prometheus metrics are served on --metrics-addr.
On the embedded SQLite database tiyan serve does everything and worker refuses to start.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runWorker(cmd, f) },
	}
	addConfigFlag(cmd, &f.config)
	cmd.Flags().StringVar(&f.addr, "metrics-addr", "", "HOST:PORT of /metrics, or off (default: metrics.addr of the configuration, 127.0.0.1:9464)")
	cmd.Flags().IntVar(&f.concurrency, "concurrency", 0, "item-channels probed at once by this worker (default: the configuration's)")
	addNameFlag(cmd, &f.name)
	return cmd
}

func runWorker(cmd *cobra.Command, f *processFlags) error {
	ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	p, err := openProcess(cmd, f, true)
	if err != nil {
		return err
	}
	defer p.close()
	metrics, err := p.serveMetrics(ctx, orWord(f.addr, p.cfg.Metrics.Addr))
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "tiyan worker %s 已启动：同时体验 %d 个页面，指标 %s；%s；按 Ctrl-C 停止。\n",
		p.jobs.Name(), p.cfg.Concurrency, metrics, p.describe())
	return p.work(ctx)
}

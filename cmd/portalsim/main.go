// Command portalsim serves the simulated 皖事通办 portal (the same as `tiyan portalsim`).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"tiyan/internal/portalsim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := portalsim.NewCommand("portalsim").ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "错误:", err)
		os.Exit(1)
	}
}

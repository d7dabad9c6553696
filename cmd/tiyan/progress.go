package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"tiyan/internal/sweep"
)

// progressBar draws the sweep's progress on a terminal and stays silent elsewhere (pipes, logs).
type progressBar struct {
	mu  sync.Mutex
	w   io.Writer
	on  bool
	len int
}

func newProgressBar(w io.Writer) *progressBar {
	f, ok := w.(*os.File)
	on := false
	if ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			on = true
		}
	}
	return &progressBar{w: w, on: on}
}

func (b *progressBar) update(p sweep.Progress) {
	if !b.on || p.Total == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	const width = 30
	filled := width * p.Done / p.Total
	line := fmt.Sprintf("\r[%s%s] %d/%d 事项渠道  发现问题 %d", strings.Repeat("█", filled), strings.Repeat("·", width-filled), p.Done, p.Total, p.Findings)
	b.len = len(line)
	fmt.Fprint(b.w, line)
}

func (b *progressBar) done() {
	if b.on && b.len > 0 {
		fmt.Fprintln(b.w)
	}
}

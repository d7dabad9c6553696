package sweep

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// The benchmark's measures of memory and CPU, read from /proc (Linux).

// pss is a process's proportional set size in bytes (its resident memory, with each page it
// shares counted in proportion to the processes sharing it), from /proc. Chromium's processes
// share the browser's code and fonts; adding up their plain resident sets would count those
// once per process.
func pss(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "Pss:") {
			kb, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// tree is pid and all its descendants; empty for pid 0.
func tree(pid int) []int {
	if pid == 0 {
		return nil
	}
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if f := statFields(p); len(f) > 1 {
			pp, _ := strconv.Atoi(f[1])
			children[pp] = append(children[pp], p)
		}
	}
	var all []int
	stack := []int{pid}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		all = append(all, p)
		stack = append(stack, children[p]...)
	}
	return all
}

// clockTicks is the unit of the CPU times in /proc/PID/stat (USER_HZ, 100 on Linux).
const clockTicks = 100

// statFields are the fields of /proc/PID/stat after the command name: the parent pid is
// fields[1], utime, stime, cutime and cstime are fields[11:15].
func statFields(pid int) []string { return fieldsOf(fmt.Sprintf("/proc/%d/stat", pid)) }

func fieldsOf(path string) []string {
	stat, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
}

// cpuOf is the CPU time of a process: its own, and with children the CPU time of the
// children it has waited for (Chromium's renderers that ended during the sweep).
func cpuOf(pid int, children bool) time.Duration { return ticksOf(statFields(pid), children) }

// ticksOf adds up the CPU times of stat fields.
func ticksOf(f []string, children bool) time.Duration {
	if len(f) < 15 {
		return 0
	}
	last := 13
	if children {
		last = 15
	}
	var ticks int64
	for _, v := range f[11:last] {
		n, _ := strconv.ParseInt(v, 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks
}

// threadCPU is the CPU time of one of this process's threads.
func threadCPU(tid int) time.Duration {
	return ticksOf(fieldsOf(fmt.Sprintf("/proc/self/task/%d/stat", tid)), false)
}

// ownCPU is this process's CPU time (without Chromium, whose time treeCPU counts).
func ownCPU() time.Duration { return cpuOf(os.Getpid(), false) }

// treeCPU is the CPU time of pid and its descendants, living and ended.
func treeCPU(pid int) time.Duration {
	var total time.Duration
	for _, p := range tree(pid) {
		total += cpuOf(p, true)
	}
	return total
}

// kindOf is a Chromium process's type: renderer, gpu-process, utility, zygote; "" for the
// browser process itself.
func kindOf(pid int) string {
	cmd, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	// Chromium rewrites its children's titles: their arguments are one space-separated string.
	for _, arg := range strings.Fields(strings.ReplaceAll(string(cmd), "\x00", " ")) {
		if t, ok := strings.CutPrefix(arg, "--type="); ok {
			return t
		}
	}
	return ""
}

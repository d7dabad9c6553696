package browser

import (
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// Config says how to start Chromium. The zero value is the default: headless
// Debian Chromium, at most 4 tabs.
type Config struct {
	// ExecPath is the Chromium executable, a path or a name looked up on
	// PATH. Empty means $TIYAN_CHROMIUM, else /usr/bin/chromium, else the
	// first of chromium, chromium-browser, google-chrome found on PATH.
	ExecPath string

	// Visible opens a real window instead of running headless, for an
	// officer watching a scenario step by step. It needs a display.
	Visible bool

	// ExtraFlags are more Chromium switches, such as "--lang=zh-CN" or
	// "--proxy-server=http://proxy:3128". A switch given here replaces a
	// default of the same name.
	ExtraFlags []string

	// MaxTabs bounds the sessions open at once; NewSession waits for a free
	// slot. Zero means 4. Each tab costs a renderer process, roughly
	// 100 MB, so size it to the worker's memory.
	MaxTabs int

	// Logger receives chromedp's own messages, the browser's death and every request the
	// read-only guard refuses. Nil means slog.Default().
	Logger *slog.Logger

	// Now stamps the guard's refusals. Nil means time.Now.
	Now func() time.Time
}

// defaultExecPath is where Debian's chromium package installs its launcher.
const defaultExecPath = "/usr/bin/chromium"

// envExecPath names the environment variable that overrides the executable.
const envExecPath = "TIYAN_CHROMIUM"

// fallbackNames are tried on PATH when neither Config nor the environment
// names an executable and /usr/bin/chromium is absent.
var fallbackNames = []string{"chromium", "chromium-browser", "google-chrome"}

// withDefaults returns c with every zero field replaced by its default. It is
// the one place defaults are applied.
func (c Config) withDefaults() Config {
	if c.MaxTabs <= 0 {
		c.MaxTabs = 4
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// execPath resolves the executable to an absolute path, or explains where it
// looked and how to fix it.
func (c Config) execPath() (string, error) {
	want := c.ExecPath
	if want == "" {
		want = os.Getenv(envExecPath)
	}
	if want != "" {
		if p, err := exec.LookPath(want); err == nil {
			return p, nil
		}
		return "", notFound(want)
	}
	for _, name := range append([]string{defaultExecPath}, fallbackNames...) {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", notFound(defaultExecPath + " (nor " + strings.Join(fallbackNames, ", ") + " on PATH)")
}

func notFound(where string) error {
	return fmt.Errorf("%w at %s: install Debian's chromium package (apt-get install chromium) or set %s",
		ErrChromiumNotFound, where, envExecPath)
}

// allocatorOptions are chromedp's defaults plus the switches tiyan needs: no
// sandbox because workers run as root in containers, no GPU, nothing that
// phones home (component updates, sync, QUIC) so a night of probing only
// talks to the portal, and no spare renderer processes.
func (c Config) allocatorOptions(path string, extra []chromedp.ExecAllocatorOption) []chromedp.ExecAllocatorOption {
	opts := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
	opts = append(opts,
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		// Chromium keeps a spare renderer process ready for the next navigation and starts
		// another each time one is taken. A reused tab navigating within one site never needs
		// it: with the spare, a sweep started several short-lived processes per page. (The
		// first two are chromedp's defaults, which this switch replaces.)
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,SpareRendererForSitePerProcess"),
	)
	opts = append(opts, extra...)
	if c.Visible {
		// Last, because it removes the headless switches set above.
		opts = append(opts, chromedp.VisibleWindow)
	}
	return opts
}

// extraFlags turns ExtraFlags into allocator options, rejecting malformed
// switches before anything starts.
func (c Config) extraFlags() ([]chromedp.ExecAllocatorOption, error) {
	var opts []chromedp.ExecAllocatorOption
	for _, f := range c.ExtraFlags {
		name, value, err := parseFlag(f)
		if err != nil {
			return nil, err
		}
		opts = append(opts, chromedp.Flag(name, value))
	}
	return opts, nil
}

// parseFlag splits "--name=value" into the form chromedp.Flag takes; a
// switch without a value is a boolean true.
func parseFlag(f string) (string, any, error) {
	s := strings.TrimPrefix(f, "--")
	name, value, hasValue := strings.Cut(s, "=")
	if name == "" || strings.ContainsAny(name, " \t") {
		return "", nil, fmt.Errorf("browser: bad Chromium switch %q: want --name or --name=value", f)
	}
	if !hasValue {
		return name, true, nil
	}
	return name, value, nil
}

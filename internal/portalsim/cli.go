package portalsim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// NewCommand returns the simulator's command line, used by cmd/portalsim and `tiyan portalsim`.
func NewCommand(use string) *cobra.Command {
	var cfg Config
	var addr, templates string
	cmd := &cobra.Command{
		Use:   use,
		Short: "Serve the simulated 皖事通办 portal (模拟门户), with switchable defects",
		Long: `Serves a replica of the 皖事通办 portal: the item API, PC and H5 (/h5/) guide pages, the
mock SSO (test account 13800000000 / Tiyan@2026, SMS code 123456), the online application
(填写申请信息 → 上传材料 → 确认提交 → 受理回执) and the authoritative catalogue at
/catalogue/ssqd.json and /catalogue/ssqd.csv.

With --templates, each item's guide is rendered in one of several page templates, chosen by its
code (default: the classic one): label/value tables, definition lists, div grids and "标签：值" text, tabs and accordions,
content fetched after load; values are written as people write them (full-width digits, area
codes in parentheses, 五个工作日, 免费, 非必要…).

Defects are switched on from --defects (none, seeded, or a YAML fixture file) and at run time
with POST /_sim/defects/{ssqdCode}/{pc|h5}/{defect}/on|off; the item code * switches a defect
on template-wide, on every item of the channel (small-text, no-elder-mode and the accessibility
defects). GET /_sim/defects.json lists what is on and the rules a correct prober should raise (a
site or template-wide defect once per channel, with no item); GET /_sim/defects lists every
defect.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if cfg.Templates, err = ParseTemplates(templates); err != nil {
				return fmt.Errorf("--templates: %w", err)
			}
			cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
			return Serve(cmd.Context(), addr, cfg, func(url string) {
				fmt.Fprintf(cmd.OutOrStdout(), "模拟门户已启动: %s\n  事项列表 %s/bog-bsdt/static/workProcess.html?subjecttype=P\n  H5页面   %s/h5/bog-bsdt/static/workProcess.html?subjecttype=P\n  预置缺陷 %s/_sim/defects.json\n  实施清单 %s/catalogue/ssqd.json\n", url, url, url, url, url)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:18090", "address to listen on (HOST:PORT; port 0 picks a free one)")
	f.StringVar(&cfg.Defects, "defects", "none", "defects to switch on: none, seeded, or a YAML fixture file")
	f.IntVar(&cfg.Items, "items", 0, "add N deterministic synthetic items")
	f.Int64Var(&cfg.Seed, "seed", 1, "seed of the synthetic items")
	f.StringVar(&templates, "templates", "classic", "guide templates to deal the items to, comma-separated: "+strings.Join(Templates, ",")+", or all")
	cmd.AddCommand(newCatalogueCommand(&cfg))
	return cmd
}

func newCatalogueCommand(cfg *Config) *cobra.Command {
	var out, format string
	cmd := &cobra.Command{
		Use:   "catalogue",
		Short: "Write the authoritative catalogue (实施清单) to a file, as JSON, CSV or XLSX",
		Long: `Writes the simulator's 实施清单 as tiyan sweep --catalogue reads it:

  json  the JSON export (ssqdCode, name, fdbjsx, cnbjqx, materials …)
  csv   the items under a title row, one per row with Chinese headers; the materials, one
        per row, go to the file beside it: --out ssqd.csv also writes ssqd.materials.csv
        (with --out -, only the items go to standard output)
  xlsx  one workbook: the items on sheet 事项, the materials on sheet 材料`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := New(Config{Items: cfg.Items, Seed: cfg.Seed})
			if err != nil {
				return err
			}
			return writeCatalogue(s, format, out, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "-", "file to write (- for standard output)")
	cmd.Flags().StringVar(&format, "format", "json", "json, csv or xlsx")
	cmd.Flags().IntVar(&cfg.Items, "items", 0, "add N deterministic synthetic items")
	cmd.Flags().Int64Var(&cfg.Seed, "seed", 1, "seed of the synthetic items")
	return cmd
}

// writeCatalogue writes the catalogue in format to out ("-" for stdout), and for CSV the
// materials to the file beside it.
func writeCatalogue(s *Server, format, out string, stdout io.Writer) error {
	write := map[string]func(io.Writer) error{
		"json": s.Catalog().WriteJSON, "csv": s.Catalog().WriteCSV, "xlsx": s.Catalog().WriteXLSX,
	}[format]
	if write == nil {
		return fmt.Errorf("--format 只能是 json、csv 或 xlsx，不能是 %q", format)
	}
	if out == "" || out == "-" {
		return write(stdout)
	}
	if err := writeFile(out, write); err != nil {
		return err
	}
	if format == "csv" {
		return writeFile(strings.TrimSuffix(out, filepath.Ext(out))+".materials.csv", s.Catalog().WriteMaterialsCSV)
	}
	return nil
}

func writeFile(name string, write func(io.Writer) error) error {
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("写入实施清单失败：%w", err)
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("写入实施清单 %s 失败：%w", name, err)
	}
	return nil
}

// Serve runs a simulator on addr until ctx ends; ready is called with its base URL once it listens.
func Serve(ctx context.Context, addr string, cfg Config, ready func(baseURL string)) error {
	s, err := New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another simulator running? choose another --addr)", addr, err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	if ready != nil {
		ready("http://" + ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

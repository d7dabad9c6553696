// Package store opens the finding.Store a database URL names: PostgreSQL (internal/store/postgres)
// for many workers on many machines, or an embedded SQLite file (internal/store/sqlite), the
// default. Either way the embedded migrations are applied on open.
package store

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"tiyan/internal/finding"
	"tiyan/internal/store/postgres"
	"tiyan/internal/store/sqlite"
)

// DefaultPath is where the embedded database lives when no URL is given.
const DefaultPath = "data/tiyan.db"

// EnvURL is the environment variable that names the database.
const EnvURL = "TIYAN_DATABASE_URL"

// Migrated reports what opening a database did to its schema.
type Migrated struct {
	Driver   string   // "sqlite" or "postgres"
	Location string   // the file, or the URL without its password
	Applied  []string // migrations applied now; empty when the schema was current
	Version  int      // the schema version after migrating
}

// Open opens the store named by url: "postgres://…"/"postgresql://…" or "sqlite:PATH"; "" means sqlite:./data/tiyan.db (creating ./data). It applies the embedded migrations.
func Open(ctx context.Context, url string) (finding.Store, error) {
	s, _, err := open(ctx, url)
	return s, err
}

// Migrate opens the database named by url, applies the migrations it lacks, reports them and
// closes it again.
func Migrate(ctx context.Context, url string) (Migrated, error) {
	s, m, err := open(ctx, url)
	if err != nil {
		return m, err
	}
	return m, s.Close()
}

// versioned is what both stores offer beyond finding.Store.
type versioned interface {
	finding.Store
	Applied() []string
	Version(ctx context.Context) (int, error)
}

func open(ctx context.Context, rawURL string) (finding.Store, Migrated, error) {
	var s versioned
	var m Migrated
	var err error
	switch {
	case rawURL == "":
		if err := os.MkdirAll(filepath.Dir(DefaultPath), 0o755); err != nil {
			return nil, m, fmt.Errorf("create %s: %w", filepath.Dir(DefaultPath), err)
		}
		m.Driver, m.Location = "sqlite", DefaultPath
		s, err = sqlite.Open(ctx, DefaultPath, sqlite.Options{})
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		m.Driver, m.Location = "postgres", Redact(rawURL)
		s, err = postgres.Open(ctx, rawURL, postgres.Options{})
	case strings.HasPrefix(rawURL, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(rawURL, "sqlite:"), "//")
		if path == "" {
			return nil, m, badURL(rawURL)
		}
		m.Driver, m.Location = "sqlite", path
		s, err = sqlite.Open(ctx, path, sqlite.Options{})
	default:
		return nil, m, badURL(rawURL)
	}
	if err != nil {
		return nil, m, err
	}
	m.Applied = s.Applied()
	if m.Version, err = s.Version(ctx); err != nil {
		s.Close()
		return nil, m, fmt.Errorf("read schema version: %w", err)
	}
	return s, m, nil
}

func badURL(raw string) error {
	return finding.Errorf(finding.EINVALID, "数据库地址 %q 无法识别：应为 postgres://用户:密码@主机:端口/库名 或 sqlite:文件路径（如 sqlite:./data/tiyan.db）；不设置 %s 和 --database 时默认使用 sqlite:./%s", Redact(raw), EnvURL, DefaultPath)
}

// Redact returns a database URL with its password replaced, fit for messages and logs.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

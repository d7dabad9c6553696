// Package store opens the database a URL names: PostgreSQL (internal/store/postgres) for many
// workers on many machines, or an embedded SQLite file (internal/store/sqlite), the default.
// Either way the embedded migrations are applied on open. Open is the one place a URL is read
// and a connection made: the DB it returns is the finding.Store, the sweep ledger and River's
// queue (internal/store/queue) of internal/jobs, all on the same connections (on SQLite River
// has a file of its own beside the store's).
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
	"tiyan/internal/store/queue"
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

// DB is a database opened by URL: the finding.Store on it (embedded: a *DB is a
// finding.Store), the sweep ledger of the job queue in it, and River's queue beside it.
type DB struct {
	finding.Store
	// Sweeps is the bookkeeping of sweeps run as jobs, in the store's own tables.
	Sweeps finding.SweepLedger
	// Driver is "sqlite" or "postgres".
	Driver string
	queue  func(ctx context.Context) (*queue.Queue, error)
}

// Queue opens River's queue on this database, applying River's migrations: on PostgreSQL in
// the store's own pool and schema, on SQLite in the file beside the store's (PATH.jobs). Close
// it before the DB.
func (db *DB) Queue(ctx context.Context) (*queue.Queue, error) { return db.queue(ctx) }

// Open opens the database named by url: "postgres://…"/"postgresql://…" or "sqlite:PATH"; ""
// means sqlite:./data/tiyan.db (creating ./data). It applies the embedded migrations. It is the
// one place a database URL is read and a connection made.
func Open(ctx context.Context, url string) (*DB, error) {
	db, _, err := open(ctx, url)
	return db, err
}

// Migrate opens the database named by url, applies the migrations it lacks, reports them and
// closes it again.
func Migrate(ctx context.Context, url string) (Migrated, error) {
	db, m, err := open(ctx, url)
	if err != nil {
		return m, err
	}
	return m, db.Close()
}

// QueueExists reports whether the database url names has a job queue, without creating one:
// River's tables in its PostgreSQL database, or the PATH.jobs file beside its SQLite file.
func QueueExists(ctx context.Context, url string) (bool, error) {
	switch {
	case isPostgres(url):
		return postgres.QueueExists(ctx, url)
	case url == "":
		return sqlite.QueueExists(DefaultPath), nil
	default:
		path, err := sqlitePath(url)
		if err != nil {
			return false, err
		}
		return sqlite.QueueExists(path), nil
	}
}

// versioned is what both stores offer beyond finding.Store.
type versioned interface {
	finding.Store
	finding.SweepLedger
	Queue(ctx context.Context) (*queue.Queue, error)
	Applied() []string
	Version(ctx context.Context) (int, error)
}

func open(ctx context.Context, rawURL string) (*DB, Migrated, error) {
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
	case isPostgres(rawURL):
		m.Driver, m.Location = "postgres", Redact(rawURL)
		// River's client (Queue) shares this pool: room for its listener and producers beside
		// the store's own work.
		s, err = postgres.Open(ctx, rawURL, postgres.Options{MaxConns: 10})
	default:
		path, perr := sqlitePath(rawURL)
		if perr != nil {
			return nil, m, perr
		}
		m.Driver, m.Location = "sqlite", path
		s, err = sqlite.Open(ctx, path, sqlite.Options{})
	}
	if err != nil {
		return nil, m, err
	}
	m.Applied = s.Applied()
	if m.Version, err = s.Version(ctx); err != nil {
		s.Close()
		return nil, m, fmt.Errorf("read schema version: %w", err)
	}
	return &DB{Store: s, Sweeps: s, Driver: m.Driver, queue: s.Queue}, m, nil
}

func isPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// sqlitePath is the file of a sqlite: URL.
func sqlitePath(rawURL string) (string, error) {
	path, ok := strings.CutPrefix(rawURL, "sqlite:")
	path = strings.TrimPrefix(path, "//")
	if !ok || path == "" {
		return "", badURL(rawURL)
	}
	return path, nil
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

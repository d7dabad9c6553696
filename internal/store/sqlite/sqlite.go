package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"tiyan/internal/finding"
	"tiyan/internal/store/sqlcore"
)

// Store is a finding.Store on one SQLite file.
type Store struct {
	*sqlcore.Core
	sqlcore.Sweeps
	w       *sql.DB // the one writer connection
	r       *sql.DB // read-only connections (the writer itself for :memory:)
	path    string
	now     func() time.Time
	applied []string
}

var _ finding.Store = (*Store)(nil)

// Options tune a Store. The zero value is the default.
type Options struct {
	// Now stamps records the caller gives no time for (created, updated); nil is time.Now.
	Now func() time.Time
	// Readers is the number of read-only connections; 0 is 4.
	Readers int
}

const pragmas = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"

// Open opens (creating if needed) the SQLite database at path and applies the embedded
// migrations. The directory must exist. ":memory:" opens a private in-memory database.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	s := &Store{path: path, now: opts.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.open(ctx, opts.Readers); err != nil {
		return nil, err
	}
	applied, err := migrate(ctx, s.w)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.applied = applied
	s.Sweeps = sqlcore.Sweeps{DB: sqlcore.DB{SQL: s.w, Dialect: sqlcore.SQLite}}
	s.Core = &sqlcore.Core{W: s.w, R: s.r, Dialect: sqlcore.SQLite, Now: s.now, IsUnique: isUnique, IsForeignKey: isForeignKey}
	return s, nil
}

func (s *Store) open(ctx context.Context, readers int) error {
	if s.path != ":memory:" {
		if dir := filepath.Dir(s.path); dir != "" {
			if _, err := os.Stat(dir); err != nil {
				return finding.Errorf(finding.EUNAVAILABLE, "SQLite 数据库目录 %s 不存在：请先创建该目录，或换一个路径（sqlite:路径）", dir)
			}
		}
	}
	w, err := sql.Open("sqlite", "file:"+s.path+"?"+pragmas+"&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("open sqlite %s: %w", s.path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	s.w, s.r = w, w
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return finding.Errorf(finding.EUNAVAILABLE, "无法打开 SQLite 数据库 %s：%v。请检查路径和权限，或换一个路径（sqlite:路径）", s.path, err)
	}
	if s.path == ":memory:" {
		return nil
	}
	if readers <= 0 {
		readers = 4
	}
	r, err := sql.Open("sqlite", "file:"+s.path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return fmt.Errorf("open sqlite readers %s: %w", s.path, err)
	}
	r.SetMaxOpenConns(readers)
	s.r = r
	return nil
}

// Applied lists the migrations Open applied (empty when the schema was already current).
func (s *Store) Applied() []string { return s.applied }

// Version returns the schema version: the number of the last migration applied.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

// DB returns the writer connection, for tests and benchmarks that seed data in bulk.
func (s *Store) DB() *sql.DB { return s.w }

// Close closes the database.
func (s *Store) Close() error {
	var errs []error
	if s.r != nil && s.r != s.w {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	return errors.Join(errs...)
}

// tx runs fn in a write transaction, committed when fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

package postgres

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"tiyan/internal/finding"
	"tiyan/internal/store/sqlcore"
)

// Store is a finding.Store on a PostgreSQL database.
type Store struct {
	*sqlcore.Core
	sqlcore.Sweeps
	pool    *pgxpool.Pool
	db      sqlcore.DB // database/sql on pool, for the SQL both stores share
	now     func() time.Time
	applied []string
}

var _ finding.Store = (*Store)(nil)

// Options tune a Store. The zero value is the default.
type Options struct {
	// Now stamps records the caller gives no time for (created, updated); nil is time.Now.
	Now func() time.Time
	// MaxConns caps the pool; 0 keeps pgxpool's default (the larger of 4 and the CPU count).
	MaxConns int32
	// ConnectTimeout bounds connecting; 0 is 10 seconds.
	ConnectTimeout time.Duration
}

// Open connects to the database at url (postgres://…), checks that it answers, and applies the
// embedded migrations.
func Open(ctx context.Context, rawURL string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, finding.Errorf(finding.EINVALID, "PostgreSQL 地址无法解析：%v。应为 postgres://用户:密码@主机:端口/库名?sslmode=disable", err)
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	cfg.ConnConfig.ConnectTimeout = opts.ConnectTimeout
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("create pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, finding.Errorf(finding.EUNAVAILABLE, "无法连接 PostgreSQL（%s:%d/%s）：%v。请确认数据库已启动，地址、用户名和密码正确（TIYAN_DATABASE_URL 或 --database）；不设置它们则使用内置的 SQLite 数据库 ./data/tiyan.db",
			cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, err)
	}
	s := &Store{pool: pool, now: opts.Now}
	if s.now == nil {
		s.now = time.Now
	}
	s.db = sqlcore.DB{SQL: stdlib.OpenDBFromPool(pool), Dialect: sqlcore.Postgres}
	s.Sweeps = sqlcore.Sweeps{DB: s.db}
	s.Core = &sqlcore.Core{W: s.db.SQL, R: s.db.SQL, Dialect: sqlcore.Postgres, Now: s.now,
		IsUnique:     func(err error) bool { return pgCode(err) == uniqueViolation },
		IsForeignKey: func(err error) bool { return pgCode(err) == foreignKeyViolation }}
	if s.applied, err = migrate(ctx, pool); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Applied lists the migrations Open applied (empty when the schema was already current).
func (s *Store) Applied() []string { return s.applied }

// Version returns the schema version: the number of the last migration applied.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v *int
	err := s.pool.QueryRow(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v)
	if v == nil {
		return 0, err
	}
	return *v, err
}

// Pool returns the connection pool, for tests and benchmarks that seed data in bulk.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close closes the pool.
func (s *Store) Close() error {
	err := s.db.SQL.Close()
	s.pool.Close()
	return err
}

// tx runs fn in a transaction, committed when fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// WithSearchPath returns url with its search_path set to schema, so that everything the store
// does happens in that schema.
func WithSearchPath(rawURL, schema string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

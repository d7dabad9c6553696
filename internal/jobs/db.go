package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"tiyan/internal/store"
)

// queue is the River client, whatever its driver's transaction type.
type queue interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
	JobDelete(ctx context.Context, id int64) (*rivertype.JobRow, error)
	// insertSweep inserts lock and then probes in one transaction. When lock is a duplicate
	// of a job in flight it inserts nothing and returns that job.
	insertSweep(ctx context.Context, lock river.InsertManyParams, probes []river.InsertManyParams) (held *rivertype.JobRow, err error)
}

// database is the River client's database, with a database/sql handle on it for the tables of
// this package. On PostgreSQL they share the store's database and schema (search_path); on
// SQLite they live in a file of their own beside the store's (see jobsPath).
type database struct {
	sql      *sql.DB
	postgres bool
	// newQueue makes the River client on this database.
	newQueue func(cfg *river.Config) (queue, error)
	// migrateRiver applies River's own migrations.
	migrateRiver func(ctx context.Context) error
	close        func()
}

// openDatabase opens the database a store URL names ("" is the embedded default) and brings
// River's tables and this package's up to date.
func openDatabase(ctx context.Context, url string) (*database, error) {
	var db *database
	var err error
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		db, err = openPostgres(ctx, url)
	default:
		path, perr := sqlitePath(url)
		if perr != nil {
			return nil, perr
		}
		db, err = openSQLite(ctx, jobsPath(path))
	}
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.close()
		return nil, err
	}
	return db, nil
}

// sqlitePath is the store file of an SQLite URL ("" is the embedded default).
func sqlitePath(url string) (string, error) {
	if url == "" {
		return store.DefaultPath, nil
	}
	path, ok := strings.CutPrefix(url, "sqlite:")
	path = strings.TrimPrefix(path, "//")
	if !ok || path == "" || path == ":memory:" {
		return "", fmt.Errorf("数据库地址 %q 不能用于任务队列：应为 postgres://… 或 sqlite:文件路径", store.Redact(url))
	}
	return path, nil
}

// jobsPath is where River keeps its jobs beside an SQLite store: PATH.jobs. A file of its own,
// because River polls and writes its tables several times a second, and SQLite lets one
// writer in at a time per file: sharing the store's file would make the store's ingests wait
// on the queue's housekeeping and the other way round.
func jobsPath(storePath string) string { return storePath + ".jobs" }

func openPostgres(ctx context.Context, url string) (*database, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("任务队列无法连接 PostgreSQL（%s）：%w", store.Redact(url), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("任务队列无法连接 PostgreSQL（%s）：%w", store.Redact(url), err)
	}
	sqlDB := stdlib.OpenDBFromPool(pool)
	driver := riverpgxv5.New(pool)
	return &database{
		sql: sqlDB, postgres: true,
		newQueue: func(cfg *river.Config) (queue, error) {
			return newClient(driver, cfg, func(ctx context.Context) (pgx.Tx, txEnd, error) {
				tx, err := pool.Begin(ctx)
				if err != nil {
					return nil, txEnd{}, err
				}
				return tx, txEnd{commit: func() error { return tx.Commit(ctx) }, rollback: func() { _ = tx.Rollback(ctx) }}, nil
			})
		},
		migrateRiver: func(ctx context.Context) error { return migrateUp(ctx, driver) },
		close:        func() { sqlDB.Close(); pool.Close() },
	}, nil
}

// sqlitePragmas: WAL lets readers in while one writes; busy_timeout makes a writer wait for the
// lock (another process enqueuing, a checkpoint) rather than fail at once; _txlock=immediate
// takes the write lock when a transaction begins, because a deferred transaction that reads
// first and writes later can fail with SQLITE_BUSY regardless of the timeout.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"

func openSQLite(ctx context.Context, path string) (*database, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("创建任务队列目录 %s：%w", dir, err)
		}
	}
	sqlDB, err := sql.Open("sqlite", "file:"+path+"?"+sqlitePragmas)
	if err != nil {
		return nil, fmt.Errorf("打开任务队列 %s：%w", path, err)
	}
	// One connection, as riversqlite advises: River works from several goroutines and SQLite
	// has one writer; queuing on the pool beats SQLITE_BUSY.
	sqlDB.SetMaxOpenConns(1)
	if err := sqlDB.PingContext(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("打开任务队列 %s：%w", path, err)
	}
	driver := riversqlite.New(sqlDB)
	return &database{
		sql: sqlDB,
		newQueue: func(cfg *river.Config) (queue, error) {
			return newClient(driver, cfg, func(ctx context.Context) (*sql.Tx, txEnd, error) {
				tx, err := sqlDB.BeginTx(ctx, nil)
				if err != nil {
					return nil, txEnd{}, err
				}
				return tx, txEnd{commit: tx.Commit, rollback: func() { _ = tx.Rollback() }}, nil
			})
		},
		migrateRiver: func(ctx context.Context) error { return migrateUp(ctx, driver) },
		close:        func() { sqlDB.Close() },
	}, nil
}

// migrate applies River's migrations and this package's tables. On PostgreSQL an advisory lock
// serializes processes that start together (serve and workers). (On SQLite the one connection
// does, and holding it here would starve the migrations.)
func (db *database) migrate(ctx context.Context) error {
	if db.postgres {
		unlock, err := db.lockMigrations(ctx)
		if err != nil {
			return err
		}
		defer unlock()
	}
	if err := db.migrateRiver(ctx); err != nil {
		return fmt.Errorf("任务队列（River）迁移失败：%w", err)
	}
	for _, stmt := range schema {
		if _, err := db.sql.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create job tables: %w", err)
		}
	}
	return nil
}

// lockMigrations takes the session advisory lock of migrations on a connection of its own.
func (db *database) lockMigrations(ctx context.Context) (unlock func(), err error) {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		conn.Close()
		return nil, fmt.Errorf("lock migrations: %w", err)
	}
	return func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLock)
		conn.Close()
	}, nil
}

// migrateLock is the advisory lock key of migrations ("tiyan" in ASCII).
const migrateLock = int64(0x746979616e)

func migrateUp[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// q rewrites a query written with ? placeholders for the database: $1, $2, … on PostgreSQL.
func (db *database) q(query string) string {
	if !db.postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

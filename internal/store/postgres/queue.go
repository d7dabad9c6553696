package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"tiyan/internal/finding"
	"tiyan/internal/store/queue"
)

// Queue returns River's queue on the store's own pool and schema, with River's migrations
// applied. It shares the store's connections: closing it closes nothing.
func (s *Store) Queue(ctx context.Context) (*queue.Queue, error) {
	driver := riverpgxv5.New(s.pool)
	if err := s.migrateQueue(ctx, func(ctx context.Context) error { return queue.Migrate(ctx, driver) }); err != nil {
		return nil, fmt.Errorf("任务队列（River）迁移失败：%w", err)
	}
	return queue.New(driver, s.db.SQL, func(ctx context.Context) (pgx.Tx, queue.TxEnd, error) {
		tx, err := s.pool.Begin(ctx)
		if err != nil {
			return nil, queue.TxEnd{}, err
		}
		return tx, queue.TxEnd{Commit: func() error { return tx.Commit(ctx) }, Rollback: func() { _ = tx.Rollback(ctx) }}, nil
	}, nil), nil
}

// migrateQueue runs migrate under the session advisory lock of River's migrations, on a
// connection of its own: serve and workers that start together migrate one after the other.
func (s *Store) migrateQueue(ctx context.Context, migrate func(context.Context) error) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, queueMigrateLock); err != nil {
		return fmt.Errorf("lock migrations: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, queueMigrateLock) //nolint:errcheck // the session ends the lock anyway
	return migrate(ctx)
}

// queueMigrateLock is the advisory lock key of River's migrations ("tiyan" in ASCII).
const queueMigrateLock = int64(0x746979616e)

// QueueExists reports whether the database at url has River's tables, without migrating
// anything: a sweep run by hand takes the sweep lock only then.
func QueueExists(ctx context.Context, url string) (bool, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return false, finding.Errorf(finding.EUNAVAILABLE, "任务队列无法连接 PostgreSQL：%v", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var ok bool
	err = conn.QueryRow(ctx, `SELECT to_regclass('river_job') IS NOT NULL`).Scan(&ok)
	return ok, err
}

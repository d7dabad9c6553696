package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	"github.com/riverqueue/river/riverdriver/riversqlite"

	"tiyan/internal/finding"
	"tiyan/internal/store/queue"
)

// QueuePath is where River keeps its jobs beside an SQLite store: PATH.jobs. A file of its own,
// because River polls and writes its tables several times a second, and SQLite lets one writer
// in at a time per file: sharing the store's file would make the store's ingests wait on the
// queue's housekeeping and the other way round.
func QueuePath(storePath string) string { return storePath + ".jobs" }

// queuePragmas: WAL lets readers in while one writes; busy_timeout makes a writer wait for the
// lock (another process enqueuing, a checkpoint) rather than fail at once; _txlock=immediate
// takes the write lock when a transaction begins, because a deferred transaction that reads
// first and writes later can fail with SQLITE_BUSY regardless of the timeout.
const queuePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// Queue opens River's queue in the file beside the store's (QueuePath, created when missing)
// and applies River's migrations. The caller closes it.
func (s *Store) Queue(ctx context.Context) (*queue.Queue, error) {
	if s.path == ":memory:" {
		return nil, finding.Errorf(finding.EINVALID, "内存中的 SQLite 数据库不能用于任务队列：请用 sqlite:文件路径 或 postgres://…")
	}
	path := QueuePath(s.path)
	sqlDB, err := sql.Open("sqlite", "file:"+path+"?"+queuePragmas)
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
	if err := queue.Migrate(ctx, driver); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("任务队列（River）迁移失败：%w", err)
	}
	return queue.New(driver, sqlDB, func(ctx context.Context) (*sql.Tx, queue.TxEnd, error) {
		tx, err := sqlDB.BeginTx(ctx, nil)
		if err != nil {
			return nil, queue.TxEnd{}, err
		}
		return tx, queue.TxEnd{Commit: tx.Commit, Rollback: func() { _ = tx.Rollback() }}, nil
	}, sqlDB.Close), nil
}

// QueueExists reports whether the store at path has a queue file beside it.
func QueueExists(path string) bool {
	if path == ":memory:" {
		return false
	}
	_, err := os.Stat(QueuePath(path))
	return err == nil
}

package jobs

import (
	"context"
	"database/sql"

	"tiyan/internal/finding"
	"tiyan/internal/store"
	"tiyan/internal/store/queue"
)

// database is what the job queue works on, all from one store.DB: River's queue, the sweep
// ledger (this package's bookkeeping, in the store's tables) and a database/sql handle on
// River's tables for reading them directly.
type database struct {
	queue  *queue.Queue
	sweeps finding.SweepLedger
	sql    *sql.DB   // River's tables
	owned  *store.DB // opened for the queue from Config.DatabaseURL: closed with it
}

// openDatabase opens River's queue on cfg.DB, or on the database cfg.DatabaseURL names ("" is
// the embedded default) when DB is nil, applying River's migrations.
func openDatabase(ctx context.Context, cfg Config) (*database, error) {
	db := &database{}
	sdb := cfg.DB
	if sdb == nil {
		var err error
		if sdb, err = store.Open(ctx, cfg.DatabaseURL); err != nil {
			return nil, err
		}
		db.owned = sdb
	}
	q, err := sdb.Queue(ctx)
	if err != nil {
		db.close()
		return nil, err
	}
	db.queue, db.sweeps, db.sql = q, sdb.Sweeps, q.SQL
	return db, nil
}

// close closes the queue, and the store when it was opened for it.
func (db *database) close() {
	if db.queue != nil {
		db.queue.Close()
	}
	if db.owned != nil {
		db.owned.Close()
	}
}

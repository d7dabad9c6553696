// Package queue is River's side of a store's database: a River client on the driver of the
// store's own connections (riverpgxv5 over its pgx pool, riversqlite over an SQLite file), with
// the driver's transaction type hidden, so that internal/jobs neither opens a database nor
// imports a driver. internal/store/postgres and internal/store/sqlite make a Queue; callers get
// it from store.DB.
package queue

import (
	"context"
	"database/sql"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// Client is the River client, whatever its driver's transaction type.
type Client interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
	JobDelete(ctx context.Context, id int64) (*rivertype.JobRow, error)
	// InsertUnlessDuplicate inserts first and then rest in one transaction. When first is a
	// duplicate of a unique job in flight it inserts nothing and returns that job.
	InsertUnlessDuplicate(ctx context.Context, first river.InsertManyParams, rest []river.InsertManyParams) (held *rivertype.JobRow, err error)
}

// Queue is River's tables on a database, migrated: it makes clients on them.
type Queue struct {
	// SQL is a database/sql handle on River's tables, for reading them directly (the queue's
	// depth for metrics) and for tests.
	SQL       *sql.DB
	newClient func(cfg *river.Config) (Client, error)
	close     func() error
}

// TxEnd ends a transaction of either driver.
type TxEnd struct {
	Commit   func() error
	Rollback func()
}

// New makes the Queue of a River driver. begin starts a transaction of the driver's type;
// close releases what the Queue holds of its own (nil when it shares the store's connections).
func New[TTx any](driver riverdriver.Driver[TTx], sqlDB *sql.DB, begin func(context.Context) (TTx, TxEnd, error), close func() error) *Queue {
	return &Queue{
		SQL: sqlDB,
		newClient: func(cfg *river.Config) (Client, error) {
			c, err := river.NewClient(driver, cfg)
			if err != nil {
				return nil, err
			}
			return &client[TTx]{Client: c, begin: begin}, nil
		},
		close: close,
	}
}

// NewClient makes a River client on the queue.
func (q *Queue) NewClient(cfg *river.Config) (Client, error) { return q.newClient(cfg) }

// Close releases the queue's own connections; those it shares with the store stay open.
func (q *Queue) Close() error {
	if q.close == nil {
		return nil
	}
	return q.close()
}

// Migrate applies River's own migrations with driver.
func Migrate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// client is a River client with the one transactional operation tiyan needs, written once for
// both drivers' transaction types.
type client[TTx any] struct {
	*river.Client[TTx]
	begin func(ctx context.Context) (TTx, TxEnd, error)
}

func (c *client[TTx]) InsertUnlessDuplicate(ctx context.Context, first river.InsertManyParams, rest []river.InsertManyParams) (*rivertype.JobRow, error) {
	tx, end, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer end.Rollback()
	res, err := c.InsertTx(ctx, tx, first.Args, first.InsertOpts)
	if err != nil {
		return nil, err
	}
	if res.UniqueSkippedAsDuplicate {
		return res.Job, nil
	}
	if len(rest) > 0 {
		if _, err := c.InsertManyTx(ctx, tx, rest); err != nil {
			return nil, err
		}
	}
	return nil, end.Commit()
}

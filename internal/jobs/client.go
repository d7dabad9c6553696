package jobs

import (
	"context"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"
)

// txEnd ends a transaction of either driver.
type txEnd struct {
	commit   func() error
	rollback func()
}

// client is a River client with the one transactional operation this package needs, written
// once for both drivers' transaction types.
type client[TTx any] struct {
	*river.Client[TTx]
	begin func(ctx context.Context) (TTx, txEnd, error)
}

func newClient[TTx any](driver riverdriver.Driver[TTx], cfg *river.Config, begin func(context.Context) (TTx, txEnd, error)) (queue, error) {
	c, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, err
	}
	return &client[TTx]{Client: c, begin: begin}, nil
}

func (c *client[TTx]) insertSweep(ctx context.Context, lock river.InsertManyParams, probes []river.InsertManyParams) (*rivertype.JobRow, error) {
	tx, end, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer end.rollback()
	res, err := c.InsertTx(ctx, tx, lock.Args, lock.InsertOpts)
	if err != nil {
		return nil, err
	}
	if res.UniqueSkippedAsDuplicate {
		return res.Job, nil
	}
	if len(probes) > 0 {
		if _, err := c.InsertManyTx(ctx, tx, probes); err != nil {
			return nil, err
		}
	}
	return nil, end.commit()
}

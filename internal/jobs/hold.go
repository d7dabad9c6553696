package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"tiyan/internal/finding"
	"tiyan/internal/store"
)

// A process that sweeps by itself (tiyan sweep, not --enqueue) takes the same lock as a queued
// sweep: a sweep_finish job, unique by kind while in flight, marked Held. No worker runs it
// while the process is alive: it is scheduled holdLease ahead, and the process writes a
// heartbeat every holdBeat. When it runs (the process released it without deleting it, or
// died), the worker reads the heartbeat: fresh, it waits again; stale or gone, it closes the
// run when still open and lets the lock go. Another process that wants to sweep takes over a
// stale lock at once, which matters on SQLite, where no worker may be running.
const (
	holdBeat  = 20 * time.Second
	holdLease = 2 * time.Minute
)

// Hold is the one-sweep-at-a-time lock held by a process for a sweep it runs itself.
type Hold struct {
	j      *Jobs
	own    bool // j was opened for the hold: Release closes it
	jobID  int64
	runID  string
	stop   chan struct{}
	beaten sync.WaitGroup
}

// HoldSweep takes the lock for the sweep run runID that this process is about to run itself.
// While another sweep is queued to start or running it returns a *SweepRunningError naming it.
// Release the hold when the sweep is over.
func (j *Jobs) HoldSweep(ctx context.Context, runID string) (*Hold, error) {
	for takeover := false; ; takeover = true {
		if err := j.db.beat(ctx, runID, j.cfg.Name); err != nil {
			return nil, err
		}
		res, err := j.q.Insert(ctx, SweepFinishArgs{RunID: runID, Held: true},
			&river.InsertOpts{Metadata: runMeta(runID), ScheduledAt: time.Now().Add(holdLease)})
		if err == nil && !res.UniqueSkippedAsDuplicate {
			h := &Hold{j: j, jobID: res.Job.ID, runID: runID, stop: make(chan struct{})}
			h.beaten.Go(h.heartbeat)
			return h, nil
		}
		_ = j.db.unbeat(context.WithoutCancel(ctx), runID)
		if err != nil {
			return nil, fmt.Errorf("取得全量体验锁：%w", err)
		}
		var other SweepFinishArgs
		_ = json.Unmarshal(res.Job.EncodedArgs, &other)
		if takeover || !other.Held {
			return nil, &SweepRunningError{RunID: other.RunID}
		}
		if alive, err := j.db.holdAlive(ctx, other.RunID); err != nil || alive {
			if err == nil {
				err = &SweepRunningError{RunID: other.RunID}
			}
			return nil, err
		}
		// Its process died: close its run and take the lock.
		if _, err := j.q.JobDelete(ctx, res.Job.ID); err != nil && !errors.Is(err, rivertype.ErrNotFound) {
			return nil, &SweepRunningError{RunID: other.RunID}
		}
		j.log.Warn("took over the sweep lock of a process that stopped", "run", other.RunID)
	}
}

// HoldSweep opens the job queue of the database url names and takes the lock for a sweep this
// process runs itself: tiyan sweep. The hold's Release closes the queue.
func HoldSweep(ctx context.Context, url, runID string) (*Hold, error) {
	j, err := Open(ctx, Config{DatabaseURL: url})
	if err != nil {
		return nil, err
	}
	h, err := j.HoldSweep(ctx, runID)
	if err != nil {
		j.Close()
		return nil, err
	}
	h.own = true
	return h, nil
}

// Release lets the lock go: the next sweep may start.
func (h *Hold) Release(ctx context.Context) error {
	close(h.stop)
	h.beaten.Wait()
	ctx = context.WithoutCancel(ctx)
	err := h.j.db.unbeat(ctx, h.runID)
	// A worker looking at the job right now finds no heartbeat and completes it instead.
	if _, derr := h.j.q.JobDelete(ctx, h.jobID); derr != nil && !errors.Is(derr, rivertype.ErrJobRunning) && !errors.Is(derr, rivertype.ErrNotFound) {
		err = errors.Join(err, derr)
	}
	if h.own {
		h.j.Close()
	}
	return err
}

// heartbeat tells workers and other processes the holder is alive, until Release.
func (h *Hold) heartbeat() {
	t := time.NewTicker(holdBeat)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), holdBeat)
			if err := h.j.db.beat(ctx, h.runID, h.j.cfg.Name); err != nil {
				h.j.log.Warn("sweep lock heartbeat failed", "run", h.runID, "error", err)
			}
			cancel()
		}
	}
}

// watchHold is sweep_finish for a held lock: while the holder is alive it waits; once it is
// not, it closes the holder's run if still open and completes, letting the lock go.
func (j *Jobs) watchHold(ctx context.Context, a SweepFinishArgs) error {
	alive, err := j.db.holdAlive(ctx, a.RunID)
	if err != nil {
		return err
	}
	if alive {
		return river.JobSnooze(holdLease / 2)
	}
	st := j.cfg.Loop.Store()
	run, err := st.Run(ctx, a.RunID)
	if err == nil && run.Status == finding.RunRunning {
		run.Status, run.Finished = finding.RunFailed, time.Now()
		run.Errors = append(run.Errors, "执行这次全量体验的进程已中断，体验未完成")
		if err := st.UpdateRun(ctx, capErrors(run)); err != nil {
			return err
		}
		j.log.Warn("the process of a sweep stopped without finishing it", "run", a.RunID)
	} else if err != nil && finding.ErrorCode(err) != finding.ENOTFOUND {
		return err
	}
	return j.db.unbeat(ctx, a.RunID)
}

// beat records that holder is alive and holds the lock for runID.
func (db *database) beat(ctx context.Context, runID, holder string) error {
	return db.sweeps.BeatHold(ctx, runID, holder, time.Now())
}

func (db *database) unbeat(ctx context.Context, runID string) error {
	return db.sweeps.DropHold(ctx, runID)
}

// holdAlive reports whether the holder of runID's lock has beaten within holdLease.
func (db *database) holdAlive(ctx context.Context, runID string) (bool, error) {
	return db.sweeps.HoldAlive(ctx, runID, time.Now().Add(-holdLease))
}

// Exists reports whether the store the URL names has a job queue: River's tables in its
// PostgreSQL database, or the PATH.jobs file beside its SQLite file. A sweep run by hand takes
// the sweep lock only then, and creates no queue where nobody uses one.
func Exists(ctx context.Context, url string) (bool, error) {
	ok, err := store.QueueExists(ctx, url)
	if finding.ErrorCode(err) == finding.EINVALID {
		return false, nil // not a URL a queue can live on
	}
	return ok, err
}

// Package jobs runs tiyan's work as River jobs (riverqueue/river): sweeps fanned out into one
// job per item and channel, scheduled scenario runs and the daily overdue scan, with periodic
// schedules from cron expressions.
//
// On PostgreSQL (riverpgxv5) any number of processes share one queue: `tiyan serve` and
// `tiyan worker` on many machines, each with its own Chromium. On the embedded SQLite default
// (riversqlite) one `tiyan serve` process does everything; River's tables live in a file of
// their own beside the store's, PATH.jobs. The package opens no database itself: River's queue
// and the sweep ledger come from store.DB (Config.DB, or store.Open of Config.DatabaseURL).
//
// A sweep is three kinds of job:
//
//   - sweep_start lists the items, creates the run record and, in one transaction, queues one
//     probe per item-channel and a sweep_finish. Probes are unique by run, item and channel,
//     so an item-channel is queued once per run however often the start is retried.
//   - probe probes one item-channel, files its findings and records it in the store's sweep
//     ledger (finding.SweepLedger), whose key is (run, item, channel): done once, whichever worker and
//     however many attempts. Findings that many items may share (sweep.Groupable: a page
//     template's fault, the site's missing elder mode) are not filed but held in the ledger,
//     with whether the page was a usable guide; a retried probe replaces what it held. The
//     last channel of an item to be recorded compares the item's guides across channels.
//   - sweep_finish is unique by kind while in flight, so while it exists no other sweep can
//     start. It wakes every few seconds, writes the run's progress (done, findings, per-worker
//     counts, errors) into the run record, and once no probe is in flight groups the held
//     findings as a sweep run by one process does (sweep.Group: one site or template finding
//     for a condition enough items share), files them and closes the run, handing its digest
//     to the Notifier (the Slack outbox of internal/notify) and queuing a verify of every
//     handled automated finding of the items it probed. The run's ledger rows, held findings
//     included, go last, so a retried finish files again only if it failed before the close,
//     and the loop takes that as the same findings (by fingerprint) seen once more.
//
// verify probes again what found a handled finding (loop.Verify with the target's sweeper):
// verified when the defect is gone, back to its unit when it is not. Each keeps a run record of
// kind verify; it is unique per finding while in flight. Besides the sweeps' own, staff queue
// them with EnqueueVerify (tiyan findings verify ID --enqueue), so a unit's fix is verified by
// the next night at the latest.
//
// A sweep a process runs by itself (tiyan sweep) takes the same lock with HoldSweep: a
// sweep_finish marked Held that only watches the process's heartbeat, so a hand-run sweep and a
// queued one never overlap, and a killed process holds the lock two minutes at most.
//
// overdue_scan reminds each unit of its problems past their deadline through the same
// Notifier; scenario_run runs a scripted scenario through the ScenarioRunner cmd/tiyan gives.
//
// A worker that dies mid-job leaves its job running in River's table; the leader's rescuer
// hands it to another worker once it has run for Config.RescueAfter (3 minutes) and its own
// timeout (probes: 150 seconds) has passed.
//
//	db, err := store.Open(ctx, url)
//	…
//	lp, err := loop.New(loop.Config{Store: db})
//	j, err := jobs.Open(ctx, jobs.Config{DB: db, Work: true, Loop: lp,
//		Schedules: []jobs.Schedule{{Name: "sweep", Cron: "0 1 * * *", Job: jobs.SweepArgs{Target: jobs.Target{Site: "wanshitong"}}}}})
//	if err != nil { … }
//	defer j.Close()
//	if err := j.Start(ctx); err != nil { … }
//	runID, err := j.EnqueueSweep(ctx, jobs.SweepArgs{Target: jobs.Target{Site: "wanshitong"}})
//	…
//	j.Stop(stopCtx)
package jobs

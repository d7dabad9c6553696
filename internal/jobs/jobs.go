package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"tiyan/internal/browser"
	"tiyan/internal/finding"
	"tiyan/internal/loop"
	"tiyan/internal/store"
	"tiyan/internal/store/queue"
	"tiyan/internal/sweep"
	"tiyan/probes"
	"tiyan/scenarios"
)

// Config configures Jobs. The zero value of every field is its default; Loop is required of a
// process that works jobs (Work).
type Config struct {
	// DatabaseURL names the database, as for the store: postgres://… (River's tables go in the
	// same database and schema as the store's) or sqlite:PATH (River's tables go in PATH.jobs).
	// "" is the embedded default, data/tiyan.db.
	DatabaseURL string
	// DB is the database already open (store.Open), used instead of DatabaseURL and left open
	// by Close: a process that has its store open shares its connections with the queue.
	DB *store.DB
	// Work makes this process work jobs: probes, sweeps, verifications, scenarios, scans.
	// False is a client that only enqueues and lists (tiyan sweep --enqueue, tiyan runs).
	Work bool
	// Loop files findings and keeps run records. Required with Work; a client with one checks
	// a finding before it queues its verification.
	Loop *loop.Loop
	// Site is the portal EnqueueVerify has findings probed again on: tiyan.yaml's site.
	// Verifications queued after a sweep use the sweep's own target instead.
	Site Target
	// Name is this worker's name in run records and River's client ID, unique among the
	// processes on one database. "" is HOSTNAME-PID.
	Name string
	// Concurrency is how many item-channels this process probes at once. 0 is 2.
	Concurrency int
	// SitesDir is the folder of site profiles sweeps name. "" is scenarios/sites.
	SitesDir string
	// CatalogueHeaders names the columns of an XLSX or CSV 实施清单 otherwise than the standard
	// (site.catalogue_headers). Nil: the standard headers.
	CatalogueHeaders map[string][]string
	// Env reads sign-in credentials for reading online forms. Nil is os.LookupEnv.
	Env func(string) (string, bool)
	// Browser starts this process's Chromium.
	Browser browser.Config
	// Prober makes the prober of a sweep target (site, base URL, catalogue), once per target
	// and process. Nil loads the site profile from SitesDir and starts a sweeper with
	// Concurrency, Env and Browser; tests set it to loosen politeness.
	Prober func(ctx context.Context, t Target) (*Prober, error)
	// Scenarios runs scenario_run jobs. Nil fails them with a message saying so.
	Scenarios ScenarioRunner
	// Notifier receives overdue reminders and the digests of finished sweeps and scenario
	// runs: *notify.Notifier. Nil logs them.
	Notifier Notifier
	// Schedules are the periodic jobs. Every process gets the same ones, because whichever
	// process River elects leader enqueues them.
	Schedules []Schedule
	// Location is the zone schedules are read in. Nil is Asia/Shanghai.
	Location *time.Location
	// ProbeTimeout bounds one item-channel. 0 is 150 seconds.
	ProbeTimeout time.Duration
	// RescueAfter is how long a job may run before River's rescuer (on the leader) takes it
	// for dead and hands it to another worker, at the earliest after its own timeout. 0 is 3
	// minutes: a worker killed mid-probe costs a sweep at most that long for its page.
	RescueAfter time.Duration
	// FinishPoll is how often sweep_finish looks at a run's progress. 0 is 5 seconds.
	FinishPoll time.Duration
	// Now is the clock the schedules read. Nil is time.Now; tests move it to the edge of a
	// minute instead of sleeping until one.
	Now func() time.Time
	// Logger receives job failures. Nil discards them.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Name == "" {
		host, _ := os.Hostname()
		c.Name = host + "-" + strconv.Itoa(os.Getpid())
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 2
	}
	if c.SitesDir == "" {
		c.SitesDir = "scenarios/sites"
	}
	if c.Env == nil {
		c.Env = os.LookupEnv
	}
	if c.Location == nil {
		c.Location = finding.Zone
	}
	if c.ProbeTimeout <= 0 {
		c.ProbeTimeout = 150 * time.Second
	}
	if c.RescueAfter <= 0 {
		c.RescueAfter = 3 * time.Minute
	}
	if c.FinishPoll <= 0 {
		c.FinishPoll = 5 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Notifier == nil {
		c.Notifier = LogNotifier{Logger: c.Logger}
	}
	return c
}

// Jobs is tiyan's job queue on River: the client, its workers and its schedules.
type Jobs struct {
	cfg     Config
	db      *database
	q       queue.Client
	targets *targets
	metrics *metrics
	log     *slog.Logger
}

// Open opens the job queue on the database cfg names, applying River's migrations.
func Open(ctx context.Context, cfg Config) (*Jobs, error) {
	cfg = cfg.withDefaults()
	if cfg.Work && cfg.Loop == nil {
		return nil, errors.New("jobs: Config.Loop is required to work jobs")
	}
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return nil, err
	}
	j := &Jobs{cfg: cfg, db: db, log: cfg.Logger.With("worker", cfg.Name)}
	j.targets = newTargets(j)
	j.metrics = newMetrics(j)
	rc, err := j.riverConfig()
	if err == nil {
		j.q, err = db.queue.NewClient(rc)
	}
	if err != nil {
		db.close()
		return nil, fmt.Errorf("任务队列配置有误：%w", err)
	}
	return j, nil
}

// riverConfig is the River client's configuration: workers, queues and schedules with Work,
// an insert-only client without.
func (j *Jobs) riverConfig() (*river.Config, error) {
	rc := &river.Config{
		ID:                   j.cfg.Name,
		Logger:               j.log,
		JobTimeout:           time.Minute,
		RescueStuckJobsAfter: j.cfg.RescueAfter,
		MaxAttempts:          5,
	}
	if j.cfg.Now != nil {
		rc.Test.Time = clock(j.cfg.Now)
	}
	if !j.cfg.Work {
		return rc, nil
	}
	rc.Workers = j.workers()
	rc.Queues = map[string]river.QueueConfig{
		queueDefault:  {MaxWorkers: 4},
		queueProbe:    {MaxWorkers: j.cfg.Concurrency},
		queueScenario: {MaxWorkers: 1},
	}
	periodic, err := j.periodicJobs()
	rc.PeriodicJobs = periodic
	return rc, err
}

func (j *Jobs) workers() *river.Workers {
	w := river.NewWorkers()
	river.AddWorker(w, &sweepWorker{j: j})
	river.AddWorker(w, &probeWorker{j: j})
	river.AddWorker(w, &finishWorker{j: j})
	river.AddWorker(w, &scenarioWorker{j: j})
	river.AddWorker(w, &overdueWorker{j: j})
	river.AddWorker(w, &verifyWorker{j: j})
	return w
}

// Name is this process's worker name.
func (j *Jobs) Name() string { return j.cfg.Name }

// Start starts working jobs (with Work) until Stop. Ending ctx cancels running jobs at once;
// start with a context that outlives the process's signal and call Stop for a graceful end.
func (j *Jobs) Start(ctx context.Context) error {
	if !j.cfg.Work {
		return errors.New("jobs: Start needs Config.Work")
	}
	return j.q.Start(ctx)
}

// Stop lets running jobs finish until ctx ends, then cancels them (they are retried elsewhere
// or on the next start), and closes this process's Chromium.
func (j *Jobs) Stop(ctx context.Context) error {
	err := j.q.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err = j.q.StopAndCancel(cctx)
		cancel()
	}
	j.targets.close()
	return err
}

// Close closes the database. Stop first when started.
func (j *Jobs) Close() error {
	j.targets.close()
	j.db.close()
	return nil
}

// Metrics serves this process's Prometheus metrics.
func (j *Jobs) Metrics() http.Handler { return j.metrics.handler() }

// Prober is what the sweep jobs of one target work with: the site profile, the catalogue
// guides are compared with, and a sweeper (one Chromium) on them.
type Prober struct {
	Site      *scenarios.Site
	Catalogue *probes.Catalogue // nil: no comparison with the 实施清单
	HTTP      *http.Client      // lists the catalogue API
	Sweeper   *sweep.Sweeper
}

// Enqueue queues a job of this package's kinds with its own insert options: a scenario run or
// an overdue scan on demand. Sweeps go through EnqueueSweep, which refuses a second one.
func (j *Jobs) Enqueue(ctx context.Context, args river.JobArgs) error {
	if _, ok := args.(SweepArgs); ok {
		return errors.New("jobs: enqueue sweeps with EnqueueSweep")
	}
	_, err := j.q.Insert(ctx, args, nil)
	return err
}

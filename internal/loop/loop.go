package loop

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"tiyan/internal/finding"
)

// Robot is the actor name of tiyan itself in events.
const Robot = finding.Robot

// Config configures a Loop. Its zero values are the defaults, except Store, which is required.
type Config struct {
	// Store keeps the findings.
	Store finding.Store
	// Calendar counts working days; nil is the shipped 2025–2026 calendar (DefaultCalendar).
	Calendar *Calendar
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Deadlines are the working days a unit has to fix a problem, by severity; a severity
	// missing (or the whole map nil) takes its default: blocker 1, major 5, minor 10, advice 15.
	Deadlines map[finding.Severity]int
	// IngestBatch is how many sightings Ingest hands the store per transaction; 0 is 5000.
	IngestBatch int
	// Logger receives calendar warnings and ingest summaries; nil discards them.
	Logger *slog.Logger
}

// DefaultDeadlines returns the working days a unit has by default, by severity.
func DefaultDeadlines() map[finding.Severity]int {
	return map[finding.Severity]int{finding.Blocker: 1, finding.Major: 5, finding.Minor: 10, finding.Advice: 15}
}

// Loop moves findings through the rectification loop on a Store.
type Loop struct {
	store     finding.Store
	cal       *Calendar
	now       func() time.Time
	deadlines map[finding.Severity]int
	batch     int
	log       *slog.Logger
}

// New returns a Loop for cfg, with defaults applied.
func New(cfg Config) (*Loop, error) {
	if cfg.Store == nil {
		return nil, errors.New("loop: Config.Store is required")
	}
	l := &Loop{store: cfg.Store, cal: cfg.Calendar, now: cfg.Now, deadlines: DefaultDeadlines(), batch: cfg.IngestBatch, log: cfg.Logger}
	if l.cal == nil {
		l.cal = DefaultCalendar()
	}
	if l.now == nil {
		l.now = time.Now
	}
	if l.batch <= 0 {
		l.batch = 5000
	}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	for sev, days := range cfg.Deadlines {
		if !sev.Valid() || days < 1 {
			return nil, fmt.Errorf("loop: deadline for %q must be at least 1 working day, got %d", sev, days)
		}
		l.deadlines[sev] = days
	}
	return l, nil
}

// Store returns the store the loop works on.
func (l *Loop) Store() finding.Store { return l.store }

// Calendar returns the working-day calendar in use.
func (l *Loop) Calendar() *Calendar { return l.cal }

// Now returns the loop's clock reading.
func (l *Loop) Now() time.Time { return l.now() }

// Show returns one finding with its history, overdue derived from the clock.
func (l *Loop) Show(ctx context.Context, id int64) (finding.Finding, error) {
	f, err := l.store.Finding(ctx, id)
	if err != nil {
		return f, err
	}
	f.Overdue = f.OverdueAt(l.now())
	return f, nil
}

// List lists findings, overdue derived from the clock.
func (l *Loop) List(ctx context.Context, filter finding.FindingFilter) ([]finding.Finding, error) {
	fs, err := l.store.Findings(ctx, filter)
	if err != nil {
		return nil, err
	}
	now := l.now()
	for i := range fs {
		fs[i].Overdue = fs[i].OverdueAt(now)
	}
	return fs, nil
}

// Overdue lists the problems whose deadline has passed now, narrowed by filter.
func (l *Loop) Overdue(ctx context.Context, filter finding.FindingFilter) ([]finding.Finding, error) {
	filter.OverdueAt = l.now()
	return l.List(ctx, filter)
}

// Inbox lists a unit's open problems, nearest deadline first.
func (l *Loop) Inbox(ctx context.Context, unitID int64, limit, offset int) ([]finding.Finding, error) {
	return l.List(ctx, finding.Inbox(unitID, limit, offset))
}

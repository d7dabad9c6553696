package jobs

import (
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/robfig/cron/v3"
)

// Schedule is a periodic job: what to enqueue, and when.
type Schedule struct {
	// Name identifies the schedule in logs and River ("sweep", "overdue_scan",
	// "scenario:getihu-guide"); unique.
	Name string
	// Cron is a 5-field cron expression (minute hour day month weekday), read in
	// Config.Location by robfig/cron's standard parser.
	Cron string
	// Job is what is enqueued each time: SweepArgs (without a RunID), OverdueScanArgs or
	// ScenarioArgs. Its InsertOpts keep a second one from queuing while one is in flight.
	Job river.JobArgs
}

// CronSchedule turns a cron expression into a River schedule in loc: River asks it for the next
// time after now, and cron answers in the zone of the time it is given.
func CronSchedule(expr string, loc *time.Location) (river.PeriodicSchedule, error) {
	s, err := cron.ParseStandard(expr)
	if err != nil {
		return nil, err
	}
	return cronSchedule{s: s, loc: loc}, nil
}

type cronSchedule struct {
	s   cron.Schedule
	loc *time.Location
}

func (c cronSchedule) Next(t time.Time) time.Time { return c.s.Next(t.In(c.loc)) }

// periodicJobs are the configured schedules as River periodic jobs.
func (j *Jobs) periodicJobs() ([]*river.PeriodicJob, error) {
	seen := map[string]bool{}
	out := make([]*river.PeriodicJob, 0, len(j.cfg.Schedules))
	for _, s := range j.cfg.Schedules {
		if seen[s.Name] {
			return nil, fmt.Errorf("定时任务 %s 重复", s.Name)
		}
		seen[s.Name] = true
		sched, err := CronSchedule(s.Cron, j.cfg.Location)
		if err != nil {
			return nil, fmt.Errorf("定时任务 %s 的 cron 表达式 %q 无效：%w", s.Name, s.Cron, err)
		}
		job := s.Job
		out = append(out, river.NewPeriodicJob(sched, func() (river.JobArgs, *river.InsertOpts) { return job, nil },
			&river.PeriodicJobOpts{ID: s.Name}))
	}
	return out, nil
}

// clock is a River time generator reading an injected clock. It only moves River's notion of
// now for schedules and timers; rows keep the database's own time (NowOrNil is nil).
type clock func() time.Time

func (c clock) Now() time.Time       { return c() }
func (c clock) NowOrNil() *time.Time { return nil }

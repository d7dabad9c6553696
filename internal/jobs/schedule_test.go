package jobs

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"tiyan/internal/finding"
)

func TestCronScheduleReadsShanghaiTime(t *testing.T) {
	s, err := CronSchedule("0 1 * * *", finding.Zone)
	if err != nil {
		t.Fatal(err)
	}
	// 12:00 UTC is 20:00 in Shanghai: the next 01:00 there is 17:00 UTC.
	got := s.Next(time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC))
	if want := time.Date(2026, 9, 30, 17, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("next = %s, want %s", got.UTC(), want)
	}
	weekdays, _ := CronSchedule("0 9 * * 1-5", finding.Zone)
	// Saturday 2026-10-03 10:00 in Shanghai: the next weekday 09:00 is Monday the 5th.
	got = weekdays.Next(time.Date(2026, 10, 3, 10, 0, 0, 0, finding.Zone))
	if want := time.Date(2026, 10, 5, 9, 0, 0, 0, finding.Zone); !got.Equal(want) {
		t.Errorf("next weekday = %s, want %s", got, want)
	}
	if _, err := CronSchedule("0 1 * *", finding.Zone); err == nil {
		t.Error("a 4-field expression parsed")
	}
}

// TestEveryMinuteCronStartsASweep configures a sweep every minute and sets the schedule's clock
// to 5 seconds before a minute turns, instead of waiting up to a minute: the schedule fires and
// a sweep run starts. The clock stands still until the client has started and runs from then
// on, so that however long opening takes (migrations, a busy CI machine) River's leader finds
// the minute still ahead; it is set back, never forward, so that the job it enqueues is due at
// once by the database's own clock.
func TestEveryMinuteCronStartsASweep(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the sweep it starts opens Chromium")
	}
	url := sqliteURL(t)
	ts := newSim(t)
	lp := openLoop(t, url)
	frozen := time.Now().Truncate(time.Minute).Add(-5 * time.Second)
	var started atomic.Pointer[time.Time]
	clock := func() time.Time {
		if s := started.Load(); s != nil {
			return frozen.Add(time.Since(*s))
		}
		return frozen
	}
	j := openJobs(t, Config{DatabaseURL: url, Work: true, Loop: lp, Prober: simProber(t, 1),
		Schedules: []Schedule{{Name: "sweep", Cron: "* * * * *", Job: SweepArgs{Target: simTarget(ts), Limit: 1}}},
		Now:       clock})
	start(t, j)
	now := time.Now()
	started.Store(&now)
	deadline := time.Now().Add(30 * time.Second)
	for {
		runs, err := lp.Store().Runs(context.Background(), finding.RunFilter{Kind: finding.RunSweep})
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) > 0 {
			if runs[0].Total != 2 {
				t.Errorf("scheduled run = %+v; want 1 item on 2 channels", runs[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no sweep started within 30 s of a minute turning under `* * * * *`")
		}
		time.Sleep(100 * time.Millisecond)
	}
	res, err := j.q.JobList(context.Background(), newListParams(KindSweepStart))
	if err != nil || len(res.Jobs) == 0 || string(res.Jobs[0].Metadata) == "{}" {
		t.Fatalf("sweep_start jobs = %v, %v; want one marked periodic", res, err)
	}
}

package jobs

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"tiyan/internal/sweep"
)

// metrics are one process's Prometheus metrics, on a registry of its own so that two clients in
// one test process do not collide.
type metrics struct {
	reg      *prometheus.Registry
	probed   *prometheus.CounterVec
	duration *prometheus.HistogramVec
	findings *prometheus.CounterVec
}

func newMetrics(j *Jobs) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		probed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tiyan_item_channels_probed_total",
			Help: "Item-channels probed by this process, by channel and whether the guide page loaded."}, []string{"channel", "reachable"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "tiyan_probe_duration_seconds",
			Help:    "Time to probe one item-channel, all probe families included.",
			Buckets: []float64{1, 2, 5, 10, 20, 30, 45, 60, 90, 120, 180}}, []string{"channel"}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tiyan_findings_total",
			Help: "Findings filed by this process, by rule."}, []string{"rule"}),
	}
	m.reg.MustRegister(m.probed, m.duration, m.findings,
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "tiyan_browser_restarts_total",
			Help: "Chromiums replaced after they died, in this process."}, func() float64 { return float64(j.targets.restarts()) }),
		queueDepth{db: j.db},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// observe counts one item-channel and its findings.
func (m *metrics) observe(channel string, res sweep.ChannelResult) {
	reachable := "false"
	if res.Reachable {
		reachable = "true"
	}
	m.probed.WithLabelValues(channel, reachable).Inc()
	m.duration.WithLabelValues(channel).Observe(res.Duration.Seconds())
	m.found(res.Findings)
}

// found counts findings by rule.
func (m *metrics) found(fs []sweep.Finding) {
	for _, f := range fs {
		m.findings.WithLabelValues(f.Rule).Inc()
	}
}

// queueDepth reports the jobs not yet finished, by queue and state, read from River's table at
// scrape time: the queue is shared by every process, so any of them can tell its depth.
type queueDepth struct{ db *database }

var queueDepthDesc = prometheus.NewDesc("tiyan_jobs", "Jobs not yet finished, by queue and state (shared by all processes).",
	[]string{"queue", "state"}, nil)

func (q queueDepth) Describe(ch chan<- *prometheus.Desc) { ch <- queueDepthDesc }

func (q queueDepth) Collect(ch chan<- prometheus.Metric) {
	counts, err := q.count()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(queueDepthDesc, err)
		return
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(queueDepthDesc, prometheus.GaugeValue, n, k[0], k[1])
	}
}

// count reads the depth, with a zero for every queue and state of tiyan's that has no job, so
// that an empty queue shows as 0 rather than as no data.
func (q queueDepth) count() (map[[2]string]float64, error) {
	counts := map[[2]string]float64{}
	for _, queue := range []string{queueDefault, queueProbe, queueScenario} {
		for _, state := range inFlight {
			counts[[2]string{queue, string(state)}] = 0
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rows, err := q.db.sql.QueryContext(ctx, `SELECT queue, state, count(*) FROM river_job
		WHERE state IN ('available', 'pending', 'retryable', 'running', 'scheduled') GROUP BY queue, state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var queue, state string
		var n float64
		if err := rows.Scan(&queue, &state, &n); err != nil {
			return nil, err
		}
		counts[[2]string{queue, state}] = n
	}
	return counts, rows.Err()
}

package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"tiyan/internal/sweep"
	"tiyan/probes"
	"tiyan/scenarios"
)

// targets keeps one Prober per sweep target in this process, made on first use: a Chromium is
// expensive to start, and every probe job of a sweep shares the same target.
type targets struct {
	j  *Jobs
	mu sync.Mutex
	m  map[string]*Prober
}

func newTargets(j *Jobs) *targets { return &targets{j: j, m: map[string]*Prober{}} }

// get returns the prober of t, making it when there is none yet.
func (ts *targets) get(ctx context.Context, t Target) (*Prober, error) {
	key, _ := json.Marshal(t)
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if p := ts.m[string(key)]; p != nil {
		return p, nil
	}
	newProber := ts.j.cfg.Prober
	if newProber == nil {
		newProber = ts.j.defaultProber
	}
	p, err := newProber(ctx, t)
	if err != nil {
		return nil, err
	}
	ts.m[string(key)] = p
	return p, nil
}

// restarts is how many times the probers' Chromiums were replaced after dying.
func (ts *targets) restarts() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	n := 0
	for _, p := range ts.m {
		n += p.Sweeper.Restarts()
	}
	return n
}

func (ts *targets) close() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for k, p := range ts.m {
		_ = p.Sweeper.Close()
		delete(ts.m, k)
	}
}

// defaultProber loads the target's site profile from SitesDir and its catalogue, and makes a
// sweeper with this process's concurrency, credentials and browser.
func (j *Jobs) defaultProber(ctx context.Context, t Target) (*Prober, error) {
	path := filepath.Join(j.cfg.SitesDir, t.Site+".yaml")
	site, err := scenarios.LoadSite(path, scenarios.SiteOptions{BaseURL: t.BaseURL})
	if err != nil {
		return nil, fmt.Errorf("站点配置 %s：%w", path, err)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	var cat *probes.Catalogue
	if t.Catalogue != "" {
		if cat, err = probes.LoadCatalogueWith(ctx, client, t.Catalogue, probes.CatalogueOptions{Headers: j.cfg.CatalogueHeaders}); err != nil {
			return nil, err
		}
	}
	sw, err := sweep.New(sweep.Config{Site: site, Catalogue: cat, Channels: channels(t.Channels), Concurrency: j.cfg.Concurrency,
		Browser: j.cfg.Browser, HTTP: client, Env: j.cfg.Env, Logger: j.log})
	if err != nil {
		return nil, err
	}
	return &Prober{Site: site, Catalogue: cat, HTTP: client, Sweeper: sw}, nil
}

func channels(names []string) []scenarios.Channel {
	out := make([]scenarios.Channel, len(names))
	for i, n := range names {
		out[i] = scenarios.Channel(n)
	}
	return out
}

package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"tiyan/internal/config"
	"tiyan/internal/sweep"
	"tiyan/internal/web"
	"tiyan/probes"
	"tiyan/scenarios"
)

// fillItems completes the items of scenarios that give only a code: the portal's item id (which
// the guide's address needs) and name come from the site's catalogue, as a sweep lists them.
func fillItems(ctx context.Context, scs []*scenarios.Scenario, sites map[string]*scenarios.Site) error {
	client := &http.Client{Timeout: 30 * time.Second}
	for _, sc := range scs {
		it := sc.Item
		if it == nil || (it.ID != "" && it.Name != "") {
			continue
		}
		site := sites[sc.Site]
		found, err := sweep.List(ctx, client, site, sweep.ListOptions{Codes: []string{it.Code}})
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("场景 %s（%s）：无法在门户事项列表中找到事项 %s：%w", sc.ID, sc.File, it.Code, err)}
		}
		if it.ID == "" {
			it.ID = found[0].ID
		}
		if it.Name == "" {
			it.Name = found[0].Name
		}
		if it.Unit == "" {
			it.Unit = found[0].Unit
		}
	}
	return nil
}

// reportItems lists the items the web report form searches (web.Config.Items): the configured
// authoritative catalogue's when there is one, else the portal's item list, read through the
// site profile as a sweep reads it. Each call reads them afresh; the web server keeps the list
// for an hour. Nil (no search) when the configuration names neither.
func reportItems(site config.Site) func(context.Context) ([]web.Item, error) {
	if site.Catalogue == "" && site.Name == "" {
		return nil
	}
	client := &http.Client{Timeout: 30 * time.Second}
	return func(ctx context.Context) ([]web.Item, error) {
		if site.Catalogue != "" {
			cat, err := probes.LoadCatalogueWith(ctx, client, site.Catalogue, probes.CatalogueOptions{Headers: site.CatalogueHeaders})
			if err != nil {
				return nil, err
			}
			var out []web.Item
			for _, r := range cat.All() {
				out = append(out, web.Item{Code: r.Code, Name: r.Name, Unit: r.Unit, Zone: r.Zone})
			}
			return out, nil
		}
		profile, err := loadSite(site.SitesDir, site.Name, site.BaseURL)
		if err != nil {
			return nil, err
		}
		listed, err := sweep.List(ctx, client, profile, sweep.ListOptions{Zone: site.Zone})
		if err != nil {
			return nil, fmt.Errorf("门户事项列表：%w", err)
		}
		out := make([]web.Item, len(listed))
		for i, it := range listed {
			out[i] = web.Item{Code: it.Code, Name: it.Name, Unit: it.Unit, Zone: it.Zone}
		}
		return out, nil
	}
}

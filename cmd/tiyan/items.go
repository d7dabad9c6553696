package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"tiyan/internal/sweep"
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

package main

import (
	"net/http/httptest"
	"testing"

	"tiyan/internal/config"
	"tiyan/internal/portalsim"
	"tiyan/internal/web"
)

// TestReportItems lists the web report form's items from the simulator: from its 实施清单 export
// when a catalogue is configured, else from its item list through the site profile; with
// neither configured there is no search.
func TestReportItems(t *testing.T) {
	repoRoot(t)
	sim, err := portalsim.New(portalsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(sim)
	t.Cleanup(ts.Close)
	want := web.Item{Code: "11341500MB1234567X4000117001", Name: "个体工商户设立登记", Unit: "六安市市场监督管理局"}
	for name, site := range map[string]config.Site{
		"catalogue": {Catalogue: ts.URL + "/catalogue/ssqd.json"},
		"portal":    {Name: "wanshitong", SitesDir: "scenarios/sites", BaseURL: ts.URL},
	} {
		t.Run(name, func(t *testing.T) {
			items, err := reportItems(site)(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, it := range items {
				if it.Code == want.Code {
					found = it.Name == want.Name && it.Unit == want.Unit && it.Zone != ""
				}
			}
			if len(items) < 40 || !found {
				t.Errorf("%d items; %s among them: %v", len(items), want.Code, found)
			}
		})
	}
	if _, err := reportItems(config.Site{Name: "nosuchsite", SitesDir: "scenarios/sites", BaseURL: ts.URL})(t.Context()); err == nil {
		t.Error("a missing site profile listed items")
	}
	if reportItems(config.Site{}) != nil {
		t.Error("neither catalogue nor site: a search was offered")
	}
}

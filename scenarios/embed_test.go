package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestShippedCopies: outside a checkout, the shipped site profile and scenarios are read under
// their repository names, and an upload's file is there for the browser.
func TestShippedCopies(t *testing.T) {
	t.Chdir(t.TempDir())
	if !UsesShipped(ShippedSitesDir) || !UsesShipped(ShippedScenariosDir) || UsesShipped("elsewhere") {
		t.Fatal("UsesShipped does not see an empty working directory")
	}
	sites, err := LoadSites(ShippedSitesDir, SiteOptions{})
	if err != nil || sites["wanshitong"] == nil || sites["wanshitong"].File != "scenarios/sites/wanshitong.yaml" {
		t.Fatalf("LoadSites: %v, %v", sites, err)
	}
	if _, err := LoadSite(filepath.Join(ShippedSitesDir, "wanshitong.yaml"), SiteOptions{BaseURL: "http://127.0.0.1:18090"}); err != nil {
		t.Errorf("LoadSite: %v", err)
	}
	scs, err := LoadScenarios(ShippedScenariosDir)
	if err != nil || len(scs) < 5 {
		t.Fatalf("LoadScenarios: %d scenarios, %v", len(scs), err)
	}
	uploads := 0
	for _, s := range scs {
		if !strings.HasPrefix(s.File, "scenarios/wanshitong/") {
			t.Errorf("scenario named %s", s.File)
		}
		for _, st := range s.Steps {
			if st.Kind != KindUpload {
				continue
			}
			uploads++
			if info, err := os.Stat(s.LocalPath(st.File)); err != nil || info.Size() == 0 {
				t.Errorf("%s: upload %s: %v", s.File, st.File, err)
			}
		}
	}
	if uploads == 0 {
		t.Error("no shipped scenario uploads a file")
	}
	// A problem in a shipped profile names it as in a checkout.
	_, err = LoadSite("scenarios/sites/wanshitong.yaml", SiteOptions{BaseURL: "file:///etc"})
	if err == nil || !strings.HasPrefix(err.Error(), "scenarios/sites/wanshitong.yaml:") {
		t.Errorf("an error in a shipped profile: %v", err)
	}
}

// TestShippedGiveWayToDisk: a working directory with its own folder reads that one, whole.
func TestShippedGiveWayToDisk(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.MkdirAll("scenarios/sites", 0o755); err != nil {
		t.Fatal(err)
	}
	if UsesShipped(ShippedSitesDir) || !UsesShipped(ShippedScenariosDir) {
		t.Error("the folder on disk does not win")
	}
	if _, err := LoadSite("scenarios/sites/wanshitong.yaml", SiteOptions{}); err == nil {
		t.Error("an empty sites folder on disk still gave the shipped profile")
	}
}

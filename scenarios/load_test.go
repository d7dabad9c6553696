package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadScenarios(t *testing.T) {
	scs, err := LoadScenarios("testdata/load")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want *Error", err)
	}
	want := []string{
		`testdata/load/sub/b.yml:1:5: id: found "same-id", which testdata/load/a.yaml:1:5 already uses; expected ids unique across files`,
		`testdata/load/sub/b.yml:6:5: upload: found no file missing.pdf, expected it next to the scenario (looked for testdata/load/sub/missing.pdf)`,
	}
	if got := strings.Split(err.Error(), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("error:\n%s\nwant:\n%s", err, strings.Join(want, "\n"))
	}
	// sites/ is skipped; both scenarios come back so that a validate command can show them.
	if len(scs) != 2 || scs[0].File != "testdata/load/a.yaml" || scs[1].File != filepath.Join("testdata/load/sub/b.yml") {
		t.Errorf("scenarios = %v", scs)
	}
}

func TestLoadScenariosFilesAndFolders(t *testing.T) {
	scs, err := LoadScenarios("testdata/good.yaml", "testdata/dry.yaml", "testdata/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(scs) != 2 || scs[0].ID != "gjj-tiqu" || scs[1].ID != "getihu-sheli" {
		t.Errorf("scenarios = %v", scs)
	}
	if got := scs[1].LocalPath("files/id-card.pdf"); got != filepath.Join("testdata", "files", "id-card.pdf") {
		t.Errorf("LocalPath = %s", got)
	}

	// Errors of all files come together, in file order.
	_, err = LoadScenarios("testdata/bad/cron.yaml", "testdata/bad/unknown_step.yaml", "testdata/no-such-dir")
	var e *Error
	if !errors.As(err, &e) || len(e.Problems) != 3 {
		t.Fatalf("error = %v, want 3 problems", err)
	}
	for i, prefix := range []string{"testdata/bad/cron.yaml:4:11:", "testdata/bad/unknown_step.yaml:7:5:", "testdata/no-such-dir: find scenarios:"} {
		if !strings.HasPrefix(e.Problems[i].String(), prefix) {
			t.Errorf("problem %d = %s, want prefix %s", i+1, e.Problems[i], prefix)
		}
	}

	// A folder of scenarios without its own testdata: the walk skips testdata/ below the root.
	dir := t.TempDir()
	for name, content := range map[string]string{
		"a.yaml":             "id: a\ntitle: t\nsite: s\nsteps: [{open: /}]\n",
		"notes.txt":          "not yaml",
		"testdata/bad.yaml":  "nonsense: 1\n",
		"sites/profile.yaml": "name: s\n",
		".hidden/x.yaml":     "nonsense: 1\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if scs, err := LoadScenarios(dir); err != nil || len(scs) != 1 {
		t.Errorf("LoadScenarios(%s) = %v, %v; want one scenario", dir, scs, err)
	}
}

func TestLoadSites(t *testing.T) {
	sites, err := LoadSites("testdata/sites", SiteOptions{})
	if err != nil || sites["wanshitong"] == nil {
		t.Fatalf("LoadSites = %v, %v", sites, err)
	}
	if _, err := LoadSites("testdata/badsites", SiteOptions{}); err == nil {
		t.Error("LoadSites accepted bad profiles")
	}
}

func TestCheckRefs(t *testing.T) {
	sites, err := LoadSites("testdata/sites", SiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	good, err := LoadScenarios("testdata/good.yaml", "testdata/dry.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckRefs(good, Refs{Sites: sites, Probes: []string{"guide", "layout", "channel"}}); err != nil {
		t.Errorf("CheckRefs(good) = %v", err)
	}

	pcOnly := *sites["wanshitong"]
	pcOnly.H5, pcOnly.Guide.H5, pcOnly.Signin, pcOnly.Entry = nil, nil, nil, ""
	data := `id: refs
title: t
site: wanshitong
channels: [pc, h5]
signin: true
steps:
  - open: entry
  - check: [guide, layot]
`
	s, err := ParseScenario("refs.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		refs Refs
		want []string
	}{
		{"unknown site", Refs{Sites: map[string]*Site{"wanshitong2": sites["wanshitong"]}}, []string{
			`refs.yaml:3:7: site: found "wanshitong", expected one of the site profiles: wanshitong2; did you mean wanshitong2?`,
		}},
		{"what the site lacks", Refs{Sites: map[string]*Site{"wanshitong": &pcOnly}, Probes: []string{"guide", "layout"}}, []string{
			"refs.yaml:4:11: channels: found h5, but site wanshitong has no h5 section; expected only pc",
			"refs.yaml:5:9: signin: found true, but site wanshitong has no signin section; expected false",
			"refs.yaml:7:5: open: found entry, but site wanshitong has no entry page; expected item or a /path",
			`refs.yaml:8:5: check: unknown probe "layot", expected one of guide, layout; did you mean layout?`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckRefs([]*Scenario{s}, tt.refs)
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != strings.Join(tt.want, "\n") {
				t.Errorf("error:\n%s\nwant:\n%s", got, strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestRepositoryFiles validates the profiles and scenarios the project ships, when they exist.
func TestRepositoryFiles(t *testing.T) {
	if _, err := os.Stat("sites"); err != nil {
		t.Skip("no scenarios/sites yet")
	}
	sites, err := LoadSites("sites", SiteOptions{})
	if err != nil {
		t.Fatalf("site profiles:\n%v", err)
	}
	if _, err := os.Stat("wanshitong"); err != nil {
		return
	}
	scs, err := LoadScenarios("wanshitong")
	if err != nil {
		t.Fatalf("scenarios:\n%v", err)
	}
	if err := CheckRefs(scs, Refs{Sites: sites}); err != nil {
		t.Fatalf("scenarios:\n%v", err)
	}
}

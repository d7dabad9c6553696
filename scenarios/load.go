package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
)

// LoadScenarios reads the scenarios in the given files and folders. Folders are searched
// recursively for *.yaml and *.yml, skipping folders named sites (site profiles), testdata, and
// hidden ones; a file named explicitly is read whatever its name. Besides each file's own checks,
// scenario ids must be unique across all files and upload files must exist.
//
// It returns the scenarios that parsed, in path order, and an *Error listing every problem in
// every file; a caller about to run them should refuse to on any error.
func LoadScenarios(paths ...string) ([]*Scenario, error) {
	files, probs := scenarioFiles(paths)
	var out []*Scenario
	for _, f := range files {
		data, err := readFile(f)
		if err != nil {
			probs = append(probs, Problem{File: f, Msg: fmt.Sprintf("read scenario: %v", err)})
			continue
		}
		s, err := ParseScenario(f, data)
		probs = append(probs, problemsOf(f, err)...)
		if s != nil {
			probs = append(probs, s.checkUploads()...)
			out = append(out, s)
		}
	}
	probs = append(probs, duplicateIDs(out)...)
	return out, errorOf(probs)
}

// scenarioFiles expands paths into the scenario files they name, sorted and without repeats.
func scenarioFiles(paths []string) ([]string, []Problem) {
	var files []string
	var probs []Problem
	for _, root := range paths {
		err := walkDir(root, func(p string, e fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case e.IsDir() && p != root && skipDir(e.Name()):
				return filepath.SkipDir
			case e.IsDir():
				return nil
			case p == root || isYAML(p):
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			probs = append(probs, Problem{File: root, Msg: fmt.Sprintf("find scenarios: %v", err)})
		}
	}
	slices.Sort(files)
	return slices.Compact(files), probs
}

func skipDir(name string) bool {
	return name == "sites" || name == "testdata" || strings.HasPrefix(name, ".")
}

func isYAML(p string) bool {
	ext := strings.ToLower(filepath.Ext(p))
	return ext == ".yaml" || ext == ".yml"
}

// checkUploads reports upload steps whose file is not there.
func (s *Scenario) checkUploads() []Problem {
	var probs []Problem
	for _, st := range s.Steps {
		if st.Kind != KindUpload || st.File == "" {
			continue
		}
		p := s.LocalPath(st.File)
		info, err := stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			probs = append(probs, Problem{File: s.File, Line: st.Pos.Line, Col: st.Pos.Col,
				Msg: fmt.Sprintf("upload: found no file %s, expected it next to the scenario (looked for %s)", st.File, p)})
		case err != nil:
			probs = append(probs, Problem{File: s.File, Line: st.Pos.Line, Col: st.Pos.Col, Msg: "upload: " + err.Error()})
		case info.IsDir():
			probs = append(probs, Problem{File: s.File, Line: st.Pos.Line, Col: st.Pos.Col,
				Msg: fmt.Sprintf("upload: found a folder %s, expected a file", st.File)})
		}
	}
	return probs
}

// duplicateIDs reports every scenario whose id an earlier one already has, naming both files.
func duplicateIDs(scs []*Scenario) []Problem {
	var probs []Problem
	first := map[string]*Scenario{}
	for _, s := range scs {
		f, dup := first[s.ID]
		if !dup {
			first[s.ID] = s
			continue
		}
		p, fp := s.pos["id"], f.pos["id"]
		probs = append(probs, Problem{File: s.File, Line: p.Line, Col: p.Col,
			Msg: fmt.Sprintf("id: found %q, which %s:%d:%d already uses; expected ids unique across files", s.ID, f.File, fp.Line, fp.Col)})
	}
	return probs
}

// LoadSites reads every site profile (*.yaml, *.yml) in dir, keyed by name. Two profiles with one
// name are an error.
func LoadSites(dir string, opts SiteOptions) (map[string]*Site, error) {
	entries, err := readDir(dir)
	if err != nil {
		return nil, fmt.Errorf("load site profiles: %w", err)
	}
	sites := map[string]*Site{}
	var probs []Problem
	for _, e := range entries {
		if e.IsDir() || !isYAML(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		s, err := LoadSite(path, opts)
		if err != nil {
			probs = append(probs, problemsOf(path, err)...)
			continue
		}
		if other, dup := sites[s.Name]; dup {
			probs = append(probs, Problem{File: path, Msg: fmt.Sprintf("name: found %q, which %s already uses; expected one profile per name", s.Name, other.File)})
			continue
		}
		sites[s.Name] = s
	}
	return sites, errorOf(probs)
}

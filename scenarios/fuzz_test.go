package scenarios

import (
	"strings"
	"testing"
)

// Scenario and site-profile files are written by people: whatever the bytes, parsing returns a
// value or an error naming the file, never a panic. Seeds are in testdata/fuzz; run longer with
// go test -fuzz FuzzParseScenario ./scenarios/.

func FuzzParseScenario(f *testing.F) {
	f.Add([]byte("id: a\ntitle: t\nsite: wanshitong\nitem: {code: C1}\nsteps:\n  - open: item\n  - click: 在线办理\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseScenario("fuzz.yaml", data)
		if err != nil && !strings.HasPrefix(err.Error(), "fuzz.yaml") {
			t.Fatalf("an error that does not name the file: %v", err)
		}
		if err == nil && (s == nil || s.ID == "") {
			t.Fatalf("a scenario without an id was accepted: %+v", s)
		}
	})
}

func FuzzParseSite(f *testing.F) {
	f.Add([]byte("name: s\nbase_url: https://www.example.org\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSite("fuzz.yaml", data, SiteOptions{})
		if err != nil && !strings.HasPrefix(err.Error(), "fuzz.yaml") {
			t.Fatalf("an error that does not name the file: %v", err)
		}
		if err == nil && (s == nil || s.Name == "") {
			t.Fatalf("a site profile without a name was accepted: %+v", s)
		}
	})
}

package scenarios

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func parseFile(t *testing.T, path string) (*Scenario, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ParseScenario(path, data)
}

func TestParseScenarioGood(t *testing.T) {
	s, err := parseFile(t, "testdata/good.yaml")
	if err != nil {
		t.Fatalf("ParseScenario: %v", err)
	}
	if s.ID != "getihu-sheli" || s.Site != "wanshitong" || !s.Sandbox || !s.Signin {
		t.Errorf("header = %+v", s)
	}
	if s.Item == nil || s.Item.Code != "11341500MB1234567X4000117001" || s.Item.Jurisdiction != "341500" {
		t.Errorf("item = %+v", s.Item)
	}
	if s.Timeout != 2*time.Minute || s.Schedule != "0 2 * * *" {
		t.Errorf("timeout, schedule = %v, %q", s.Timeout, s.Schedule)
	}
	if len(s.Channels) != 2 || s.Channels[0] != PC || s.Channels[1] != H5 {
		t.Errorf("channels = %v", s.Channels)
	}
	want := []Kind{KindOpen, KindExpect, KindCheck, KindCheck, KindClick, KindFill, KindFill, KindFill, KindSelect,
		KindTick, KindTick, KindUpload, KindWait, KindWait, KindWait, KindScreenshot, KindNote, KindClick, KindClick,
		KindClick, KindSubmit, KindExpect, KindExpect, KindExpect, KindOpen}
	if len(s.Steps) != len(want) {
		t.Fatalf("got %d steps, want %d", len(s.Steps), len(want))
	}
	for i, k := range want {
		if s.Steps[i].Kind != k {
			t.Errorf("step %d: kind %s, want %s", i+1, s.Steps[i].Kind, k)
		}
		if s.Steps[i].Pos.Line != 12+i && i < len(want)-1 {
			t.Errorf("step %d: line %d, want %d", i+1, s.Steps[i].Pos.Line, 12+i)
		}
		if s.Steps[i].Timeout == 0 {
			t.Errorf("step %d: no timeout after defaults", i+1)
		}
	}
	if got := s.Steps[7].Timeout; got != 5*time.Second {
		t.Errorf("fill with timeout: %v, want 5s", got)
	}
	if got := s.Steps[21].Timeout; got != 10*time.Second {
		t.Errorf("expect within: %v, want 10s", got)
	}
	if got := s.Steps[24]; got.Timeout != 30*time.Second || got.Page != "/bog-bsdt/static/workProcess.html?code={{item.code}}" {
		t.Errorf("open with timeout beside: %+v", got)
	}
	if got := s.Steps[3].Probes; len(got) != 2 || got[0] != "guide" || got[1] != "layout" {
		t.Errorf("check list: %v", got)
	}
	if got := s.Steps[11]; got.File != "files/id-card.pdf" || got.Target.By != ByLabel || got.Target.Value != "身份证明" {
		t.Errorf("upload: %+v", got)
	}
	if got := s.Steps[14]; !got.Gone || got.Target.Value != "加载中" {
		t.Errorf("wait gone: %+v", got)
	}
}

func TestParseScenarioDefaults(t *testing.T) {
	s, err := parseFile(t, "testdata/dry.yaml")
	if err != nil {
		t.Fatalf("ParseScenario: %v", err)
	}
	if s.Timeout != DefaultRunTimeout || s.Sandbox || s.Signin || s.Schedule != "" {
		t.Errorf("defaults: %+v", s)
	}
	if len(s.Channels) != 2 {
		t.Errorf("channels = %v, want %v", s.Channels, DefaultChannels())
	}
	for i, st := range s.Steps {
		if st.Timeout != DefaultStepTimeout {
			t.Errorf("step %d: timeout %v, want %v", i+1, st.Timeout, DefaultStepTimeout)
		}
	}
	short, err := ParseScenario("short.yaml", []byte("id: a\ntitle: t\nsite: s\ntimeout: 5s\nsteps: [{open: /}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := short.Steps[0].Timeout; got != 5*time.Second {
		t.Errorf("step timeout under a 5s run: %v, want 5s", got)
	}
}

// TestParseScenarioErrors checks that each mistake is reported at its file:line:col with what was
// found and what was expected.
func TestParseScenarioErrors(t *testing.T) {
	tests := []struct {
		file string
		want []string // each in the one problem line it names
	}{
		{"unknown_step.yaml", []string{`testdata/bad/unknown_step.yaml:7:5: unknown step "clik", expected one of open, click, fill, select, check, upload, wait, expect, screenshot, submit, note, tick; did you mean click?`}},
		{"unknown_key.yaml", []string{`testdata/bad/unknown_key.yaml:2:1: unknown key "titel" in scenario, expected one of id, title, site, item, channels, schedule, sandbox, signin, timeout, steps; did you mean title?`}},
		{"two_selectors.yaml", []string{`testdata/bad/two_selectors.yaml:6:25: click: found 2 ways to find one target (text and css), expected exactly one of label, text, placeholder, role (with optional name), css`}},
		{"missing_field.yaml", []string{
			`testdata/bad/missing_field.yaml:1:1: scenario: missing key "title"`,
			`testdata/bad/missing_field.yaml:5:11: fill: missing key "value", expected a mapping such as {label: 经营者姓名`,
		}},
		{"submit.yaml", []string{`testdata/bad/submit.yaml:7:5: submit: refused because the scenario is not sandbox: true. ` +
			`Submitting on the production portal would create a real application; mark sandbox: true only for items where submitting creates nothing real`}},
		{"duration.yaml", []string{
			`testdata/bad/duration.yaml:4:10: timeout: found "3 minutes", expected a duration such as 10s`,
			`testdata/bad/duration.yaml:7:34: within: found the number 10, expected a duration`,
		}},
		{"cron.yaml", []string{`testdata/bad/cron.yaml:4:11: schedule: found "0 2 * *", expected a cron schedule of 5 fields`}},
		{"variable.yaml", []string{
			`testdata/bad/variable.yaml:6:31: value: unknown variable {{fake.email}}, expected one of item.code`,
			`testdata/bad/variable.yaml:7:14: {{item.…}} needs the scenario's item`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s, err := parseFile(t, "testdata/bad/"+tt.file)
			if err == nil {
				t.Fatalf("parsed %+v, want an error", s)
			}
			if s != nil {
				t.Errorf("got a scenario along with the error")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			if len(e.Problems) != len(tt.want) {
				t.Errorf("got %d problems, want %d:\n%s", len(e.Problems), len(tt.want), err)
			}
			lines := strings.Split(err.Error(), "\n")
			for i, w := range tt.want {
				if i >= len(lines) || !strings.HasPrefix(lines[i], w) {
					t.Errorf("problem %d: want it to start with\n\t%s\ngot:\n%s", i+1, w, err)
				}
			}
		})
	}
}

// TestParseScenarioAllErrors checks that every mistake of a file is reported, not just the first.
func TestParseScenarioAllErrors(t *testing.T) {
	_, err := parseFile(t, "testdata/bad/many.yaml")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not *Error", err)
	}
	want := []string{
		"many.yaml:1:5: id:",
		"many.yaml:2:8: title:",
		"many.yaml:4:16: channels: found \"app\", expected pc or h5",
		"many.yaml:5:10: sandbox: found \"maybe\", expected true or false",
		"many.yaml:7:5: found click as the first step, expected open",
		"many.yaml:8:5: fill label \"密码\": found a literal value, expected {{env.NAME}}",
		"many.yaml:9:33: file: found \"/etc/passwd\"",
		"many.yaml:10:11: wait: found \"soon\"",
		"many.yaml:11:24: check: found 2 ways to find one target (label and role)",
		"many.yaml:12:17: screenshot: found \"a/b\"",
		"many.yaml:13:44: timeout: found both within and timeout",
		"many.yaml:14:11: open: found \"https://example.com/\"",
		"many.yaml:15:36: unknown key \"colour\" in select",
		"many.yaml:16:12: note: found {{env.lower-case}}",
		"many.yaml:17:5: open: item needs the scenario's item",
		"many.yaml:19:5: found a second step \"fill\"",
		"many.yaml:20:5: wait: a pause of 20s does not fit in the step's timeout of 15s",
	}
	if len(e.Problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", len(e.Problems), len(want), err)
	}
	lines := strings.Split(err.Error(), "\n")
	for i, w := range want {
		if i >= len(lines) || !strings.Contains(lines[i], w) {
			t.Errorf("line %d: want %q\ngot:\n%s", i+1, w, err)
		}
	}
}

func TestParseScenarioFileErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"empty", "", "x.yaml: found an empty file, expected a scenario"},
		{"syntax", "id: a\ntitle: b\n  bad: c\n", "x.yaml:3: YAML syntax: mapping values are not allowed"},
		{"list", "- open: item\n", "x.yaml:1:1: scenario: found a list, expected a mapping with keys id, title"},
		{"two documents", "id: a\n---\nid: b\n", "x.yaml:2:1: found a second YAML document, expected one scenario per file"},
		{"duplicate key", "id: a\nid: b\ntitle: t\nsite: s\nsteps: [{open: /}]\n", `x.yaml:2:1: duplicate key "id", expected each key once (first at line 1:1)`},
		{"empty steps", "id: a\ntitle: t\nsite: s\nsteps: []\n", "x.yaml:4:8: steps: found an empty list, expected at least one entry"},
		{"step not a mapping", "id: a\ntitle: t\nsite: s\nsteps:\n  - open\n", "x.yaml:5:5: step: found \"open\", expected a step such as"},
		{"step too long", "id: a\ntitle: t\nsite: s\ntimeout: 10s\nsteps:\n  - open: /\n    timeout: 20s\n", "x.yaml:6:5: open: the step's timeout 20s is longer than the run's timeout 10s"},
		{"screenshot twice", "id: a\ntitle: t\nsite: s\nsteps:\n  - open: /\n  - screenshot: a\n  - screenshot: a\n", `x.yaml:7:5: screenshot: found the name "a" again (first at line 6:5)`},
		{"channel twice", "id: a\ntitle: t\nsite: s\nchannels: [pc, pc]\nsteps: [{open: /}]\n", "x.yaml:4:11: channels: found pc twice"},
		{"jurisdiction", "id: a\ntitle: t\nsite: s\nitem: {code: x, jurisdiction: 3415}\nsteps: [{open: item}]\n", "x.yaml:4:31: jurisdiction: found the number 3415, expected an administrative division code"},
		{"boolean as text", "id: a\ntitle: true\nsite: s\nsteps: [{open: /}]\n", "x.yaml:2:8: title: found true, expected text (put it in quotes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseScenario("x.yaml", []byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

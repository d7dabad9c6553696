package scenarios

import (
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Scenario is a scripted experience of one service item, as an officer would go through it.
type Scenario struct {
	File     string        // the file it was read from
	ID       string        `yaml:"id,required" check:"id"`          // unique across files, stable: [a-z0-9-]+
	Title    string        `yaml:"title,required" check:"text"`     // what the scenario does, in Chinese
	Site     string        `yaml:"site,required" check:"id"`        // the name of a site profile
	Item     *Item         `yaml:"item"`                            // the service item; needed by open: item and {{item.…}}
	Channels []Channel     `yaml:"channels" check:"nonempty"`       // default pc and h5
	Schedule string        `yaml:"schedule" check:"cron"`           // a 5-field cron expression; empty: nightly with the sweep
	Sandbox  bool          `yaml:"sandbox"`                         // true only where submitting creates nothing real
	Signin   bool          `yaml:"signin"`                          // sign in through the site's SSO first
	Timeout  time.Duration `yaml:"timeout"`                         // the whole run; default DefaultRunTimeout
	Steps    []Step        `yaml:"steps,required" check:"nonempty"` // the first one opens a page

	// pos is where top-level values are written, for checks made after parsing.
	pos map[string]Pos
}

// Item is the service item (事项) a scenario goes through.
type Item struct {
	Code         string `yaml:"code,required" check:"text"` // 实施编码 (ssqdCode)
	ID           string `yaml:"id"`                         // the portal's ssqdId; found in the catalogue when empty
	Name         string `yaml:"name"`                       // 事项名称; found in the catalogue when empty
	Unit         string `yaml:"unit"`                       // the responsible unit (实施主体)
	Jurisdiction string `yaml:"jurisdiction" check:"zone"`  // administrative division code, 6 or 12 digits
}

// Channel is a way of reaching the portal.
type Channel string

const (
	PC Channel = "pc" // the desktop web site
	H5 Channel = "h5" // the H5 pages inside the 皖事通 app
)

func (c *Channel) decodeNode(d *decoder, n *yaml.Node, key string) {
	s, ok := d.str(n, key)
	if !ok {
		return
	}
	if s != string(PC) && s != string(H5) {
		d.wrong(n, key, "pc or h5")
		return
	}
	*c = Channel(s)
}

// ParseScenario reads and validates one scenario. path names the file in messages and anchors
// upload paths; data is its content. On any problem it returns an *Error listing them all.
func ParseScenario(path string, data []byte) (*Scenario, error) {
	d := &decoder{file: path, templates: true}
	root := d.root(data, "scenario")
	if root == nil {
		return nil, errorOf(d.probs)
	}
	s := &Scenario{File: path, pos: map[string]Pos{}}
	d.decode(root, reflect.ValueOf(s).Elem(), "scenario")
	for _, k := range []string{"id", "site", "channels", "signin", "timeout"} {
		s.pos[k] = posIn(root, k)
	}
	s.applyDefaults()
	s.validate(d)
	if err := errorOf(d.probs); err != nil {
		return nil, err
	}
	return s, nil
}

// LocalPath resolves a path written in the scenario, such as an upload file, against the folder of
// the scenario file.
// A file of a scenario the binary carries is copied out for the browser to read; should that
// fail, the path is returned as is and the upload step reports it missing.
func (s *Scenario) LocalPath(rel string) string {
	p := filepath.Join(filepath.Dir(s.File), filepath.FromSlash(rel))
	if local, err := localFile(p); err == nil {
		return local
	}
	return p
}

// validate checks what involves more than one value. The step-by-step messages say what to do.
func (s *Scenario) validate(d *decoder) {
	if len(s.Steps) > 0 && s.Steps[0].Kind != "" && s.Steps[0].Kind != KindOpen {
		d.atPos(s.Steps[0].Pos, "found %s as the first step, expected open: item, entry or a /path, so that the run starts on a known page", s.Steps[0].Kind)
	}
	shots := map[string]Pos{}
	for _, st := range s.Steps {
		s.validateStep(d, st, shots)
	}
	if s.Item == nil {
		for _, p := range d.itemVars {
			d.atPos(p, "{{item.…}} needs the scenario's item: add item: {code: …}")
		}
	}
	seen := map[Channel]bool{}
	for _, c := range s.Channels {
		if seen[c] {
			d.atPos(s.pos["channels"], "channels: found %s twice, expected each channel once", c)
		}
		seen[c] = true
	}
}

func (s *Scenario) validateStep(d *decoder, st Step, shots map[string]Pos) {
	switch st.Kind {
	case KindSubmit:
		if !s.Sandbox {
			d.atPos(st.Pos, "submit: refused because the scenario is not sandbox: true. Submitting on the production portal "+
				"would create a real application; mark sandbox: true only for items where submitting creates nothing real, "+
				"otherwise end the scenario before submit (the run stops there, dry)")
		}
	case KindOpen:
		if st.Page == PageItem && s.Item == nil {
			d.atPos(st.Pos, "open: item needs the scenario's item: add item: {code: …}")
		}
	case KindWait:
		if st.Pause >= st.Timeout && st.Pause > 0 {
			d.atPos(st.Pos, "wait: a pause of %s does not fit in the step's timeout of %s; wait for something on the page "+
				"instead ({text: …}), or give the step a longer timeout beside it", st.Pause, st.Timeout)
		}
	case KindScreenshot:
		if first, dup := shots[st.Name]; dup {
			d.atPos(st.Pos, "screenshot: found the name %q again (first at line %d:%d), expected unique names so that no picture overwrites another", st.Name, first.Line, first.Col)
		}
		shots[st.Name] = st.Pos
	case KindFill:
		if isSecretField(st.Target) && !strings.Contains(st.Value, "{{env.") {
			d.atPos(st.Pos, "fill %s: found a literal value, expected {{env.NAME}}: passwords and codes come from the environment, never from scenario files", st.Target)
		}
	}
	if st.Timeout > s.Timeout {
		d.atPos(st.Pos, "%s: the step's timeout %s is longer than the run's timeout %s; shorten it or raise the scenario's timeout", st.Kind, st.Timeout, s.Timeout)
	}
}

// isSecretField reports whether a target names a password or verification code field.
func isSecretField(t *Target) bool {
	if t == nil {
		return false
	}
	v := strings.ToLower(t.Value + " " + t.Name)
	return slices.ContainsFunc([]string{"密码", "验证码", "口令", "password", "passwd"}, func(w string) bool {
		return strings.Contains(v, w)
	})
}

// String names the scenario for logs: "getihu-sheli (wanshitong/getihu-sheli.yaml)".
func (s *Scenario) String() string { return fmt.Sprintf("%s (%s)", s.ID, s.File) }

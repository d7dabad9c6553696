package scenarios

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Site is a site profile: everything tiyan needs to know about one portal to sweep its catalogue
// and run scenarios on it, so that the code holds no portal's paths or page layout. The profile
// written for the real portal is the one the simulator's tests use, with only the base URL changed
// (SiteOptions.BaseURL).
type Site struct {
	File         string     // the file it was read from
	Name         string     `yaml:"name,required" check:"id"`                // what scenarios name in site:
	BaseURL      string     `yaml:"base_url,required"`                       // https://host[/prefix]; SiteOptions.BaseURL replaces it
	AllowedHosts []string   `yaml:"allowed_hosts,required" check:"nonempty"` // hosts that may be visited: exact names or *.suffix
	Entry        string     `yaml:"entry" check:"path"`                      // the entry page (item list) that open: entry goes to
	Catalogue    Catalogue  `yaml:"catalogue,required"`                      // how to list the service items
	Guide        Guide      `yaml:"guide,required"`                          // how to open and read an item's guide
	H5           *H5Pages   `yaml:"h5"`                                      // how to look like the 皖事通 app; nil: no h5 channel
	Signin       *Signin    `yaml:"signin"`                                  // how to sign in; nil: scenarios cannot use signin: true
	Politeness   Politeness `yaml:"politeness"`                              // how gently to browse
	Form         Form       `yaml:"form"`                                    // how application forms list their upload slots
	// Writes are the only state-changing requests (POST and the like) that a sweep, a
	// verification or a scenario without sandbox: true may send, each harmless: the item list
	// API, the sign-in. Everything else that could change the portal is refused in the browser.
	Writes []Write `yaml:"writes"`

	base         *url.URL
	hosts        []hostRule
	testHost     string // the host of SiteOptions.BaseURL, allowed as given
	allowPrivate bool
}

// Write is a state-changing request the portal may be sent while browsing read-only: exactly this
// method on exactly this path, on an allowed host (on h5 also under the H5 path prefix).
type Write struct {
	Method string `yaml:"method,required" check:"writemethod"` // POST, PUT, PATCH or DELETE
	Path   string `yaml:"path,required" check:"writepath"`     // e.g. /bog-bsdt/implement/queryImplements.do
}

// Catalogue says how to list the items of the implementation list (实施清单) through the portal's
// API: one request per page, form-encoded, answered with JSON.
type Catalogue struct {
	API      string            `yaml:"api,required" check:"path"`      // e.g. /bog-bsdt/implement/queryImplements.do
	Method   string            `yaml:"method" check:"method"`          // GET or POST; default POST
	Params   CatalogueParams   `yaml:"params,required"`                // the names of the paging and zone fields
	Form     map[string]string `yaml:"form"`                           // other fields and their default values, e.g. serviceObject: P
	Zone     string            `yaml:"zone" check:"zone"`              // the default zone code, e.g. 341500000000 (六安)
	PageSize int               `yaml:"page_size" check:"pagesize"`     // items per request; default 20
	Rows     string            `yaml:"rows,required" check:"jsonpath"` // JSON path of the array of items, e.g. data.rows
	Total    string            `yaml:"total" check:"jsonpath"`         // JSON path of the total count; empty: page until a short page
	Row      RowFields         `yaml:"row,required"`                   // where an item's fields are within a row
}

// CatalogueParams are the names of the request fields that tiyan sets on each request.
type CatalogueParams struct {
	Page string `yaml:"page,required" check:"text"` // the page number (from 1), e.g. currentPageNo
	Size string `yaml:"size,required" check:"text"` // the page size, e.g. pageSize
	Zone string `yaml:"zone"`                       // the zone code, e.g. ssqdZoneCode; needed with Catalogue.Zone
}

// RowFields are JSON paths, within one row, of an item's fields.
type RowFields struct {
	ID   string `yaml:"id,required" check:"jsonpath"`   // the portal's item id (ssqdId)
	Code string `yaml:"code,required" check:"jsonpath"` // 实施编码 (ssqdCode)
	Name string `yaml:"name,required" check:"jsonpath"` // 事项名称
	Unit string `yaml:"unit,required" check:"jsonpath"` // 实施主体
	Zone string `yaml:"zone" check:"jsonpath"`          // the item's zone code (jurisdiction); optional
}

// Guide says how to open an item's service guide (办事指南) and where its parts are, per channel.
type Guide struct {
	// Path is the guide page of an item, with {id} and {code} standing for the item's id and code:
	// /bog-bsdt/static/workProcess/components/applicationMaterial.html?ssqdId={id}&ssqdCode={code}
	Path string        `yaml:"path,required" check:"guidepath"`
	PC   ChannelGuide  `yaml:"pc,required"`
	H5   *ChannelGuide `yaml:"h5"` // required when the site has an h5 section
}

// ChannelGuide is where the parts of a guide page are on one channel.
type ChannelGuide struct {
	// Elements maps each guide element, by its GB/T 39046 name (受理条件, 承诺办结时限, 咨询电话,
	// …), to where it is on the page.
	Elements  map[string]Locator `yaml:"elements,required" check:"nonempty"`
	Materials Materials          `yaml:"materials,required"` // the 申请材料 table
	Process   *Locator           `yaml:"process"`            // the 办理流程 list (its li items are the steps)
	Entrance  Target             `yaml:"entrance,required"`  // the 在线办理 entrance, e.g. {text: 在线办理}
}

// Materials says how to read the materials table of a guide.
type Materials struct {
	Table   Locator         `yaml:"table,required"`   // where the table is
	Row     string          `yaml:"row"`              // CSS of one material's row within it; default tbody tr
	Columns MaterialColumns `yaml:"columns,required"` // header texts of the columns
	// Cells are CSS selectors, within a row, of a material's parts, for layouts that are not
	// tables (cards on H5 pages). Where a cell is given it wins over the column of that part.
	Cells MaterialCells `yaml:"cells"`
}

// MaterialCells are CSS selectors of a material's parts within its row.
type MaterialCells struct {
	Name        string `yaml:"name"`        // the 材料名称
	Requirement string `yaml:"requirement"` // 必要 / 容缺 / 可选
}

// MaterialColumns are the header texts of the materials table's columns.
type MaterialColumns struct {
	Name        string `yaml:"name,required" check:"text"` // 材料名称
	Requirement string `yaml:"requirement"`                // 材料必要性: 必要 / 容缺 / 可选
	Blank       string `yaml:"blank"`                      // 空表下载
	Sample      string `yaml:"sample"`                     // 样表下载
}

// H5Pages says how to reach the H5 pages the 皖事通 app shows. At least one field is set.
type H5Pages struct {
	UserAgent  string `yaml:"user_agent"`               // the app container's user agent (contains wzt_mpaas)
	PathPrefix string `yaml:"path_prefix" check:"path"` // put before site paths on the h5 channel
}

// Signin says how to sign in through the portal's SSO. Credentials never appear in a profile or a
// scenario: the profile names the environment variables that hold them.
type Signin struct {
	URL      string    `yaml:"url,required"`      // a path on the site, or an https URL on an allowed host
	Account  Target    `yaml:"account,required"`  // the account field, e.g. {placeholder: 请输入手机号/身份证号}
	Password Target    `yaml:"password,required"` // the password field
	SMS      *Target   `yaml:"sms"`               // the SMS code field, when the SSO asks for one
	Submit   Target    `yaml:"submit,required"`   // the sign-in button
	Done     *Target   `yaml:"done"`              // what shows once signed in, e.g. {text: 退出}
	Env      SigninEnv `yaml:"env,required"`      // where the credentials are
}

// SigninEnv names the environment variables holding the credentials.
type SigninEnv struct {
	Account  string `yaml:"account,required" check:"envvar"`
	Password string `yaml:"password,required" check:"envvar"`
	SMS      string `yaml:"sms" check:"envvar"` // needed when Signin.SMS is set
}

// Politeness limits how hard tiyan browses a host. Zero values are the defaults.
type Politeness struct {
	MaxInFlight int           `yaml:"max_in_flight" check:"inflight"` // pages loading at once per host; default 2
	Pause       time.Duration `yaml:"pause"`                          // between page loads on one host; default 1s
}

// Form says how an application form lists its material upload slots, for upload steps and for
// comparing the slots with the guide's materials. All selectors are CSS; Name and Input are
// relative to a slot.
type Form struct {
	Slots    string `yaml:"slots"`    // one upload slot per material
	Name     string `yaml:"name"`     // the material's name within a slot
	Input    string `yaml:"input"`    // the file input within a slot; default input[type="file"]
	Required string `yaml:"required"` // present within a slot when the material is required
	// SafeNext are the controls that move a multi-step form to its next step without sending
	// it, e.g. [{text: 下一步}]. The sweep reads a form by clicking only these; a control that
	// does send the form is refused in the browser all the same.
	SafeNext []Target `yaml:"safe_next"`
}

// SiteOptions are the caller's choices when loading a profile. The zero value is right for the
// production portal.
type SiteOptions struct {
	// BaseURL replaces the profile's base_url, e.g. with a simulator's httptest URL. Its host is
	// allowed as given (also 127.0.0.1 or localhost); a private or link-local one still needs
	// AllowPrivate.
	BaseURL string
	// AllowPrivate lets the profile and AllowHost name loopback, private (10/8, 172.16/12,
	// 192.168/16, fc00::/7), shared (100.64/10) and link-local addresses. Never for production.
	AllowPrivate bool
}

// ParseSite reads and validates a site profile; path names the file in messages. On any problem
// it returns an *Error listing them all.
func ParseSite(path string, data []byte, opts SiteOptions) (*Site, error) {
	d := &decoder{file: path}
	root := d.root(data, "site profile")
	if root == nil {
		return nil, errorOf(d.probs)
	}
	s := &Site{File: path}
	d.decode(root, reflect.ValueOf(s).Elem(), "site")
	s.applyDefaults()
	s.validate(d, root, opts)
	if err := errorOf(d.probs); err != nil {
		return nil, err
	}
	return s, nil
}

// LoadSite reads the site profile at path.
func LoadSite(path string, opts SiteOptions) (*Site, error) {
	data, err := readFile(path) // on disk, or the copy the binary carries
	if err != nil {
		return nil, fmt.Errorf("load site profile: %w", err)
	}
	return ParseSite(path, data, opts)
}

// Channels are the channels the profile supports: pc, and h5 when it has an h5 section.
func (s *Site) Channels() []Channel {
	if s.H5 != nil {
		return []Channel{PC, H5}
	}
	return []Channel{PC}
}

// ChannelGuide is where the parts of a guide page are on channel c, or nil if c is not supported.
func (s *Site) ChannelGuide(c Channel) *ChannelGuide {
	switch c {
	case PC:
		return &s.Guide.PC
	case H5:
		return s.Guide.H5
	}
	return nil
}

// URL resolves ref on channel c: a path is put under the base URL (and, on h5, the H5 path
// prefix); an absolute URL is taken as is. Either way the result must be http(s) on an allowed
// host.
func (s *Site) URL(c Channel, ref string) (*url.URL, error) {
	r, err := url.Parse(ref)
	if err != nil {
		return nil, fmt.Errorf("site %s: %q is not a URL: %w", s.Name, ref, err)
	}
	u := r
	if !r.IsAbs() {
		if !isSitePath(ref) {
			return nil, fmt.Errorf("site %s: %q is neither a path starting with / nor an absolute URL", s.Name, ref)
		}
		prefix := strings.TrimSuffix(s.base.Path, "/")
		if c == H5 && s.H5 != nil {
			prefix += strings.TrimSuffix(s.H5.PathPrefix, "/")
		}
		u = &url.URL{Scheme: s.base.Scheme, Host: s.base.Host, Path: prefix + r.Path, RawQuery: r.RawQuery, Fragment: r.Fragment}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("site %s: refusing %s: only http and https are visited", s.Name, u.Redacted())
	}
	if !s.AllowHost(u.Host) {
		return nil, fmt.Errorf("site %s: refusing %s: host %s is not in allowed_hosts", s.Name, u.Redacted(), u.Hostname())
	}
	return u, nil
}

// GuideURL is the guide page of the item with the given id and code on channel c.
func (s *Site) GuideURL(c Channel, id, code string) (*url.URL, error) {
	return s.URL(c, strings.NewReplacer("{id}", url.QueryEscape(id), "{code}", url.QueryEscape(code)).Replace(s.Guide.Path))
}

// AllowsWrite says whether the profile's writes list a request that can change state: its method
// and path, on a host the site allows. It is the predicate browser.AllowWrites takes.
func (s *Site) AllowsWrite(method string, u *url.URL) bool {
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || !s.AllowHost(u.Host) {
		return false
	}
	for _, w := range s.Writes {
		if !strings.EqualFold(w.Method, method) {
			continue
		}
		for _, c := range s.Channels() {
			if want, err := s.URL(c, w.Path); err == nil && want.Path == u.Path {
				return true
			}
		}
	}
	return false
}

// validate checks what involves more than one value, once every value has decoded.
func (s *Site) validate(d *decoder, root *yaml.Node, opts SiteOptions) {
	s.allowPrivate = opts.AllowPrivate
	hostsNode := lookup(root, "allowed_hosts")
	for i, h := range s.AllowedHosts {
		r, err := parseHostRule(h, opts.AllowPrivate)
		if err != nil {
			d.at(resolve(hostsNode.Content[i]), "allowed_hosts: found %q, expected %v", h, err)
			continue
		}
		s.hosts = append(s.hosts, r)
	}
	if s.BaseURL != "" {
		s.validateBase(d, root, opts)
	}
	if s.base == nil {
		return
	}
	s.validateH5(d, root)
	s.validateSignin(d, root)
	if s.Catalogue.Zone != "" && s.Catalogue.Params.Zone == "" {
		d.at(dig(root, "catalogue", "params"), "catalogue.params: missing key \"zone\", expected the name of the zone field since catalogue.zone is set")
	}
	f := s.Form
	if (f.Slots != "" || f.Name != "" || f.Input != "" || f.Required != "" || len(f.SafeNext) > 0) && (f.Slots == "" || f.Name == "") {
		d.at(dig(root, "form"), "form: found an incomplete form, expected at least slots and name")
	}
}

func (s *Site) validateBase(d *decoder, root *yaml.Node, opts SiteOptions) {
	node := lookup(root, "base_url")
	base, err := checkBaseURL(s.BaseURL, true)
	if err != nil {
		d.at(node, "base_url: found %q, expected %v", s.BaseURL, err)
		return
	}
	host := normHost(base.Hostname())
	if why := restricted(host); why != "" && !opts.AllowPrivate {
		d.at(node, "base_url: found a %s address, expected a public host (AllowPrivate permits it, never for production)", why)
		return
	}
	if !s.matchHost(host) {
		d.at(node, "base_url: found host %s, expected a host in allowed_hosts", host)
		return
	}
	if opts.BaseURL != "" {
		if base, err = checkBaseURL(opts.BaseURL, false); err != nil {
			d.atPos(Pos{}, "SiteOptions.BaseURL: found %q, expected %v", opts.BaseURL, err)
			return
		}
		host = normHost(base.Hostname())
		if why := restricted(host); why != "" && why != "loopback" && !opts.AllowPrivate {
			d.atPos(Pos{}, "SiteOptions.BaseURL: found %s, a %s address, expected a public or loopback host (or AllowPrivate)", host, why)
			return
		}
		s.testHost, s.BaseURL = host, base.String()
	}
	s.base = base
}

// checkBaseURL parses an http(s) URL without user, query or fragment; the profile's own must be https.
func checkBaseURL(raw string, httpsOnly bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, fmt.Errorf("a URL such as https://www.ahzwfw.gov.cn")
	case u.Scheme != "https" && (httpsOnly || u.Scheme != "http"):
		if httpsOnly {
			return nil, fmt.Errorf("an https URL (found scheme %q; file:, http: and others are refused)", u.Scheme)
		}
		return nil, fmt.Errorf("an http or https URL (found scheme %q)", u.Scheme)
	case u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("scheme://host[:port][/prefix] without user, query or fragment")
	}
	return u, nil
}

func (s *Site) validateH5(d *decoder, root *yaml.Node) {
	switch {
	case s.H5 != nil && s.H5.UserAgent == "" && s.H5.PathPrefix == "":
		d.at(dig(root, "h5"), "h5: found neither user_agent nor path_prefix, expected at least one")
	case s.H5 != nil && s.Guide.H5 == nil:
		d.at(dig(root, "guide"), "guide: missing key \"h5\", expected where the guide's parts are on h5 pages since the site has an h5 section")
	case s.H5 == nil && s.Guide.H5 != nil:
		d.at(dig(root, "guide", "h5"), "guide.h5: found h5 guide locators, expected an h5 section (user_agent or path_prefix) at the top level too")
	}
}

func (s *Site) validateSignin(d *decoder, root *yaml.Node) {
	si := s.Signin
	if si == nil {
		return
	}
	if _, err := s.URL(PC, si.URL); err != nil || (strings.Contains(si.URL, "://") && !strings.HasPrefix(si.URL, "https://")) {
		d.at(dig(root, "signin", "url"), "signin.url: found %q, expected a path on the site or an https URL on a host in allowed_hosts", si.URL)
	}
	if si.SMS != nil && si.Env.SMS == "" {
		d.at(dig(root, "signin", "env"), "signin.env: missing key \"sms\", expected the variable holding the SMS code since signin.sms is set")
	}
}

// dig follows keys down from mapping n and returns the deepest node found.
func dig(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		next := lookup(n, k)
		if next == nil {
			return n
		}
		n = next
	}
	return n
}

// Package scenarios is tiyan's scenario language: the YAML formats of scripted scenarios
// (scenarios/wanshitong/*.yaml) and site profiles (scenarios/sites/*.yaml), parsed strictly and
// validated before anything runs. The shipped profile and scenarios are built into the binary
// (embed.go) and read, under their repository names, where the working directory lacks them.
//
// Strict means: an unknown key or step is an error, a value of the wrong kind is an error, and
// every error names file:line:col, what was found and what was expected. All the problems of a
// file (and, with LoadScenarios, of all files) are reported at once, as an *Error.
//
// # Scenarios
//
//	id: getihu-sheli                  # unique across files, [a-z0-9-]+
//	title: 个体工商户设立登记 在线办理
//	site: wanshitong                  # a site profile's name
//	item: {code: "11341500MB1234567X4000117001", unit: 六安市市场监督管理局, jurisdiction: "341500"}
//	channels: [pc, h5]                # default: pc and h5
//	schedule: "0 2 * * *"             # optional 5-field cron; default: nightly with the sweep
//	sandbox: false                    # true only where submitting creates nothing real
//	signin: true                      # sign in through the site's SSO first (credentials from env)
//	timeout: 3m                       # the whole run; default 3m
//	steps: [...]
//
// # Steps
//
// Each list item under steps is a mapping with exactly one step key, and optionally a timeout
// beside it (for any step; default 15s, never more than the run's timeout):
//
//	steps:
//	  - open: item                    # item: the item's guide page | entry: the site's entry | /a/path
//	  - click: 在线办理                   # a bare string is visible text
//	  - click: {role: button, name: 提交, timeout: 5s}
//	  - fill: {label: 经营者姓名, value: "{{fake.name}}"}
//	  - select: {label: 提取原因, value: 退休}
//	  - check: {label: 本人承诺所填信息真实有效}   # a MAPPING: tick this checkbox (also: tick: …)
//	  - check: guide                    # a STRING or LIST: run these probes here
//	  - check: [guide, layout]
//	  - upload: {label: 身份证明, file: testdata/id-card.pdf}   # relative to the scenario, inside its folder
//	  - wait: 2s                        # a pause, shorter than the step's timeout
//	  - wait: {text: 办理成功}             # until it appears
//	  - wait: {gone: {text: 加载中}}       # until it disappears
//	  - expect: 办事指南                   # fail unless it appears
//	  - expect: {text: 受理回执, within: 10s}
//	  - expect: {gone: {text: 系统繁忙}}
//	  - screenshot: 填写完成               # unique per scenario
//	  - note: 到此为止，不提交
//	  - submit: {text: 提交}               # refused at validation unless sandbox: true
//	  - open: /bog-bsdt/static/workProcess.html
//	    timeout: 30s                    # a timeout beside the step
//
// check is two steps under one name, told apart by the YAML node: a string or a list of strings
// names probes (Kind KindCheck); a mapping is a checkbox target (Kind KindTick). tick: is the
// same as check with a target, for writers who prefer to be explicit.
//
// # Targets
//
// A target is found the way a person finds it: by label, visible text, placeholder or role (with
// an optional accessible name), CSS as the last resort. A mapping names exactly one of label,
// text, placeholder, role (+ name), css; a bare string means visible text. See Target.
//
// # Variables
//
// Values may use {{item.code}}, {{item.id}}, {{item.name}}, {{item.unit}},
// {{item.jurisdiction}}, {{fake.name}}, {{fake.idcard}}, {{fake.phone}} and {{env.NAME}}; an
// unknown one is an error at its line:col. A runner expands them with Step.Expand or Expand, the
// fake ones from a Fake person that is the same for the same seed.
//
// # Site profiles
//
// See Site. A profile refuses base URLs other than https, and hosts that are loopback, private or
// link-local addresses, unless the caller asks for them through SiteOptions (for the simulator).
//
// # Use
//
//	sites, err := scenarios.LoadSites("scenarios/sites", scenarios.SiteOptions{})
//	scs, err := scenarios.LoadScenarios("scenarios/wanshitong")
//	err = scenarios.CheckRefs(scs, scenarios.Refs{Sites: sites, Probes: probeNames})
//	var e *scenarios.Error
//	if errors.As(err, &e) { for _, p := range e.Problems { … } }
package scenarios

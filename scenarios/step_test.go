package scenarios

import (
	"strings"
	"testing"
	"time"
)

// parseStep parses one step written as it would be under steps:, after an open step.
func parseStep(step string) (Step, error) {
	data := "id: t\ntitle: t\nsite: s\nsandbox: true\nitem: {code: c}\nsteps:\n  - open: item\n  - " + step + "\n"
	s, err := ParseScenario("s.yaml", []byte(data))
	if err != nil {
		return Step{}, err
	}
	return s.Steps[1], nil
}

func TestStepForms(t *testing.T) {
	tests := []struct {
		yaml string
		want Step // compared on the fields set here; Target by its String
	}{
		{"open: entry", Step{Kind: KindOpen, Page: PageEntry}},
		{"open: /a?b=c", Step{Kind: KindOpen, Page: "/a?b=c"}},
		{"click: 在线办理", Step{Kind: KindClick, Target: &Target{By: ByText, Value: "在线办理"}}},
		{"click: {role: button, name: 提交}", Step{Kind: KindClick, Target: &Target{By: ByRole, Value: "button", Name: "提交"}}},
		{"click: {role: link}", Step{Kind: KindClick, Target: &Target{By: ByRole, Value: "link"}}},
		{"click: {css: '#go'}", Step{Kind: KindClick, Target: &Target{By: ByCSS, Value: "#go"}}},
		{"fill: {placeholder: 请输入, value: ''}", Step{Kind: KindFill, Target: &Target{By: ByPlaceholder, Value: "请输入"}}},
		{"fill: {label: 电话, value: 13800000000}", Step{Kind: KindFill, Value: "13800000000", Target: &Target{By: ByLabel, Value: "电话"}}},
		{"select: {label: 原因, value: 退休}", Step{Kind: KindSelect, Value: "退休", Target: &Target{By: ByLabel, Value: "原因"}}},
		{"check: guide", Step{Kind: KindCheck, Probes: []string{"guide"}}},
		{"check: [guide, layout]", Step{Kind: KindCheck, Probes: []string{"guide", "layout"}}},
		{"check: {label: 同意}", Step{Kind: KindTick, Target: &Target{By: ByLabel, Value: "同意"}}},
		{"tick: {role: checkbox, name: 同意}", Step{Kind: KindTick, Target: &Target{By: ByRole, Value: "checkbox", Name: "同意"}}},
		{"tick: 同意", Step{Kind: KindTick, Target: &Target{By: ByText, Value: "同意"}}},
		{"upload: {label: 身份证明, file: a/b.pdf}", Step{Kind: KindUpload, File: "a/b.pdf", Target: &Target{By: ByLabel, Value: "身份证明"}}},
		{"wait: 1500ms", Step{Kind: KindWait, Pause: 1500 * time.Millisecond}},
		{"wait: {text: 成功, timeout: 20s}", Step{Kind: KindWait, Timeout: 20 * time.Second, Target: &Target{By: ByText, Value: "成功"}}},
		{"wait: {gone: 加载中}", Step{Kind: KindWait, Gone: true, Target: &Target{By: ByText, Value: "加载中"}}},
		{"expect: 办事指南", Step{Kind: KindExpect, Target: &Target{By: ByText, Value: "办事指南"}}},
		{"expect: {label: 姓名, within: 3s}", Step{Kind: KindExpect, Timeout: 3 * time.Second, Target: &Target{By: ByLabel, Value: "姓名"}}},
		{"expect: {gone: {css: .spinner}}", Step{Kind: KindExpect, Gone: true, Target: &Target{By: ByCSS, Value: ".spinner"}}},
		{"screenshot: 完成", Step{Kind: KindScreenshot, Name: "完成"}},
		{"note: 不提交", Step{Kind: KindNote, Text: "不提交"}},
		{"submit: 提交", Step{Kind: KindSubmit, Target: &Target{By: ByText, Value: "提交"}}},
		{"submit: {text: 提交}\n    timeout: 40s", Step{Kind: KindSubmit, Timeout: 40 * time.Second, Target: &Target{By: ByText, Value: "提交"}}},
	}
	for _, tt := range tests {
		t.Run(tt.yaml, func(t *testing.T) {
			got, err := parseStep(tt.yaml)
			if err != nil {
				t.Fatal(err)
			}
			w := tt.want
			if got.Kind != w.Kind || got.Page != w.Page || got.Value != w.Value || got.File != w.File ||
				got.Gone != w.Gone || got.Pause != w.Pause || got.Name != w.Name || got.Text != w.Text ||
				strings.Join(got.Probes, ",") != strings.Join(w.Probes, ",") {
				t.Errorf("got %+v\nwant %+v", got, w)
			}
			if (got.Target == nil) != (w.Target == nil) || got.Target != nil && got.Target.String() != w.Target.String() {
				t.Errorf("target %v, want %v", got.Target, w.Target)
			}
			if w.Timeout != 0 && got.Timeout != w.Timeout {
				t.Errorf("timeout %v, want %v", got.Timeout, w.Timeout)
			}
			if got.Pos.Line != 8 || got.Pos.Col != 5 {
				t.Errorf("pos %+v, want 8:5", got.Pos)
			}
		})
	}
}

func TestStepErrors(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"open: ../x", `s.yaml:8:11: open: found "../x", expected item, entry or a path`},
		{"open: //evil.example/x", `s.yaml:8:11: open: found "//evil.example/x"`},
		{"click: {}", "s.yaml:8:12: click: found no target, expected exactly one of label"},
		{"click: {name: 提交}", "s.yaml:8:12: click: found no target"},
		{"click: {text: 提交, name: 提交}", `s.yaml:8:23: name: found name with text, expected name only with role`},
		{"click: {role: buton}", `s.yaml:8:19: role: found "buton", expected an ARIA role such as button, link, checkbox, textbox, combobox, heading; did you mean button?`},
		{"click: [a]", "s.yaml:8:12: click: found a list, expected visible text or a target"},
		{"fill: 姓名", `s.yaml:8:11: fill: found "姓名", expected a mapping such as {label: 经营者姓名`},
		{"check:", "s.yaml:8:11: check: found nothing, expected probe names (check: guide, check: [guide, layout]) or a checkbox to tick"},
		{"check: []", "s.yaml:8:12: check: found an empty list, expected at least one probe name"},
		{"check: [Guide!]", `s.yaml:8:13: check: found "Guide!", expected a probe name`},
		{"check: {label: 同意, value: x}", `s.yaml:8:24: unknown key "value" in check, expected a target: exactly one of label, text, placeholder, role (with optional name), css; or timeout`},
		{"upload: {label: 身份证明}", `s.yaml:8:13: upload: missing key "file"`},
		{"upload: {label: 身份证明, file: ../../etc/passwd}", `s.yaml:8:33: file: found "../../etc/passwd", expected a path inside the scenario's folder`},
		{"wait: 0s", `s.yaml:8:11: wait: found "0s", expected a pause such as 2s`},
		{"wait: {text: 成功, within: 2s}", `s.yaml:8:22: unknown key "within" in wait, expected a target: exactly one of label, text, placeholder, role (with optional name), css; or one of gone, timeout`},
		{"wait: {gone: 加载中, text: 成功}", "s.yaml:8:18: gone: found gone beside a target"},
		{"expect: {}", "s.yaml:8:13: expect: found no target, expected visible text or a target"},
		{"screenshot: ..", `s.yaml:8:17: screenshot: found ".."`},
		{"note: ''", `s.yaml:8:11: note: found "", expected non-empty text`},
		{"timeout: 3s", "s.yaml:8:5: step: found only a timeout, expected one of open, click"},
		{"click: 提交\n    timout: 3s", `s.yaml:9:5: unknown key "timout" beside step click, expected only timeout; did you mean timeout?`},
		{"click: {text: 提交, timeout: 2s}\n    timeout: 3s", "s.yaml:9:5: timeout: found a timeout beside the step and one inside it, expected one"},
		{"fill: {label: 密码, value: secret}", `s.yaml:8:5: fill label "密码": found a literal value, expected {{env.NAME}}`},
		{"fill: {placeholder: 请输入验证码, value: '{{env.SMS_CODE}}'}", ""},
		{"expect: {text: 受理回执, within: 4m}", "s.yaml:8:5: expect: the step's timeout 4m0s is longer than the run's timeout 3m0s"},
	}
	for _, tt := range tests {
		t.Run(tt.yaml, func(t *testing.T) {
			_, err := parseStep(tt.yaml)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func TestStepExpand(t *testing.T) {
	s, err := parseStep(`fill: {label: "{{item.name}}的经营者", value: "{{fake.name}}"}`)
	if err != nil {
		t.Fatal(err)
	}
	vars := Vars{Item: Item{Code: "c", Name: "个体工商户设立登记"}, Fake: Person{Name: "王伟"}}
	got, err := s.Expand(vars)
	if err != nil {
		t.Fatal(err)
	}
	if got.Value != "王伟" || got.Target.Value != "个体工商户设立登记的经营者" {
		t.Errorf("expanded %+v, target %v", got, got.Target)
	}
	if s.Target.Value != "{{item.name}}的经营者" {
		t.Errorf("Expand changed the original step's target: %v", s.Target)
	}
}

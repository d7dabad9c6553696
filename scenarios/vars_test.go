package scenarios

import (
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	env := map[string]string{"TIYAN_PHONE": "13800001234", "EMPTY": ""}
	vars := Vars{
		Item: Item{Code: "11341500MB1234567X4000117001", Name: "个体工商户设立登记", Jurisdiction: "341500"},
		Fake: Person{Name: "王伟", IDCard: "11010519491231002X", Phone: "13800000001"},
		LookupEnv: func(k string) (string, bool) {
			v, ok := env[k]
			return v, ok
		},
	}
	tests := []struct {
		in, want, err string
	}{
		{in: "plain", want: "plain"},
		{in: "{{env.TIYAN_PHONE}}", want: "13800001234"},
		{in: "电话 {{ env.TIYAN_PHONE }} 号", want: "电话 13800001234 号"},
		{in: "{{env.EMPTY}}", want: ""},
		{in: "{{env.UNSET_VAR}}", err: "environment variable UNSET_VAR is not set"},
		{in: "{{item.code}}/{{item.name}}", want: "11341500MB1234567X4000117001/个体工商户设立登记"},
		{in: "{{item.unit}}", err: "{{item.unit}} has no value in this run"},
		{in: "{{fake.name}}:{{fake.idcard}}:{{fake.phone}}", want: "王伟:11010519491231002X:13800000001"},
		{in: "{{fake.nam}}", err: "unknown variable {{fake.nam}}, expected one of item.code, item.id, item.name, item.unit, item.jurisdiction, fake.name, fake.idcard, fake.phone, env.NAME; did you mean fake.name?"},
		{in: "{{env.a-b}}", err: "expected {{env.NAME}}"},
		{in: "a {{item.code", err: "unclosed {{"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Expand(tt.in, vars)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("Expand(%q) error = %v, want %q", tt.in, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Expand(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestExpandProcessEnv(t *testing.T) {
	t.Setenv("TIYAN_TEST_EXPAND", "来自环境")
	got, err := Expand("值={{env.TIYAN_TEST_EXPAND}}", Vars{})
	if err != nil || got != "值=来自环境" {
		t.Errorf("Expand = %q, %v", got, err)
	}
}

// TestVariablePositions checks that a bad variable is reported at its own column, however the
// scalar is quoted.
func TestVariablePositions(t *testing.T) {
	tests := []struct{ step, want string }{
		{`fill: {label: 名, value: "{{fake.x}}"}`, "v.yaml:6:30: value: unknown variable {{fake.x}}"},
		{`fill: {label: 名, value: 'ab{{fake.x}}'}`, "v.yaml:6:32: value: unknown variable {{fake.x}}"},
		{`note: 甲乙{{fake.x}}`, "v.yaml:6:13: note: unknown variable {{fake.x}}"},
		{`fill: {label: "{{nope}}", value: x}`, "v.yaml:6:20: label: unknown variable {{nope}}"},
		{`click: {role: button, name: "{{nope}}"}`, "v.yaml:6:34: name: unknown variable {{nope}}"},
		{`open: "/x?a={{item.cod}}"`, "v.yaml:6:17: open: unknown variable {{item.cod}}"},
		{`note: "a {{fake.name"`, "v.yaml:6:14: note: found an unclosed {{, expected {{name}}"},
		{`click: {css: "{{nope}}"}`, ""}, // CSS is not expanded
	}
	for _, tt := range tests {
		t.Run(tt.step, func(t *testing.T) {
			data := "id: v\ntitle: t\nsite: s\nsteps:\n  - open: /\n  - " + tt.step + "\n"
			_, err := ParseScenario("v.yaml", []byte(data))
			if tt.want == "" {
				if err != nil {
					t.Errorf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to start with %s", err, tt.want)
			}
		})
	}
}

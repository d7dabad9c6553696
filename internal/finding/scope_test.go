package finding

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestAffectedItemsSurviveJSON(t *testing.T) {
	want := []AffectedItem{{Code: "A1", Name: "甲"}, {Code: "B2", Name: "乙", URL: "http://x/b2"}}
	data, err := json.Marshal(map[string]any{AffectedKey: want})
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if got := AffectedItems(back); !slices.Equal(got, want) {
		t.Errorf("after JSON: %+v, want %+v", got, want)
	}
	if got := AffectedItems(map[string]any{AffectedKey: want}); !slices.Equal(got, want) {
		t.Errorf("as put: %+v", got)
	}
	if got := AffectedItems(nil); got != nil {
		t.Errorf("none: %+v", got)
	}
}

func TestScopeDefaultsToItem(t *testing.T) {
	if Scope("").Or() != ScopeItem || ScopeSite.Or() != ScopeSite {
		t.Error("Or")
	}
	if ScopeItem.Shared() || !ScopeTemplate.Shared() || ScopeSite.Label() != "站点问题" || ScopeTemplate.Label() != "模板问题" {
		t.Error("Shared/Label")
	}
	b, _ := json.Marshal(Finding{})
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	if m["scope"] != "item" || m["affected"] != float64(0) {
		t.Errorf("zero finding: scope %v affected %v, want item and 0", m["scope"], m["affected"])
	}
}

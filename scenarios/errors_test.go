package scenarios

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorFormat(t *testing.T) {
	err := errorOf([]Problem{
		{File: "b.yaml", Line: 2, Col: 3, Msg: "second file"},
		{File: "a.yaml", Line: 9, Col: 1, Msg: "late"},
		{File: "a.yaml", Line: 1, Msg: "no column"},
		{File: "a.yaml", Msg: "no line"},
	})
	want := "a.yaml: no line\na.yaml:1: no column\na.yaml:9:1: late\nb.yaml:2:3: second file"
	if err == nil || err.Error() != want {
		t.Errorf("Error() =\n%v\nwant\n%s", err, want)
	}
	var e *Error
	if !errors.As(fmt.Errorf("validate: %w", err), &e) || len(e.Problems) != 4 {
		t.Errorf("errors.As through wrapping failed: %v", e)
	}
	if errorOf(nil) != nil {
		t.Error("errorOf(nil) != nil")
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct{ name, want string }{
		{"clik", "; did you mean click?"},
		{"Fill", "; did you mean fill?"},
		{"screenshoot", "; did you mean screenshot?"},
		{"xyz", ""},
		{"go", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.name, stepKeys); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Pos is a place in a YAML file: 1-based line and column (columns count characters, not bytes).
type Pos struct {
	Line, Col int
}

// Problem is one thing wrong in a file. Line and Col are 1-based; 0 means unknown.
type Problem struct {
	File      string
	Line, Col int
	Msg       string
}

// String renders the problem as file:line:col: msg, leaving out the parts that are unknown.
func (p Problem) String() string {
	switch {
	case p.Line == 0:
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	case p.Col == 0:
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Msg)
}

// Error is every problem found in one or more files, so that a writer can fix them all in one go.
// Use errors.As to get at the problems.
type Error struct {
	Problems []Problem
}

// Error prints one problem per line, as file:line:col: msg.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// errorOf returns nil for no problems and an *Error with the problems in file order otherwise.
func errorOf(ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	ps = slices.Clone(ps)
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	return &Error{Problems: ps}
}

// problemsOf takes the problems out of err: those of an *Error, or err itself as one problem of file.
func problemsOf(file string, err error) []Problem {
	if err == nil {
		return nil
	}
	if e, ok := err.(*Error); ok {
		return e.Problems
	}
	return []Problem{{File: file, Msg: err.Error()}}
}

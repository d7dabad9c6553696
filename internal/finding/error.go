package finding

import (
	"errors"
	"fmt"
)

// Error codes. A code says what kind of failure it is, so callers (the CLI, the web API) can
// map it to an exit status or an HTTP status; the Message says it to people.
const (
	// EINVALID: the request itself is wrong (an unknown category, a missing title).
	EINVALID = "invalid"
	// ENOTFOUND: the finding, unit, officer, activity or run does not exist.
	ENOTFOUND = "not_found"
	// ECONFLICT: the request does not fit the current state (an illegal transition, a unit
	// name taken, a finding changed by someone else meanwhile).
	ECONFLICT = "conflict"
	// EUNAVAILABLE: the database cannot be reached or opened.
	EUNAVAILABLE = "unavailable"
	// EINTERNAL: anything else; a bug or an unexpected database error.
	EINTERNAL = "internal"
)

// Error is a failure meant to be shown to people: Message is a complete Chinese sentence that
// says what is wrong and, where it can, what to do.
type Error struct {
	Code    string
	Message string
}

// Error returns the message, which is what a person should read.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the *Error in err's chain, "" for nil and EINTERNAL for any
// other error.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the *Error in err's chain, "" for nil, and err's own text
// for any other error (an internal error keeps its detail for whoever has to fix it).
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	}
	return "内部错误：" + err.Error()
}

package web

import (
	"errors"
	"net/http"

	"tiyan/internal/finding"
)

// Every request body is capped before it is read (http.MaxBytesReader): forms and JSON at
// jsonBodyBytes, uploads at what their rule allows on top. A body over its cap is refused with
// 413 and a message that says the limit.

// jsonBodyBytes caps a JSON body without files, and the fields of a form.
const jsonBodyBytes = 1 << 20

// tooLargeError is a refusal of a body over its route's cap; it answers 413.
type tooLargeError struct{ err *finding.Error }

func (e tooLargeError) Error() string { return e.err.Error() }
func (e tooLargeError) Unwrap() error { return e.err }

// bodyTooLarge says a body was over limit bytes, in the words of what (“上传内容”, “请求内容”).
func bodyTooLarge(format string, args ...any) error {
	return tooLargeError{finding.Errorf(finding.EINVALID, format, args...)}
}

// isTooLarge reports whether err is a body over its cap, ours or MaxBytesReader's.
func isTooLarge(err error) bool {
	var tl tooLargeError
	var mbe *http.MaxBytesError
	return errors.As(err, &tl) || errors.As(err, &mbe)
}

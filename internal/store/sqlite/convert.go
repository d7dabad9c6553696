package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"tiyan/internal/finding"
)

// micros encodes a time as stored: microseconds since the epoch; nil for the zero time.
func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// day encodes a date as stored: 'YYYY-MM-DD' in Asia/Shanghai.
func day(t time.Time) string { return finding.FormatDate(t) }

// nullID stores 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// jsonText encodes v as JSON text; nil maps are stored as NULL when nullable.
func jsonText(v any) (any, error) {
	if m, ok := v.(map[string]any); ok && m == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode json: %w", err)
	}
	return string(b), nil
}

// isUnique reports whether err is a UNIQUE constraint violation.
func isUnique(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// notFound turns sql.ErrNoRows into the domain's not-found error with message; other errors are
// wrapped with what.
func notFound(err error, what, message string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return finding.Errorf(finding.ENOTFOUND, "%s", message)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// isForeignKey reports whether err is a FOREIGN KEY constraint violation.
func isForeignKey(err error) bool {
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY")
}

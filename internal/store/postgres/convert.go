package postgres

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"tiyan/internal/finding"
)

// ts encodes a time for a nullable timestamptz: nil for the zero time, microseconds otherwise.
func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Truncate(time.Microsecond)
}

// day encodes a date: 'YYYY-MM-DD' in Asia/Shanghai, cast to date in SQL.
func day(t time.Time) string { return finding.FormatDate(t) }

// nullID stores 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// jsonb encodes a measured map; nil for a nil map.
func jsonb(m map[string]any) (any, error) {
	if m == nil {
		return nil, nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode measured values: %w", err)
	}
	return string(b), nil
}

// jsonbText is jsonb for unnest arrays: "" for none.
func jsonbText(m map[string]any) (string, error) {
	v, err := jsonb(m)
	if v == nil {
		return "", err
	}
	return v.(string), err
}

// pgCode returns the SQLSTATE of a PostgreSQL error, "" for other errors.
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// SQLSTATEs the store translates.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
)

// notFound turns pgx.ErrNoRows into the domain's not-found error with message; other errors are
// wrapped with what.
func notFound(err error, what, message string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return finding.Errorf(finding.ENOTFOUND, "%s", message)
	}
	return fmt.Errorf("%s: %w", what, err)
}

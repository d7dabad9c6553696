package sqlcore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"tiyan/internal/finding"
)

// Core is the part of a finding.Store both databases share: units, runs, officers and
// activities, users and tokens, the outbox and scenario results, written once. A driver's
// Store embeds it and adds what only its database can do.
type Core struct {
	// W is the connection writes go to (SQLite's one writer); R the one reads go to (the same on
	// PostgreSQL).
	W, R    *sql.DB
	Dialect Dialect
	// Now stamps records the caller gives no time for.
	Now func() time.Time
	// IsUnique and IsForeignKey classify the driver's errors: a unique or primary key
	// violation, a foreign key violation.
	IsUnique, IsForeignKey func(error) bool
}

// Scanner is a row to scan: *sql.Row, *sql.Rows or pgx's rows.
type Scanner interface{ Scan(dest ...any) error }

type scanner = Scanner

func (s *Core) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.W.ExecContext(ctx, s.Dialect.Rebind(query), args...)
}

// rowW reads one row on the writer: what a write just changed.
func (s *Core) rowW(ctx context.Context, query string, args ...any) *sql.Row {
	return s.W.QueryRowContext(ctx, s.Dialect.Rebind(query), args...)
}

func (s *Core) row(ctx context.Context, query string, args ...any) *sql.Row {
	return s.R.QueryRowContext(ctx, s.Dialect.Rebind(query), args...)
}

func (s *Core) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.R.QueryContext(ctx, s.Dialect.Rebind(query), args...)
}

// Tx is a transaction whose statements take ? placeholders.
type Tx struct {
	tx *sql.Tx
	d  Dialect
}

// ExecContext runs a statement in the transaction.
func (t Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.d.Rebind(query), args...)
}

// QueryContext runs a query in the transaction.
func (t Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.d.Rebind(query), args...)
}

// QueryRowContext runs a query of one row in the transaction.
func (t Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.d.Rebind(query), args...)
}

// InTx runs fn in a write transaction, committed when fn returns nil.
func (s *Core) InTx(ctx context.Context, fn func(Tx) error) error {
	tx, err := s.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(Tx{tx: tx, d: s.Dialect}); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Time encodes a time as the dialect stores it: microseconds since the epoch on SQLite, a
// timestamptz cut to microseconds on PostgreSQL; nil (NULL) for the zero time.
func (s *Core) Time(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if s.Dialect == Postgres {
		return t.Truncate(time.Microsecond)
	}
	return t.UnixMicro()
}

// noLimit is the LIMIT that limits nothing: -1 on SQLite, NULL on PostgreSQL.
func (s *Core) limit(n int) any {
	if n > 0 {
		return n
	}
	if s.Dialect == Postgres {
		return nil
	}
	return -1
}

// NullTime scans a time column of either dialect (microseconds or a timestamp) into UTC; NULL
// is the zero time.
type NullTime struct{ T time.Time }

// Scan implements sql.Scanner.
func (n *NullTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		n.T = time.Time{}
	case int64:
		n.T = time.UnixMicro(v).UTC()
	case time.Time:
		n.T = v.UTC()
	default:
		return fmt.Errorf("scan time: unexpected %T", src)
	}
	return nil
}

// Date scans a date column: text 'YYYY-MM-DD' (SQLite) or a date (PostgreSQL), read as that
// day in Asia/Shanghai; NULL is the zero time.
type Date struct{ T time.Time }

// Scan implements sql.Scanner.
func (d *Date) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
		d.T = time.Time{}
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	case time.Time:
		s = v.UTC().Format(time.DateOnly)
	default:
		return fmt.Errorf("scan date: unexpected %T", src)
	}
	t, err := finding.ParseDate(s)
	d.T = t
	return err
}

// day encodes a date: 'YYYY-MM-DD' in Asia/Shanghai; nil for the zero time.
func day(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return finding.FormatDate(t)
}

// nullID stores 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// jsonText encodes v as JSON text.
func jsonText(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode json: %w", err)
	}
	return string(b), nil
}

// fromJSON decodes JSON text into v; NULL leaves v as it is.
func fromJSON(s sql.NullString, v any) error {
	if !s.Valid || s.String == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(s.String), v); err != nil {
		return fmt.Errorf("decode json: %w", err)
	}
	return nil
}

// NotFound turns sql.ErrNoRows into the domain's not-found error with message; other errors
// are wrapped with what.
func NotFound(err error, what, message string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return finding.Errorf(finding.ENOTFOUND, "%s", message)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Collect scans every row with scan, wrapping a scan error with what.
func Collect[T any](rows *sql.Rows, what string, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

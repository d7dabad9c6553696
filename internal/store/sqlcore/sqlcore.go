// Package sqlcore is the SQL both stores share, written once over database/sql: queries are
// written with ? placeholders and a Dialect rewrites them for the database (PostgreSQL's $1,
// $2, …). What only one database can do — PostgreSQL's COPY and unnest, SQLite's pragmas, the
// migrations' DDL, advisory locks — stays in internal/store/postgres and internal/store/sqlite.
package sqlcore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// Dialect is what differs between the databases in the SQL this package writes.
type Dialect int

// Dialects.
const (
	SQLite Dialect = iota
	Postgres
)

// Rebind rewrites a query written with ? placeholders for the dialect: $1, $2, … on
// PostgreSQL. Queries here never hold a literal question mark.
func (d Dialect) Rebind(query string) string {
	if d != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// DB is a database/sql handle with its dialect: Exec, Query and QueryRow take ? placeholders.
type DB struct {
	SQL     *sql.DB
	Dialect Dialect
}

// ExecContext runs a statement.
func (db DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.SQL.ExecContext(ctx, db.Dialect.Rebind(query), args...)
}

// QueryContext runs a query.
func (db DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.SQL.QueryContext(ctx, db.Dialect.Rebind(query), args...)
}

// QueryRowContext runs a query of one row.
func (db DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return db.SQL.QueryRowContext(ctx, db.Dialect.Rebind(query), args...)
}

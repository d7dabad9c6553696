// Package pgtest gives each test its own PostgreSQL schema in the database named by
// TIYAN_TEST_DATABASE_URL (make test sets it; locally `bash scripts/postgres.sh` prints one).
//
// Tests that need PostgreSQL are skipped with -short. Without the variable they are skipped too,
// except under CI=true, where a missing database is a failure: CI must not pass by skipping.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tiyan/internal/store/postgres"
)

// EnvURL names the database the tests may use.
const EnvURL = "TIYAN_TEST_DATABASE_URL"

// BaseURL returns TIYAN_TEST_DATABASE_URL, skipping or failing t as the package doc says.
func BaseURL(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("PostgreSQL tests skipped with -short")
	}
	base := os.Getenv(EnvURL)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI must run the PostgreSQL tests (make test sets it from scripts/postgres.sh)", EnvURL)
		}
		t.Skipf("%s is not set; `bash scripts/postgres.sh` prints one", EnvURL)
	}
	return base
}

// URL returns a database URL whose search_path is a new, empty schema, dropped when t ends.
func URL(t testing.TB) string {
	t.Helper()
	base := BaseURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvURL, err)
	}
	defer conn.Close(ctx)
	schema := "tiyan_test_" + randomHex()
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() { drop(t, base, schema) })
	u, err := postgres.WithSearchPath(base, schema)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func drop(t testing.TB, base, schema string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Errorf("drop schema %s: %v", schema, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
		t.Errorf("drop schema %s: %v", schema, err)
	}
}

// Open opens a store on a fresh schema, closed when t ends.
func Open(t testing.TB) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), URL(t), postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

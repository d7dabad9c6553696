package postgres_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"tiyan/internal/finding"
	"tiyan/internal/store/postgres"
	"tiyan/internal/store/postgres/pgtest"
	"tiyan/internal/store/storetest"
)

func open(t testing.TB) finding.Store { return pgtest.Open(t) }

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func TestSweepLedger(t *testing.T) {
	storetest.RunSweepLedger(t, func(t testing.TB) finding.SweepLedger { return pgtest.Open(t) })
}

func TestMigrateOnce(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	s, err := postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	migrations := lastMigration(s.Applied())
	if migrations == 0 {
		t.Error("a new schema applied no migrations")
	}
	s.Close()
	s, err = postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.Applied()) != 0 {
		t.Errorf("reopening applied %v again", s.Applied())
	}
	if v, err := s.Version(ctx); err != nil || v != migrations {
		t.Errorf("version = %d, %v; want %d, the last migration", v, err, migrations)
	}
}

func TestUnreachable(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://tiyan:secret@127.0.0.1:1/tiyan?sslmode=disable", postgres.Options{})
	if finding.ErrorCode(err) != finding.EUNAVAILABLE {
		t.Fatalf("open an unreachable database: %v", err)
	}
	t.Log(err)
}

func TestBadURL(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://tiyan@127.0.0.1:notaport/x", postgres.Options{})
	if finding.ErrorCode(err) != finding.EINVALID {
		t.Fatalf("open a malformed URL: %v", err)
	}
}

// lastMigration is the number of the last of the applied migrations ("0004_x.sql" is 4).
func lastMigration(applied []string) int {
	last := 0
	for _, name := range applied {
		if n, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0]); err == nil && n > last {
			last = n
		}
	}
	return last
}

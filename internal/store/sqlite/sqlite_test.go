package sqlite_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tiyan/internal/finding"
	"tiyan/internal/store/sqlite"
	"tiyan/internal/store/storetest"
)

func open(t testing.TB) finding.Store { return openStore(t) }

func openStore(t testing.TB) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "tiyan.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func TestSweepLedger(t *testing.T) {
	storetest.RunSweepLedger(t, func(t testing.TB) finding.SweepLedger { return openStore(t) })
}

func TestMigrateOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tiyan.db")
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	migrations := lastMigration(s.Applied())
	if migrations == 0 {
		t.Error("a new database applied no migrations")
	}
	s.Close()
	s, err = sqlite.Open(ctx, path, sqlite.Options{})
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

func TestMissingDirectory(t *testing.T) {
	_, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "no", "such", "tiyan.db"), sqlite.Options{})
	if finding.ErrorCode(err) != finding.EUNAVAILABLE {
		t.Errorf("open in a missing directory: %v", err)
	}
}

func TestMemory(t *testing.T) {
	s, err := sqlite.Open(context.Background(), ":memory:", sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.CreateUnit(context.Background(), finding.Unit{Name: "x"}); err != nil {
		t.Fatal(err)
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

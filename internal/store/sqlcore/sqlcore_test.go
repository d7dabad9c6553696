package sqlcore

import "testing"

func TestRebind(t *testing.T) {
	q := `SELECT a FROM t WHERE b = ? AND c IN (?, ?) AND d = '中文'`
	if got := SQLite.Rebind(q); got != q {
		t.Errorf("SQLite rewrote %q", got)
	}
	if got, want := Postgres.Rebind(q), `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3) AND d = '中文'`; got != want {
		t.Errorf("Postgres: %q, want %q", got, want)
	}
}

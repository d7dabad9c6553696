// Package sqlite is the embedded finding.Store: one SQLite file through modernc.org/sqlite (pure
// Go, no cgo), in WAL mode with a busy timeout and foreign keys on. All writes go through one
// connection, so they are serialized; reads use a small pool of read-only connections. The SQL
// both stores share lives in internal/store/sqlcore; this package keeps what is SQLite's own
// (pragmas, migrations, the ingest, the filters) and River's queue in the file beside the
// store's (Queue, PATH.jobs).
//
// Times are stored as integer microseconds (UTC) so they compare and sort like the Postgres
// store's; days as 'YYYY-MM-DD' text in Asia/Shanghai; JSON as text. The schema is embedded and
// migrated on Open.
package sqlite

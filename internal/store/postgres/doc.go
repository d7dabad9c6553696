// Package postgres is the finding.Store for PostgreSQL through pgx v5 (pgxpool), for deployments
// where many `tiyan worker` processes share one database. The SQL both stores share lives in
// internal/store/sqlcore, run here through database/sql on the same pool (pgx's stdlib); this
// package keeps what is PostgreSQL's own, and River's queue on the same pool (Queue). Bulk ingest classifies a batch of
// fingerprints with two indexed queries, updates and inserts with unnest arrays, and copies
// sightings, events and evidence with COPY, all in one transaction per batch.
//
// Tables are created in the connection's current schema (search_path), so tests isolate
// themselves with a schema each (see pgtest). pgx stays inside this package: pgx.ErrNoRows
// becomes finding.ENOTFOUND here.
package postgres

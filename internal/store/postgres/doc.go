// Package postgres is the finding.Store for PostgreSQL through pgx v5 (pgxpool), for deployments
// where many `tiyan worker` processes share one database. Bulk ingest classifies a batch of
// fingerprints with two indexed queries, updates and inserts with unnest arrays, and copies
// sightings, events and evidence with COPY, all in one transaction per batch.
//
// Tables are created in the connection's current schema (search_path), so tests isolate
// themselves with a schema each (see pgtest). pgx stays inside this package: pgx.ErrNoRows
// becomes finding.ENOTFOUND here.
package postgres

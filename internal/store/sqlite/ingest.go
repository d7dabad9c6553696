package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tiyan/internal/finding"
)

// ingestStmts are the statements of one Ingest, prepared once per transaction; ins prepares
// the inserts the other writes share on first use.
type ingestStmts struct {
	open, closed, seen, sighting *sql.Stmt
	ins                          *stmtCache
}

func prepareIngest(ctx context.Context, tx *sql.Tx) (*ingestStmts, error) {
	st := ingestStmts{ins: &stmtCache{tx: tx, stmts: map[string]*sql.Stmt{}}}
	for _, p := range []struct {
		dst **sql.Stmt
		q   string
	}{
		{&st.open, `SELECT id FROM findings WHERE fingerprint = ? AND fingerprint <> '' AND status IN ('found', 'fed_back', 'handled')`},
		{&st.closed, `SELECT id, status FROM findings WHERE fingerprint = ? AND fingerprint <> '' AND status IN ('verified', 'dismissed') ORDER BY id DESC LIMIT 1`},
		{&st.seen, `UPDATE findings SET last_seen = max(last_seen, ?), occurrences = occurrences + ?, run_id = ?,
			measured = coalesce(?, measured), affected = ?, updated = ? WHERE id = ?`},
		{&st.sighting, `INSERT INTO sightings (run_id, finding_id, seen_at) VALUES (?, ?, ?)`},
	} {
		stmt, err := tx.PrepareContext(ctx, p.q)
		if err != nil {
			return nil, fmt.Errorf("prepare ingest: %w", err)
		}
		*p.dst = stmt
	}
	return &st, nil
}

// Ingest files sighting groups in one transaction; see finding.FindingStore.
func (s *Store) Ingest(ctx context.Context, groups []finding.SightingGroup) ([]finding.Ingested, error) {
	out := make([]finding.Ingested, len(groups))
	err := s.tx(ctx, func(tx *sql.Tx) error {
		st, err := prepareIngest(ctx, tx)
		if err != nil {
			return err
		}
		for i, g := range groups {
			if out[i], err = s.ingestGroup(ctx, st, g); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

func (s *Store) ingestGroup(ctx context.Context, st *ingestStmts, g finding.SightingGroup) (finding.Ingested, error) {
	if len(g.Sightings) == 0 {
		return finding.Ingested{}, finding.Errorf(finding.EINVALID, "空的发现分组")
	}
	fp := g.Sightings[0].Fingerprint
	var res finding.Ingested
	err := st.open.QueryRowContext(ctx, fp).Scan(&res.FindingID)
	if errors.Is(err, sql.ErrNoRows) {
		var status finding.Status
		err = st.closed.QueryRowContext(ctx, fp).Scan(&res.FindingID, &status)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			res, err = s.openFinding(ctx, st.ins, g, 0)
		case err == nil && status == finding.Verified:
			res, err = s.openFinding(ctx, st.ins, g, res.FindingID)
		case err == nil:
			res.Suppressed = true
			err = s.seenAgain(ctx, st, res.FindingID, g)
		}
	} else if err == nil {
		err = s.seenAgain(ctx, st, res.FindingID, g)
	}
	if err != nil {
		return res, fmt.Errorf("ingest fingerprint %s: %w", fp, err)
	}
	return res, s.linkSightings(ctx, st, res.FindingID, g)
}

// seenAgain counts the group's sightings on an existing finding.
func (s *Store) seenAgain(ctx context.Context, st *ingestStmts, id int64, g finding.SightingGroup) error {
	last := g.Sightings[len(g.Sightings)-1]
	measured, err := jsonText(last.Measured)
	if err != nil {
		return err
	}
	_, err = st.seen.ExecContext(ctx, g.LastSeen().UnixMicro(), len(g.Sightings), last.RunID, measured, last.Affected, s.now().UnixMicro(), id)
	return err
}

// openFinding opens a new finding from the group, found by tiyan; recurrenceOf links it to the
// verified finding it re-opens.
func (s *Store) openFinding(ctx context.Context, tx execer, g finding.SightingGroup, recurrenceOf int64) (finding.Ingested, error) {
	f := g.Finding(recurrenceOf)
	id, err := s.insertFinding(ctx, tx, f)
	if err != nil {
		return finding.Ingested{}, err
	}
	_, err = insertEvent(ctx, tx, id, finding.FoundEvent(f))
	return finding.Ingested{FindingID: id, New: true, RecurrenceOf: recurrenceOf}, err
}

// linkSightings records each sighting of the group against its run, with its evidence.
func (s *Store) linkSightings(ctx context.Context, st *ingestStmts, id int64, g finding.SightingGroup) error {
	for _, sg := range g.Sightings {
		if _, err := st.sighting.ExecContext(ctx, sg.RunID, id, sg.SeenAt.UnixMicro()); err != nil {
			return fmt.Errorf("insert sighting: %w", err)
		}
		if err := insertEvidence(ctx, st.ins, id, 0, sg.RunID, sg.StampedEvidence()); err != nil {
			return err
		}
	}
	return nil
}

// execer runs a statement: a transaction, or a stmtCache on one.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// stmtCache runs statements on a transaction, each prepared once: a bulk ingest runs the same
// few inserts many thousand times.
type stmtCache struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	stmt, ok := c.stmts[query]
	if !ok {
		var err error
		if stmt, err = c.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		c.stmts[query] = stmt
	}
	return stmt.ExecContext(ctx, args...)
}

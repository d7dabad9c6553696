package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tiyan/internal/finding"
)

const unitCols = `id, name, jurisdiction, slack_channel, created`

func scanUnit(row pgx.Row) (finding.Unit, error) {
	var u finding.Unit
	err := row.Scan(&u.ID, &u.Name, &u.Jurisdiction, &u.SlackChannel, &u.Created)
	u.Created = u.Created.UTC()
	return u, err
}

// CreateUnit adds a unit; a name already taken is ECONFLICT.
func (s *Store) CreateUnit(ctx context.Context, u finding.Unit) (finding.Unit, error) {
	if err := u.Validate(); err != nil {
		return u, err
	}
	if u.Created.IsZero() {
		u.Created = s.now()
	}
	got, err := scanUnit(s.pool.QueryRow(ctx, `INSERT INTO units (name, jurisdiction, slack_channel, created)
		VALUES ($1, $2, $3, $4) RETURNING `+unitCols, u.Name, u.Jurisdiction, u.SlackChannel, ts(u.Created)))
	if pgCode(err) == uniqueViolation {
		return u, finding.Errorf(finding.ECONFLICT, "单位“%s”已存在", u.Name)
	}
	if err != nil {
		return u, fmt.Errorf("insert unit %s: %w", u.Name, err)
	}
	return got, nil
}

// EnsureUnits returns the units of the given names, creating the missing ones.
func (s *Store) EnsureUnits(ctx context.Context, units []finding.Unit) ([]finding.Unit, error) {
	out := make([]finding.Unit, len(units))
	err := s.tx(ctx, func(tx pgx.Tx) error {
		for i, u := range units {
			if err := u.Validate(); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO units (name, jurisdiction, slack_channel, created)
				VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING`, u.Name, u.Jurisdiction, u.SlackChannel, ts(s.now())); err != nil {
				return fmt.Errorf("ensure unit %s: %w", u.Name, err)
			}
			got, err := scanUnit(tx.QueryRow(ctx, `SELECT `+unitCols+` FROM units WHERE name = $1`, u.Name))
			if err != nil {
				return fmt.Errorf("read unit %s: %w", u.Name, err)
			}
			out[i] = got
		}
		return nil
	})
	return out, err
}

// Unit returns a unit by ID.
func (s *Store) Unit(ctx context.Context, id int64) (finding.Unit, error) {
	u, err := scanUnit(s.pool.QueryRow(ctx, `SELECT `+unitCols+` FROM units WHERE id = $1`, id))
	if err != nil {
		return u, notFound(err, fmt.Sprintf("unit %d", id), fmt.Sprintf("单位 #%d 不存在（tiyan units list 列出所有单位）", id))
	}
	return u, nil
}

// UnitByName returns a unit by its exact name.
func (s *Store) UnitByName(ctx context.Context, name string) (finding.Unit, error) {
	u, err := scanUnit(s.pool.QueryRow(ctx, `SELECT `+unitCols+` FROM units WHERE name = $1`, name))
	if err != nil {
		return u, notFound(err, "unit "+name, fmt.Sprintf("没有名为“%s”的单位（tiyan units list 列出所有单位，tiyan units add 添加）", name))
	}
	return u, nil
}

// Units lists every unit by ID.
func (s *Store) Units(ctx context.Context) ([]finding.Unit, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+unitCols+` FROM units ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (finding.Unit, error) { return scanUnit(row) })
}

package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"tiyan/internal/finding"
)

const unitCols = `id, name, jurisdiction, slack_channel, created`

func scanUnit(row scanner) (finding.Unit, error) {
	var u finding.Unit
	var created sql.NullInt64
	err := row.Scan(&u.ID, &u.Name, &u.Jurisdiction, &u.SlackChannel, &created)
	u.Created = fromMicros(created)
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
	res, err := s.w.ExecContext(ctx, `INSERT INTO units (name, jurisdiction, slack_channel, created) VALUES (?, ?, ?, ?)`,
		u.Name, u.Jurisdiction, u.SlackChannel, u.Created.UnixMicro())
	if isUnique(err) {
		return u, finding.Errorf(finding.ECONFLICT, "单位“%s”已存在", u.Name)
	}
	if err != nil {
		return u, fmt.Errorf("insert unit %s: %w", u.Name, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return u, err
	}
	return s.Unit(ctx, id)
}

// EnsureUnits returns the units of the given names, creating the missing ones.
func (s *Store) EnsureUnits(ctx context.Context, units []finding.Unit) ([]finding.Unit, error) {
	out := make([]finding.Unit, len(units))
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for i, u := range units {
			if err := u.Validate(); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO units (name, jurisdiction, slack_channel, created)
				VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`, u.Name, u.Jurisdiction, u.SlackChannel, s.now().UnixMicro()); err != nil {
				return fmt.Errorf("ensure unit %s: %w", u.Name, err)
			}
			got, err := scanUnit(tx.QueryRowContext(ctx, `SELECT `+unitCols+` FROM units WHERE name = ?`, u.Name))
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
	u, err := scanUnit(s.r.QueryRowContext(ctx, `SELECT `+unitCols+` FROM units WHERE id = ?`, id))
	if err != nil {
		return u, notFound(err, fmt.Sprintf("unit %d", id), fmt.Sprintf("单位 #%d 不存在（tiyan units list 列出所有单位）", id))
	}
	return u, nil
}

// UnitByName returns a unit by its exact name.
func (s *Store) UnitByName(ctx context.Context, name string) (finding.Unit, error) {
	u, err := scanUnit(s.r.QueryRowContext(ctx, `SELECT `+unitCols+` FROM units WHERE name = ?`, name))
	if err != nil {
		return u, notFound(err, "unit "+name, fmt.Sprintf("没有名为“%s”的单位（tiyan units list 列出所有单位，tiyan units add 添加）", name))
	}
	return u, nil
}

// Units lists every unit by ID.
func (s *Store) Units(ctx context.Context) ([]finding.Unit, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+unitCols+` FROM units ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	defer rows.Close()
	var out []finding.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, fmt.Errorf("scan unit: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

package sqlcore

import (
	"context"
	"fmt"

	"tiyan/internal/finding"
)

const unitCols = `id, name, jurisdiction, slack_channel, created`

func scanUnit(row scanner) (finding.Unit, error) {
	var u finding.Unit
	var created NullTime
	err := row.Scan(&u.ID, &u.Name, &u.Jurisdiction, &u.SlackChannel, &created)
	u.Created = created.T
	return u, err
}

// CreateUnit adds a unit; a name already taken is ECONFLICT.
func (s *Core) CreateUnit(ctx context.Context, u finding.Unit) (finding.Unit, error) {
	if err := u.Validate(); err != nil {
		return u, err
	}
	if u.Created.IsZero() {
		u.Created = s.Now()
	}
	got, err := scanUnit(s.rowW(ctx, `INSERT INTO units (name, jurisdiction, slack_channel, created) VALUES (?, ?, ?, ?)
		RETURNING `+unitCols, u.Name, u.Jurisdiction, u.SlackChannel, s.Time(u.Created)))
	if s.IsUnique(err) {
		return u, finding.Errorf(finding.ECONFLICT, "单位“%s”已存在", u.Name)
	}
	if err != nil {
		return u, fmt.Errorf("insert unit %s: %w", u.Name, err)
	}
	return got, nil
}

// EnsureUnits returns the units of the given names, creating the missing ones.
func (s *Core) EnsureUnits(ctx context.Context, units []finding.Unit) ([]finding.Unit, error) {
	out := make([]finding.Unit, len(units))
	err := s.InTx(ctx, func(tx Tx) error {
		for i, u := range units {
			if err := u.Validate(); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO units (name, jurisdiction, slack_channel, created)
				VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`, u.Name, u.Jurisdiction, u.SlackChannel, s.Time(s.Now())); err != nil {
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
func (s *Core) Unit(ctx context.Context, id int64) (finding.Unit, error) {
	u, err := scanUnit(s.row(ctx, `SELECT `+unitCols+` FROM units WHERE id = ?`, id))
	if err != nil {
		return u, NotFound(err, fmt.Sprintf("unit %d", id), fmt.Sprintf("单位 #%d 不存在（tiyan units list 列出所有单位）", id))
	}
	return u, nil
}

// UnitByName returns a unit by its exact name.
func (s *Core) UnitByName(ctx context.Context, name string) (finding.Unit, error) {
	u, err := scanUnit(s.row(ctx, `SELECT `+unitCols+` FROM units WHERE name = ?`, name))
	if err != nil {
		return u, NotFound(err, "unit "+name, fmt.Sprintf("没有名为“%s”的单位（tiyan units list 列出所有单位，tiyan units add 添加）", name))
	}
	return u, nil
}

// Units lists every unit by ID.
func (s *Core) Units(ctx context.Context) ([]finding.Unit, error) {
	rows, err := s.query(ctx, `SELECT `+unitCols+` FROM units ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	return Collect(rows, "unit", scanUnit)
}

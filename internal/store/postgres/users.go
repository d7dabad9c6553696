package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tiyan/internal/finding"
)

var _ finding.UserStore = (*Store)(nil)

const userCols = `us.id, us.name, us.display_name, us.role, coalesce(us.unit_id, 0), coalesce(un.name, ''),
	us.jurisdiction, coalesce(us.officer_id, 0), coalesce(o.name, ''), us.password_hash, us.disabled, us.created, us.updated, us.last_signin`

const userFrom = ` FROM users us LEFT JOIN units un ON un.id = us.unit_id LEFT JOIN officers o ON o.id = us.officer_id`

func scanUser(row pgx.Row) (finding.User, error) {
	var u finding.User
	var signIn *time.Time
	err := row.Scan(&u.ID, &u.Name, &u.DisplayName, &u.Role, &u.UnitID, &u.Unit, &u.Jurisdiction, &u.OfficerID,
		&u.Officer, &u.PasswordHash, &u.Disabled, &u.Created, &u.Updated, &signIn)
	u.Created, u.Updated = u.Created.UTC(), u.Updated.UTC()
	if signIn != nil {
		u.LastSignIn = signIn.UTC()
	}
	return u, err
}

// CreateUser adds a user; a name already taken is ECONFLICT.
func (s *Store) CreateUser(ctx context.Context, u finding.User) (finding.User, error) {
	if err := u.Validate(); err != nil {
		return u, err
	}
	now := s.now()
	if u.Created.IsZero() {
		u.Created = now
	}
	var id int64
	err := s.pool.QueryRow(ctx, `INSERT INTO users (name, display_name, role, unit_id, jurisdiction, officer_id,
		password_hash, disabled, created, updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		u.Name, u.DisplayName, u.Role, nullID(u.UnitID), u.Jurisdiction, nullID(u.OfficerID), u.PasswordHash,
		u.Disabled, ts(u.Created), ts(now)).Scan(&id)
	switch {
	case pgCode(err) == uniqueViolation:
		return u, finding.Errorf(finding.ECONFLICT, "用户名“%s”已被使用", u.Name)
	case err != nil:
		return u, userRefError(err, u)
	}
	return s.User(ctx, id)
}

// userRefError explains a write that names a unit or officer that does not exist.
func userRefError(err error, u finding.User) error {
	if pgCode(err) == foreignKeyViolation {
		return finding.Errorf(finding.ENOTFOUND, "用户 %s 所属的单位 #%d 或体验官 #%d 不存在", u.Name, u.UnitID, u.OfficerID)
	}
	return fmt.Errorf("write user %s: %w", u.Name, err)
}

// UpdateUser overwrites a user's role, unit, jurisdiction, officer, password and state.
func (s *Store) UpdateUser(ctx context.Context, u finding.User) (finding.User, error) {
	if err := u.Validate(); err != nil {
		return u, err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE users SET display_name = $1, role = $2, unit_id = $3, jurisdiction = $4,
		officer_id = $5, password_hash = $6, disabled = $7, updated = $8 WHERE id = $9`,
		u.DisplayName, u.Role, nullID(u.UnitID), u.Jurisdiction, nullID(u.OfficerID), u.PasswordHash, u.Disabled,
		ts(s.now()), u.ID)
	if err != nil {
		return u, userRefError(err, u)
	}
	if tag.RowsAffected() == 0 {
		return u, finding.Errorf(finding.ENOTFOUND, "用户 #%d 不存在", u.ID)
	}
	return s.User(ctx, u.ID)
}

// User returns a user by ID.
func (s *Store) User(ctx context.Context, id int64) (finding.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userCols+userFrom+` WHERE us.id = $1`, id))
	if err != nil {
		return u, notFound(err, fmt.Sprintf("user %d", id), fmt.Sprintf("用户 #%d 不存在（tiyan users list 列出所有用户）", id))
	}
	return u, nil
}

// UserByName returns a user by sign-in name.
func (s *Store) UserByName(ctx context.Context, name string) (finding.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userCols+userFrom+` WHERE us.name = $1`, name))
	if err != nil {
		return u, notFound(err, "user "+name, fmt.Sprintf("没有名为“%s”的用户（tiyan users list 列出所有用户）", name))
	}
	return u, nil
}

// Users lists every user by ID.
func (s *Store) Users(ctx context.Context) ([]finding.User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userCols+userFrom+` ORDER BY us.id`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (finding.User, error) { return scanUser(row) })
}

// CreateToken stores a session or API token.
func (s *Store) CreateToken(ctx context.Context, t finding.Token) error {
	if t.Created.IsZero() {
		t.Created = s.now()
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO tokens (hash, user_id, kind, note, created, expires) VALUES ($1, $2, $3, $4, $5, $6)`,
		t.Hash, t.UserID, t.Kind, t.Note, ts(t.Created), ts(t.Expires))
	if pgCode(err) == foreignKeyViolation {
		return finding.Errorf(finding.ENOTFOUND, "用户 #%d 不存在", t.UserID)
	}
	if err != nil {
		return fmt.Errorf("insert token: %w", err)
	}
	return nil
}

// TokenUser returns the user a live token belongs to.
func (s *Store) TokenUser(ctx context.Context, hash, kind string, now time.Time) (finding.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userCols+userFrom+` JOIN tokens t ON t.user_id = us.id
		WHERE t.hash = $1 AND t.kind = $2 AND (t.expires IS NULL OR t.expires > $3) AND NOT us.disabled`,
		hash, kind, ts(now)))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, s.deadToken(ctx, hash, kind, now)
	}
	if err != nil {
		return u, fmt.Errorf("read token: %w", err)
	}
	return u, nil
}

// deadToken says why a token opens nothing: it expired (and when), or it is unknown, revoked
// or its user disabled.
func (s *Store) deadToken(ctx context.Context, hash, kind string, now time.Time) error {
	var expires *time.Time
	err := s.pool.QueryRow(ctx, `SELECT expires FROM tokens WHERE hash = $1 AND kind = $2`, hash, kind).Scan(&expires)
	switch {
	case err == nil && expires != nil && !expires.After(now):
		return finding.TokenExpired(kind, *expires)
	case err != nil && !errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("read token: %w", err)
	}
	return finding.Errorf(finding.EUNAUTHORIZED, "登录已过期或令牌无效，请重新登录")
}

// Tokens lists a user's tokens of kind ("" for all), the newest first.
func (s *Store) Tokens(ctx context.Context, userID int64, kind string) ([]finding.Token, error) {
	rows, err := s.pool.Query(ctx, `SELECT hash, user_id, kind, note, created, expires FROM tokens
		WHERE user_id = $1 AND ($2 = '' OR kind = $2) ORDER BY created DESC, hash`, userID, kind)
	if err != nil {
		return nil, fmt.Errorf("list tokens of user %d: %w", userID, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (finding.Token, error) {
		var t finding.Token
		var expires *time.Time
		err := row.Scan(&t.Hash, &t.UserID, &t.Kind, &t.Note, &t.Created, &expires)
		t.Created = t.Created.UTC()
		if expires != nil {
			t.Expires = expires.UTC()
		}
		return t, err
	})
}

// RecordSignIn notes a user's sign-in.
func (s *Store) RecordSignIn(ctx context.Context, userID int64, at time.Time) error {
	if _, err := s.pool.Exec(ctx, `UPDATE users SET last_signin = $1 WHERE id = $2`, ts(at), userID); err != nil {
		return fmt.Errorf("record sign-in of user %d: %w", userID, err)
	}
	return nil
}

// DeleteToken removes one token.
func (s *Store) DeleteToken(ctx context.Context, hash string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM tokens WHERE hash = $1`, hash); err != nil {
		return fmt.Errorf("delete token: %w", err)
	}
	return nil
}

// DeleteTokens removes a user's tokens of kind ("" for all).
func (s *Store) DeleteTokens(ctx context.Context, userID int64, kind string) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM tokens WHERE user_id = $1 AND ($2 = '' OR kind = $2)`, userID, kind)
	if err != nil {
		return 0, fmt.Errorf("delete tokens of user %d: %w", userID, err)
	}
	return int(tag.RowsAffected()), nil
}

// DeleteExpiredTokens removes the tokens expired at now.
func (s *Store) DeleteExpiredTokens(ctx context.Context, now time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM tokens WHERE expires IS NOT NULL
		AND expires <= CASE kind WHEN 'api' THEN $1::timestamptz ELSE $2::timestamptz END`, ts(now.Add(-finding.KeepExpiredAPITokens)), ts(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired tokens: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

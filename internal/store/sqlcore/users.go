package sqlcore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tiyan/internal/finding"
)

const userCols = `us.id, us.name, us.display_name, us.role, coalesce(us.unit_id, 0), coalesce(un.name, ''),
	us.jurisdiction, coalesce(us.officer_id, 0), coalesce(o.name, ''), us.password_hash, us.disabled, us.created, us.updated, us.last_signin`

const userFrom = ` FROM users us LEFT JOIN units un ON un.id = us.unit_id LEFT JOIN officers o ON o.id = us.officer_id`

func scanUser(row scanner) (finding.User, error) {
	var u finding.User
	var created, updated, signIn NullTime
	err := row.Scan(&u.ID, &u.Name, &u.DisplayName, &u.Role, &u.UnitID, &u.Unit, &u.Jurisdiction, &u.OfficerID,
		&u.Officer, &u.PasswordHash, &u.Disabled, &created, &updated, &signIn)
	u.Created, u.Updated, u.LastSignIn = created.T, updated.T, signIn.T
	return u, err
}

// CreateUser adds a user; a name already taken is ECONFLICT.
func (s *Core) CreateUser(ctx context.Context, u finding.User) (finding.User, error) {
	if err := u.Validate(); err != nil {
		return u, err
	}
	now := s.Now()
	if u.Created.IsZero() {
		u.Created = now
	}
	var id int64
	err := s.rowW(ctx, `INSERT INTO users (name, display_name, role, unit_id, jurisdiction, officer_id,
		password_hash, disabled, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Name, u.DisplayName, u.Role, nullID(u.UnitID), u.Jurisdiction, nullID(u.OfficerID), u.PasswordHash,
		u.Disabled, s.Time(u.Created), s.Time(now)).Scan(&id)
	switch {
	case s.IsUnique(err):
		return u, finding.Errorf(finding.ECONFLICT, "用户名“%s”已被使用", u.Name)
	case err != nil:
		return u, s.userRefError(err, u)
	}
	return s.User(ctx, id)
}

// userRefError explains a write that names a unit or officer that does not exist.
func (s *Core) userRefError(err error, u finding.User) error {
	if s.IsForeignKey(err) {
		return finding.Errorf(finding.ENOTFOUND, "用户 %s 所属的单位 #%d 或体验官 #%d 不存在", u.Name, u.UnitID, u.OfficerID)
	}
	return fmt.Errorf("write user %s: %w", u.Name, err)
}

// UpdateUser overwrites a user's role, unit, jurisdiction, officer, password and state.
func (s *Core) UpdateUser(ctx context.Context, u finding.User) (finding.User, error) {
	if err := u.Validate(); err != nil {
		return u, err
	}
	res, err := s.exec(ctx, `UPDATE users SET display_name = ?, role = ?, unit_id = ?, jurisdiction = ?,
		officer_id = ?, password_hash = ?, disabled = ?, updated = ? WHERE id = ?`,
		u.DisplayName, u.Role, nullID(u.UnitID), u.Jurisdiction, nullID(u.OfficerID), u.PasswordHash, u.Disabled,
		s.Time(s.Now()), u.ID)
	if err != nil {
		return u, s.userRefError(err, u)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return u, finding.Errorf(finding.ENOTFOUND, "用户 #%d 不存在", u.ID)
	}
	return s.User(ctx, u.ID)
}

// User returns a user by ID.
func (s *Core) User(ctx context.Context, id int64) (finding.User, error) {
	u, err := scanUser(s.row(ctx, `SELECT `+userCols+userFrom+` WHERE us.id = ?`, id))
	if err != nil {
		return u, NotFound(err, fmt.Sprintf("user %d", id), fmt.Sprintf("用户 #%d 不存在（tiyan users list 列出所有用户）", id))
	}
	return u, nil
}

// UserByName returns a user by sign-in name.
func (s *Core) UserByName(ctx context.Context, name string) (finding.User, error) {
	u, err := scanUser(s.row(ctx, `SELECT `+userCols+userFrom+` WHERE us.name = ?`, name))
	if err != nil {
		return u, NotFound(err, "user "+name, fmt.Sprintf("没有名为“%s”的用户（tiyan users list 列出所有用户）", name))
	}
	return u, nil
}

// Users lists every user by ID.
func (s *Core) Users(ctx context.Context) ([]finding.User, error) {
	rows, err := s.query(ctx, `SELECT `+userCols+userFrom+` ORDER BY us.id`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []finding.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("scan user: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateToken stores a session or API token.
func (s *Core) CreateToken(ctx context.Context, t finding.Token) error {
	if t.Created.IsZero() {
		t.Created = s.Now()
	}
	_, err := s.exec(ctx, `INSERT INTO tokens (hash, user_id, kind, note, created, expires) VALUES (?, ?, ?, ?, ?, ?)`,
		t.Hash, t.UserID, t.Kind, t.Note, s.Time(t.Created), s.Time(t.Expires))
	if s.IsForeignKey(err) {
		return finding.Errorf(finding.ENOTFOUND, "用户 #%d 不存在", t.UserID)
	}
	if err != nil {
		return fmt.Errorf("insert token: %w", err)
	}
	return nil
}

// TokenUser returns the user a live token belongs to.
func (s *Core) TokenUser(ctx context.Context, hash, kind string, now time.Time) (finding.User, error) {
	u, err := scanUser(s.row(ctx, `SELECT `+userCols+userFrom+` JOIN tokens t ON t.user_id = us.id
		WHERE t.hash = ? AND t.kind = ? AND (t.expires IS NULL OR t.expires > ?) AND NOT us.disabled`,
		hash, kind, s.Time(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return u, s.deadToken(ctx, hash, kind, now)
	}
	if err != nil {
		return u, fmt.Errorf("read token: %w", err)
	}
	return u, nil
}

// deadToken says why a token opens nothing: it expired (and when), or it is unknown, revoked
// or its user disabled.
func (s *Core) deadToken(ctx context.Context, hash, kind string, now time.Time) error {
	var expires NullTime
	err := s.row(ctx, `SELECT expires FROM tokens WHERE hash = ? AND kind = ?`, hash, kind).Scan(&expires)
	switch {
	case err == nil && !expires.T.IsZero() && !expires.T.After(now):
		return finding.TokenExpired(kind, expires.T)
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("read token: %w", err)
	}
	return finding.Errorf(finding.EUNAUTHORIZED, "登录已过期或令牌无效，请重新登录")
}

// Tokens lists a user's tokens of kind ("" for all), the newest first.
func (s *Core) Tokens(ctx context.Context, userID int64, kind string) ([]finding.Token, error) {
	rows, err := s.query(ctx, `SELECT hash, user_id, kind, note, created, expires FROM tokens
		WHERE user_id = ? AND (? = '' OR kind = ?) ORDER BY created DESC, hash`, userID, kind, kind)
	if err != nil {
		return nil, fmt.Errorf("list tokens of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []finding.Token
	for rows.Next() {
		var t finding.Token
		var created, expires NullTime
		if err := rows.Scan(&t.Hash, &t.UserID, &t.Kind, &t.Note, &created, &expires); err != nil {
			return nil, fmt.Errorf("scan token: %w", err)
		}
		t.Created, t.Expires = created.T, expires.T
		out = append(out, t)
	}
	return out, rows.Err()
}

// RecordSignIn notes a user's sign-in.
func (s *Core) RecordSignIn(ctx context.Context, userID int64, at time.Time) error {
	if _, err := s.exec(ctx, `UPDATE users SET last_signin = ? WHERE id = ?`, s.Time(at), userID); err != nil {
		return fmt.Errorf("record sign-in of user %d: %w", userID, err)
	}
	return nil
}

// DeleteToken removes one token.
func (s *Core) DeleteToken(ctx context.Context, hash string) error {
	if _, err := s.exec(ctx, `DELETE FROM tokens WHERE hash = ?`, hash); err != nil {
		return fmt.Errorf("delete token: %w", err)
	}
	return nil
}

// DeleteTokens removes a user's tokens of kind ("" for all).
func (s *Core) DeleteTokens(ctx context.Context, userID int64, kind string) (int, error) {
	res, err := s.exec(ctx, `DELETE FROM tokens WHERE user_id = ? AND (? = '' OR kind = ?)`, userID, kind, kind)
	if err != nil {
		return 0, fmt.Errorf("delete tokens of user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// DeleteExpiredTokens removes the tokens expired at now.
func (s *Core) DeleteExpiredTokens(ctx context.Context, now time.Time) (int, error) {
	res, err := s.exec(ctx, `DELETE FROM tokens WHERE (kind = 'api' AND expires <= ?) OR (kind <> 'api' AND expires <= ?)`,
		s.Time(now.Add(-finding.KeepExpiredAPITokens)), s.Time(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired tokens: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

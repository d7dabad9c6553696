package finding

import (
	"context"
	"strings"
	"time"
)

// Error codes for people who may not do what they asked. Like the codes in error.go they map
// to an HTTP status (401 and 403) and an exit status.
const (
	// EUNAUTHORIZED: not signed in, or the session or token has expired.
	EUNAUTHORIZED = "unauthorized"
	// EFORBIDDEN: signed in, but the role or the jurisdiction does not allow it.
	EFORBIDDEN = "forbidden"
)

// Role is what a user of the web UI and API may do.
type Role string

// Roles.
const (
	// RoleAdmin is the bureau's administrator (管理员): everything, everywhere.
	RoleAdmin Role = "admin"
	// RoleStaff is bureau staff (政务服务管理局工作人员): triage, feed back, evaluate and read
	// reports for their jurisdiction and the zones below it.
	RoleStaff Role = "staff"
	// RoleUnit is a window unit (窗口单位): sees and handles the findings fed back to it.
	RoleUnit Role = "unit"
	// RoleOfficer is an experience officer (体验官): files manual reports and praise, sees and
	// evaluates their own.
	RoleOfficer Role = "officer"
)

var roles = []enumValue[Role]{{RoleAdmin, "管理员"}, {RoleStaff, "工作人员"}, {RoleUnit, "窗口单位"}, {RoleOfficer, "体验官"}}

// Label returns the Chinese name of r.
func (r Role) Label() string { return label(roles, r) }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return valid(roles, r) }

// ParseRole reads a role by value or Chinese label.
func ParseRole(s string) (Role, error) { return parse(roles, "角色", s) }

// Roles lists the roles, the most powerful first.
func Roles() []Role { return []Role{RoleAdmin, RoleStaff, RoleUnit, RoleOfficer} }

// User is an account of the web UI and the API. A unit user belongs to one unit, a staff user
// to one jurisdiction, an officer user to one officer's record.
type User struct {
	ID   int64  `json:"id"`
	Name string `json:"name"` // the sign-in name; unique
	// DisplayName is how events name the user (“李强”); Name when empty.
	DisplayName  string `json:"display_name"`
	Role         Role   `json:"role"`
	UnitID       int64  `json:"unit_id"` // RoleUnit: the unit; 0 otherwise
	Unit         string `json:"unit"`    // the unit's name, filled in by the store
	Jurisdiction string `json:"jurisdiction"`
	OfficerID    int64  `json:"officer_id"` // RoleOfficer: the officer's record
	Officer      string `json:"officer"`    // the officer's name, filled in by the store
	// PasswordHash is the password's bcrypt hash; it never leaves the server.
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled"`
	Created      time.Time `json:"created"`
	Updated      time.Time `json:"updated"`
	// LastSignIn is when the user last signed in to the web UI; zero: never.
	LastSignIn time.Time `json:"last_signin,omitzero"`
}

// Actor is the name events record for the user.
func (u User) Actor() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Name
}

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	switch {
	case strings.TrimSpace(u.Name) == "":
		return Errorf(EINVALID, "用户名不能为空")
	case strings.ContainsAny(u.Name, " \t\r\n/"):
		return Errorf(EINVALID, "用户名 %q 不能包含空格或斜杠", u.Name)
	case len(u.Name) > 64:
		return Errorf(EINVALID, "用户名过长（最多 64 字节）")
	case !u.Role.Valid():
		_, err := ParseRole(string(u.Role))
		return err
	case u.PasswordHash == "":
		return Errorf(EINVALID, "用户 %s 没有设置密码", u.Name)
	case u.Jurisdiction != "" && !ValidZone(u.Jurisdiction):
		return Errorf(EINVALID, "行政区划代码 %q 应为 6 位或 12 位数字（如六安市 341500）", u.Jurisdiction)
	case u.Role == RoleUnit && u.UnitID == 0:
		return Errorf(EINVALID, "窗口单位账号 %s 须指定所属单位（--unit）", u.Name)
	case u.Role == RoleStaff && u.Jurisdiction == "":
		return Errorf(EINVALID, "工作人员账号 %s 须指定管辖的行政区划（--jurisdiction，如六安市 341500）", u.Name)
	case u.Role == RoleOfficer && u.OfficerID == 0:
		return Errorf(EINVALID, "体验官账号 %s 须关联体验官档案（--officer）", u.Name)
	}
	return CheckLength("显示名称", u.DisplayName, MaxName)
}

// Token kinds: a browser session, or an API token for machines.
const (
	TokenSession = "session"
	TokenAPI     = "api"
)

// Token is a session or an API token as stored: only the SHA-256 of the secret is kept, so a
// copy of the database opens no sessions.
type Token struct {
	Hash    string    `json:"-"` // hex SHA-256 of the secret the client holds
	UserID  int64     `json:"user_id"`
	Kind    string    `json:"kind"`    // TokenSession or TokenAPI
	Note    string    `json:"note"`    // what an API token is for (“省平台数据对接”); may be empty
	Created time.Time `json:"created"` //
	Expires time.Time `json:"expires"` // zero: until revoked (only tokens issued before expiry existed)
}

// ID names a token where tokens are listed and revoked one by one: the start of its hash,
// which tells nothing about the secret.
func (t Token) ID() string { return t.Hash[:min(len(t.Hash), 12)] }

// Expired reports whether t has expired at now.
func (t Token) Expired(now time.Time) bool { return !t.Expires.IsZero() && !t.Expires.After(now) }

// KeepExpiredAPITokens is how long an expired API token is kept before DeleteExpiredTokens
// removes it: meanwhile the API answers that the token has expired (and when), not that it is
// unknown, and the administrator sees it in the list.
const KeepExpiredAPITokens = 30 * 24 * time.Hour

// TokenExpired is the refusal of a token that has expired: a session asks to sign in again,
// an API token names the day it expired and who issues a new one.
func TokenExpired(kind string, expires time.Time) error {
	if kind == TokenAPI {
		return Errorf(EUNAUTHORIZED, "接口令牌已于 %s 过期，请联系系统管理员签发新令牌（tiyan users token 用户名）", expires.In(Zone).Format("2006-01-02 15:04"))
	}
	return Errorf(EUNAUTHORIZED, "登录已过期，请重新登录")
}

// UserStore keeps users and their sessions and API tokens.
type UserStore interface {
	// CreateUser adds a user; a name already taken is ECONFLICT.
	CreateUser(ctx context.Context, u User) (User, error)
	// UpdateUser overwrites everything but the ID, the name and the creation time.
	UpdateUser(ctx context.Context, u User) (User, error)
	User(ctx context.Context, id int64) (User, error)
	UserByName(ctx context.Context, name string) (User, error)
	// Users lists every user by ID.
	Users(ctx context.Context) ([]User, error)

	// CreateToken stores a session or API token.
	CreateToken(ctx context.Context, t Token) error
	// TokenUser returns the user a token of kind belongs to; a token that does not exist, has
	// expired at now, or belongs to a disabled user is EUNAUTHORIZED (an expired one with the
	// message of TokenExpired).
	TokenUser(ctx context.Context, hash, kind string, now time.Time) (User, error)
	// Tokens lists a user's tokens of kind ("" for every kind), the newest first, expired ones
	// included until they are deleted.
	Tokens(ctx context.Context, userID int64, kind string) ([]Token, error)
	// RecordSignIn notes that the user signed in at at.
	RecordSignIn(ctx context.Context, userID int64, at time.Time) error
	// DeleteToken removes one token; a token already gone is not an error.
	DeleteToken(ctx context.Context, hash string) error
	// DeleteTokens removes a user's tokens of kind ("" for every kind) and returns how many.
	DeleteTokens(ctx context.Context, userID int64, kind string) (int, error)
	// DeleteExpiredTokens removes the sessions expired at now, and the API tokens expired
	// KeepExpiredAPITokens before now, and returns how many.
	DeleteExpiredTokens(ctx context.Context, now time.Time) (int, error)
}

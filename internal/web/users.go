package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
)

// The administrator's pages for accounts: list them, add one, reset a password, disable or
// enable an account, issue and revoke API tokens. What each does is auth.Accounts, the same as
// `tiyan users`. Every change has a page of its own that says what will happen, and its button
// is the confirmation. A password is never typed into these pages: a new account and a reset
// get a generated one, shown once on the page that answers the post, never stored in the clear
// and never in a URL.

// userPages are the templates of the account pages.
var userPages = []string{"users", "usernew", "user", "useraction"}

func (s *Server) userRoutes(mux *http.ServeMux) {
	mux.Handle("GET /users", s.page(s.admin(s.usersPage)))
	mux.Handle("GET /users/new", s.page(s.admin(s.userNewPage)))
	mux.Handle("POST /users", s.page(s.admin(s.userAdd)))
	mux.Handle("GET /users/{id}", s.page(s.admin(s.userPage)))
	mux.Handle("GET /users/{id}/{action}", s.page(s.admin(s.userActionPage)))
	mux.Handle("POST /users/{id}/{action}", s.page(s.admin(s.userActionPost)))
}

// admin lets only the administrator through; everyone else is refused on the server, whatever
// links they were shown.
func (s *Server) admin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, _ := userOf(r)
		if err := auth.ManageAccounts(u); err != nil {
			s.fail(w, r, err)
			return
		}
		h(w, r)
	}
}

// accounts is the account logic on the server's store and clock.
func (s *Server) accounts() auth.Accounts {
	a, _ := auth.NewAccounts(s.store, s.now) // the store keeps users: New checked it
	return a
}

// userRow is an account as one line of the list.
type userRow struct {
	ID                         int64
	URL, Name, Actor           string
	Role, Scope                string
	Disabled                   bool
	Created, LastSignIn, Since string
}

// usersView is the list of accounts.
type usersView struct {
	layout
	Users  []userRow
	NewURL string
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	us, err := s.users.Users(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := usersView{layout: s.layout(r, "用户管理", "users"), NewURL: s.path("/users/new")}
	for _, u := range us {
		v.Users = append(v.Users, s.userRow(u))
	}
	s.render(w, r, http.StatusOK, "users", v)
}

func (s *Server) userRow(u finding.User) userRow {
	row := userRow{ID: u.ID, URL: s.userURL(u.ID, ""), Name: u.Name, Actor: u.Actor(), Role: u.Role.Label(),
		Scope: scopeText(u), Disabled: u.Disabled, Created: finding.FormatDate(u.Created), LastSignIn: "从未登录"}
	if !u.LastSignIn.IsZero() {
		row.LastSignIn = finding.FormatTime(u.LastSignIn)
	}
	return row
}

// userURL is the account's page, or one of its action pages.
func (s *Server) userURL(id int64, action string) string {
	p := "/users/" + strconv.FormatInt(id, 10)
	if action != "" {
		p += "/" + action
	}
	return s.path(p)
}

// userOfPath returns the account the path names.
func (s *Server) userOfPath(r *http.Request) (finding.User, error) {
	id, err := pathID(r, "用户")
	if err != nil {
		return finding.User{}, err
	}
	return s.users.User(r.Context(), id)
}

// tokenRow is an API token as the account's page lists it.
type tokenRow struct {
	ID, Note, Created, Expires string
	Expired                    bool
	RevokeURL                  string
}

// userView is one account's page.
type userView struct {
	layout
	Done   string
	Row    userRow
	Links  []actionLink
	Tokens []tokenRow
}

// userDone is what the account's page says after an action, by ?done=.
var userDone = map[string]string{
	"disable": "账号已停用：不能再登录，已登录的会话已退出，接口令牌暂停使用。",
	"enable":  "账号已启用，可以重新登录，未过期的接口令牌恢复使用。",
	"revoke":  "接口令牌已吊销，使用它的程序将无法再调用接口。",
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request) {
	u, err := s.userOfPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tokens, err := s.accounts().Tokens(r.Context(), u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := userView{layout: s.layout(r, "用户 "+u.Name, "users"), Done: userDone[r.URL.Query().Get("done")], Row: s.userRow(u)}
	for _, key := range []string{"password", map[bool]string{false: "disable", true: "enable"}[u.Disabled], "token"} {
		v.Links = append(v.Links, actionLink{URL: s.userURL(u.ID, key), Label: userActions[key].label})
	}
	now := s.now()
	for _, t := range tokens {
		v.Tokens = append(v.Tokens, tokenRow{ID: t.ID(), Note: t.Note, Created: finding.FormatTime(t.Created),
			Expires: tokenExpiry(t), Expired: t.Expired(now),
			RevokeURL: s.userURL(u.ID, "revoke") + "?token=" + url.QueryEscape(t.ID())})
	}
	s.render(w, r, http.StatusOK, "user", v)
}

// tokenExpiry says until when a token lasts.
func tokenExpiry(t finding.Token) string {
	if t.Expires.IsZero() {
		return "吊销前一直有效"
	}
	return finding.FormatTime(t.Expires)
}

// tokenTTLs are the lifetimes the token form offers, in days; the default is auth's.
var tokenTTLs = []int{30, 90, 180, 365}

// ttlOptions lists tokenTTLs with the chosen one (or the default) selected.
func ttlOptions(chosen string) []option {
	if chosen == "" {
		chosen = strconv.Itoa(int(auth.DefaultTokenTTL / (24 * time.Hour)))
	}
	out := make([]option, len(tokenTTLs))
	for i, d := range tokenTTLs {
		v := strconv.Itoa(d)
		out[i] = option{Value: v, Label: v + " 天", Selected: v == chosen}
	}
	return out
}

// enteredName is a form's field, trimmed.
func enteredName(form url.Values, key string) string { return strings.TrimSpace(form.Get(key)) }

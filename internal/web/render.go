package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageFiles are the page groups' templates; each is parsed together with layout.html and
// defines "content" (and whatever else it needs).
var pageFiles = []string{"findings", "finding", "runs", "error", "signin", "action", "report", "overview", "scenarios", "scenariorun"}

// pages are the parsed templates by page group, read-only once parsed.
type pages struct {
	byName map[string]*template.Template
	css    string // the stylesheet's URL path (under the base), versioned by its content
}

func parsePages() (pages, error) {
	layout, err := template.ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return pages{}, fmt.Errorf("web: parse layout: %w", err)
	}
	pg := pages{byName: map[string]*template.Template{}}
	for _, name := range append(pageFiles, userPages...) {
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return pages{}, fmt.Errorf("web: parse %s page: %w", name, err)
		}
		pg.byName[name] = t
	}
	css, err := fs.ReadFile(staticFS, "static/app.css")
	if err != nil {
		return pages{}, fmt.Errorf("web: read stylesheet: %w", err)
	}
	// The content hash in the URL lets browsers keep the stylesheet for good and still see a
	// new one the moment it changes.
	sum := sha256.Sum256(css)
	pg.css = "/static/app.css?v=" + hex.EncodeToString(sum[:6])
	return pg, nil
}

// staticPath is the URL path (under the base) of an embedded static file, versioned by its
// content as the stylesheet is: static files are cached for good.
func staticPath(name string) string {
	b, err := fs.ReadFile(staticFS, "static/"+name)
	if err != nil {
		panic(err) // embedded at build time: a wrong name is a programming error
	}
	sum := sha256.Sum256(b)
	return "/static/" + name + "?v=" + hex.EncodeToString(sum[:6])
}

// layout is what the shared layout needs; every page's view embeds it.
type layout struct {
	Title  string // the page's <title> (before " · tiyan") and usually its <h1>
	Active string // the main navigation entry to mark: "findings", "overview", "report", "runs" or "users"
	Base   string // the UI's base path, for links the templates make
	CSS    string
	User   *userBadge // the signed-in user; nil on the sign-in and error pages before it
	Nav    []navItem
}

// userBadge names the signed-in user in the header.
type userBadge struct {
	Name, Role, Scope string
}

// navItem is one entry of the main navigation.
type navItem struct {
	URL, Label string
	Current    bool
}

// layout is the shared part of a page for r's user: the navigation holds only what the user
// may open.
func (s *Server) layout(r *http.Request, title, active string) layout {
	l := layout{Title: title, Active: active, Base: s.base, CSS: s.path(s.pages.css)}
	u, ok := userOf(r)
	if !ok {
		return l
	}
	l.User = &userBadge{Name: u.Actor(), Role: u.Role.Label(), Scope: scopeText(u)}
	add := func(key, path, label string) {
		l.Nav = append(l.Nav, navItem{URL: s.path(path), Label: label, Current: key == active})
	}
	add("findings", "/findings", "问题清单")
	add("overview", "/overview", "总览")
	if auth.Allows(u, auth.Report) {
		add("report", "/report", "报告问题")
	}
	if auth.Allows(u, auth.Replay) && s.scenarios != nil {
		add("scenarios", "/scenarios", "场景回放")
	}
	if auth.Allows(u, auth.Runs) {
		add("runs", "/runs", "体验记录")
	}
	if auth.ManageAccounts(u) == nil {
		add("users", "/users", "用户管理")
	}
	return l
}

// scopeText says for the header what part of the findings a user sees.
func scopeText(u finding.User) string {
	switch u.Role {
	case finding.RoleStaff:
		return jurisdictionText(u.Jurisdiction)
	case finding.RoleUnit:
		return u.Unit
	case finding.RoleOfficer:
		return "体验官 " + u.Officer
	}
	return "全部"
}

// render executes page name with view into a buffer first, so that a template error becomes a
// clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, view any) {
	var buf bytes.Buffer
	if err := s.pages.byName[name].ExecuteTemplate(&buf, "layout", view); err != nil {
		s.log.ErrorContext(r.Context(), "render page", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "页面生成失败，请稍后重试。", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Pages show internal findings; a shared office computer must not keep them.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// errorView is the error page.
type errorView struct {
	layout
	Message string
	SignIn  string // a link to sign in, for 401
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	v := errorView{layout: s.layout(r, title, ""), Message: message}
	if status == http.StatusUnauthorized {
		v.SignIn = s.path("/signin")
	}
	s.render(w, r, status, "error", v)
}

// fail shows err as a page: the domain's errors with their Chinese message and the HTTP status
// of their code, anything else logged and shown without its internals.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch code := finding.ErrorCode(err); code {
	case finding.ENOTFOUND:
		s.errorPage(w, r, http.StatusNotFound, "未找到", finding.ErrorMessage(err))
	case finding.EINVALID:
		s.errorPage(w, r, http.StatusBadRequest, "请求有误", finding.ErrorMessage(err))
	case finding.EUNAUTHORIZED:
		s.errorPage(w, r, http.StatusUnauthorized, "请先登录", finding.ErrorMessage(err))
	case finding.EFORBIDDEN:
		s.errorPage(w, r, http.StatusForbidden, "无权操作", finding.ErrorMessage(err))
	case finding.ECONFLICT:
		s.errorPage(w, r, http.StatusConflict, "无法执行", finding.ErrorMessage(err))
	case finding.EUNAVAILABLE:
		s.log.WarnContext(r.Context(), "request failed: unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		s.errorPage(w, r, http.StatusServiceUnavailable, "暂时无法完成", finding.ErrorMessage(err))
	default:
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		s.errorPage(w, r, http.StatusInternalServerError, "服务器出错", "服务器处理请求时出错，请稍后重试；如果一直出错，请联系系统管理员。")
	}
}

// notFound answers every path no page claims, in Chinese rather than Go's English default.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.errorPage(w, r, http.StatusMethodNotAllowed, "不支持的操作", "该地址不支持这种操作，请从问题清单重新进入。")
		return
	}
	s.errorPage(w, r, http.StatusNotFound, "页面不存在", fmt.Sprintf("您访问的地址 %s 不存在，请从问题清单重新进入。", r.URL.Path))
}

// staticHandler serves the embedded stylesheet (and later scripts and icons). Their URLs carry
// a content hash, so they may be cached for good; directories are not listed.
func (s *Server) staticHandler() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // fs.Sub fails only on an invalid name, and "static" is a constant
	}
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fi, err := fs.Stat(sub, strings.TrimPrefix(r.URL.Path, "/static/")); err != nil || fi.IsDir() {
			s.notFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		files.ServeHTTP(w, r)
	})
}

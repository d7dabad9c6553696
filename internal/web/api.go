package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
	"tiyan/internal/upload"
)

// The JSON API under /api/ answers the same reads and takes the same actions as the pages, for
// the same users under the same rules; docs/api.md documents it. Machines authenticate with an
// API token (tiyan users token NAME) as "Authorization: Bearer …"; a browser's session cookie
// works too.

func (s *Server) apiRoutes(mux *http.ServeMux) {
	mux.Handle("GET /api/me", s.api(s.apiMe))
	mux.Handle("GET /api/findings", s.api(s.apiFindings))
	mux.Handle("GET /api/findings/{id}", s.api(s.apiFinding))
	mux.Handle("POST /api/findings/{id}/{action}", s.api(s.apiAction))
	mux.Handle("GET /api/evidence/{id}", s.api(s.apiEvidence))
	mux.Handle("POST /api/reports", s.api(s.apiReport))
	mux.Handle("GET /api/units", s.api(s.apiUnits))
	mux.Handle("GET /api/items", s.api(s.apiItems))
	mux.Handle("GET /api/overview", s.api(s.apiOverview))
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.apiFail(w, r, finding.Errorf(finding.ENOTFOUND, "接口 %s %s 不存在（接口说明见 docs/api.md）", r.Method, r.URL.Path))
	})
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// api authenticates a request by its bearer token or session cookie.
func (s *Server) api(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.apiUser(r)
		if err != nil {
			if finding.ErrorCode(err) == finding.EUNAUTHORIZED {
				w.Header().Set("WWW-Authenticate", `Bearer realm="tiyan"`)
			}
			s.apiFail(w, r, err)
			return
		}
		h(w, withUser(r, u))
	})
}

func (s *Server) apiUser(r *http.Request) (finding.User, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return finding.User{}, finding.Errorf(finding.EUNAUTHORIZED, "Authorization 应为 “Bearer 令牌”（令牌由 tiyan users token 生成）")
		}
		return s.users.TokenUser(r.Context(), auth.HashToken(strings.TrimSpace(token)), finding.TokenAPI, s.now())
	}
	return s.session(r)
}

// apiError is the body of every error answer.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (s *Server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	var body apiError
	body.Error.Code, body.Error.Message = finding.ErrorCode(err), finding.ErrorMessage(err)
	if status == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		body.Error.Message = "服务器处理请求时出错，请稍后重试"
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// apiMe is the user the token belongs to.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	u, _ := userOf(r)
	writeJSON(w, http.StatusOK, u)
}

// findingsPage is one page of findings as the API answers it.
type findingsPage struct {
	Total    int                    `json:"total"`
	Page     int                    `json:"page"`
	PerPage  int                    `json:"per_page"`
	Counts   map[finding.Status]int `json:"counts"`
	Findings []finding.Finding      `json:"findings"`
}

// maxPerPage bounds one page of the API.
const maxPerPage = 200

func (s *Server) apiFindings(w http.ResponseWriter, r *http.Request) {
	u, _ := userOf(r)
	q, err := parseListQuery(r.URL.Query())
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	per := int64(pageSize)
	if err := parsePositive(r.URL.Query(), "per_page", "每页条数", &per); err != nil {
		s.apiFail(w, r, err)
		return
	}
	perPage := int(min(per, maxPerPage))
	in, err := s.listInbox(r.Context(), u, q, perPage)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if in.Findings == nil {
		in.Findings = []finding.Finding{}
	}
	writeJSON(w, http.StatusOK, findingsPage{Total: in.Total, Page: q.Page, PerPage: perPage, Counts: in.Counts, Findings: in.Findings})
}

func (s *Server) apiFinding(w http.ResponseWriter, r *http.Request) {
	u, _ := userOf(r)
	f, err := s.visibleFinding(r, u)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

func (s *Server) apiEvidence(w http.ResponseWriter, r *http.Request) {
	e, err := s.visibleEvidence(r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	serveEvidence(w, r, e)
}

// apiFile is an uploaded file in a JSON body.
type apiFile struct {
	Name string `json:"name"`
	Data string `json:"data"` // base64 (standard alphabet)
}

// actionBody is the JSON body of POST /api/findings/{id}/{action}; each action reads its own
// fields.
type actionBody struct {
	UnitID   int64     `json:"unit_id"`  // feedback
	Days     int       `json:"days"`     // feedback
	Deadline string    `json:"deadline"` // feedback: 2026-06-10
	Reason   string    `json:"reason"`   // dismiss
	Pass     *bool     `json:"pass"`     // evaluate
	Note     string    `json:"note"`
	Evidence []apiFile `json:"evidence"` // handle
}

// readJSON decodes a JSON body into v. The body may carry the files rule allows, in base64, on
// top of jsonBodyBytes for the rest; beyond that it is refused (413) unread.
func readJSON(w http.ResponseWriter, r *http.Request, v any, rule upload.Rule) error {
	limit := int64(jsonBodyBytes + rule.MaxFiles*rule.MaxSize*4/3)
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return bodyTooLarge("请求内容过大（上限 %d MB，其中文件每个不超过 %d MB、最多 %d 个），请精简后重试", limit>>20, rule.MaxSize>>20, rule.MaxFiles)
		}
		return finding.Errorf(finding.EINVALID, "请求内容不是有效的 JSON：%v", err)
	}
	return nil
}

// files decodes and checks the files of a JSON body against rule.
func files(ctx context.Context, in []apiFile, rule upload.Rule) ([]upload.File, error) {
	if len(in) > rule.MaxFiles {
		return nil, finding.Errorf(finding.EINVALID, "最多上传 %d 个文件", rule.MaxFiles)
	}
	out := make([]upload.File, 0, len(in))
	for _, f := range in {
		data, err := base64.StdEncoding.DecodeString(f.Data)
		if err != nil {
			return nil, finding.Errorf(finding.EINVALID, "文件“%s”的 data 不是有效的 base64", upload.CleanName(f.Name))
		}
		up, err := upload.Check(ctx, rule, f.Name, data)
		if err != nil {
			return nil, err
		}
		out = append(out, up)
	}
	return out, nil
}

// apiAction takes an action through the same checks and the same loop as the pages, and
// answers the finding as it is afterwards.
func (s *Server) apiAction(w http.ResponseWriter, r *http.Request) {
	u, _ := userOf(r)
	a, f, err := s.actionFinding(r, u)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if a.Key == "verify" {
		extendWrite(w, verifyTimeout+time.Minute)
	}
	var body actionBody
	if err := readJSON(w, r, &body, upload.Evidence); err != nil {
		s.apiFail(w, r, err)
		return
	}
	ups, err := files(r.Context(), body.Evidence, upload.Evidence)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if _, err := s.act(r.Context(), u, a, f, body.form(), ups); err != nil {
		s.apiFail(w, r, err)
		return
	}
	out, err := s.loop.Show(r.Context(), f.ID)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// form is the body as the pages' form would send it.
func (b actionBody) form() url.Values {
	v := url.Values{"note": {b.Note}, "reason": {b.Reason}, "deadline": {b.Deadline}}
	if b.UnitID != 0 {
		v.Set("unit", strconv.FormatInt(b.UnitID, 10))
	}
	if b.Days != 0 {
		v.Set("days", strconv.Itoa(b.Days))
	}
	if b.Pass != nil {
		v.Set("result", map[bool]string{true: "pass", false: "fail"}[*b.Pass])
	}
	return v
}

// reportBody is the JSON body of POST /api/reports.
type reportBody struct {
	Kind       string    `json:"kind"` // problem (default) or praise
	Title      string    `json:"title"`
	Detail     string    `json:"detail"`
	Category   string    `json:"category"`
	Severity   string    `json:"severity"`
	Channel    string    `json:"channel"`
	ItemCode   string    `json:"item_code"`
	ItemName   string    `json:"item_name"`
	UnitID     int64     `json:"unit_id"`
	Zone       string    `json:"zone"`
	ActivityID int64     `json:"activity_id"`
	URL        string    `json:"url"`
	Photos     []apiFile `json:"photos"`
}

func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) {
	u, _ := userOf(r)
	if !auth.Allows(u, auth.Report) {
		s.apiFail(w, r, auth.Forbidden(u, auth.Report))
		return
	}
	var b reportBody
	if err := readJSON(w, r, &b, upload.Photo); err != nil {
		s.apiFail(w, r, err)
		return
	}
	photos, err := files(r.Context(), b.Photos, upload.Photo)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	form := url.Values{"kind": {b.Kind}, "title": {b.Title}, "detail": {b.Detail}, "category": {b.Category},
		"severity": {b.Severity}, "channel": {b.Channel}, "item_code": {b.ItemCode}, "item_name": {b.ItemName},
		"zone": {b.Zone}, "url": {b.URL}}
	if b.UnitID != 0 {
		form.Set("unit", strconv.FormatInt(b.UnitID, 10))
	}
	if b.ActivityID != 0 {
		form.Set("activity", strconv.FormatInt(b.ActivityID, 10))
	}
	rep, err := s.reportOf(r.Context(), u, form, photos)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	f, err := s.loop.Report(r.Context(), rep)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	w.Header().Set("Location", s.path("/api/findings/"+strconv.FormatInt(f.ID, 10)))
	writeJSON(w, http.StatusCreated, f)
}

// apiUnits lists the units u may see: all, those of a staff member's jurisdiction, or a unit's
// own.
func (s *Server) apiUnits(w http.ResponseWriter, r *http.Request) {
	u, _ := userOf(r)
	units, err := s.store.Units(r.Context())
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	out := []finding.Unit{}
	for _, un := range units {
		if (u.Role == finding.RoleUnit && un.ID != u.UnitID) || !auth.InScope(u, un.Jurisdiction) {
			continue
		}
		out = append(out, un)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiOverview(w http.ResponseWriter, r *http.Request) {
	u, _ := userOf(r)
	o, err := s.overview(r.Context(), u)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

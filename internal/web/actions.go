package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
	"tiyan/internal/loop"
	"tiyan/internal/upload"
)

// actionDef is one move of the loop as the web UI offers it: its own page, which says what
// will happen and asks for what the loop needs, and whose button is the confirmation.
type actionDef struct {
	Key     string // the path segment: /findings/{id}/{key}
	Act     auth.Action
	Label   string         // the link on the finding's page
	Confirm string         // the button that does it
	From    finding.Status // the status it is offered in; the loop has the last word
	To      string         // what happens, for the page
}

// actionDefs mirror the loop's moves for the pages' links only: whether a move is legal is
// decided by internal/loop, whose refusal the page then shows.
var actionDefs = []actionDef{
	{"feedback", auth.Feedback, "反馈问题", "确认反馈", finding.Found, "问题将反馈给责任单位，状态由“发现问题”变为“已反馈”，整改时限开始计算。"},
	{"dismiss", auth.Dismiss, "不予采纳", "确认不予采纳", finding.Found, "问题将不予采纳并结束整改闭环；同一问题再次被发现时只计数，不再提醒。"},
	{"handle", auth.Handle, "处理问题", "确认提交整改情况", finding.FedBack, "整改情况提交后，状态由“已反馈”变为“已处理”，等待评价或复核。"},
	{"evaluate", auth.Evaluate, "评价结果", "确认评价", finding.Handled, "满意：问题已整改，闭环结束。不满意：退回责任单位，按严重程度重新计算整改时限。"},
	{"verify", auth.Verify, "立即复核", "确认复核", finding.Handled, "tiyan 将重新体验发现该问题的页面（约需 1 分钟）：未再发现则记为已整改，仍然存在则退回责任单位。"},
}

func actionByKey(key string) (actionDef, bool) {
	for _, a := range actionDefs {
		if a.Key == key {
			return a, true
		}
	}
	return actionDef{}, false
}

// doneText is what the finding's page says after an action, by ?done=.
var doneText = map[string]string{
	"feedback": "已反馈给责任单位。",
	"dismiss":  "已不予采纳。",
	"handle":   "整改情况已提交，等待评价。",
	"evaluate": "评价已记录。",
	"verified": "复核完成：重新体验未再发现该问题，已整改。",
	"reopened": "复核完成：问题仍然存在，已退回责任单位并重新计算整改时限。",
	"report":   "报告已提交，感谢您的反馈。",
}

// actionLink is an action offered on a finding's page.
type actionLink struct{ URL, Label string }

// offered reports whether a is offered to u on f now.
func (s *Server) offered(u finding.User, a actionDef, f finding.Finding) bool {
	if f.Kind != finding.Problem || f.Status != a.From || auth.Check(u, a.Act, f) != nil {
		return false
	}
	return a.Key != "verify" || (s.reprober != nil && f.Source.Automated())
}

func (s *Server) offeredActions(u finding.User, f finding.Finding) []actionLink {
	var out []actionLink
	for _, a := range actionDefs {
		if s.offered(u, a, f) {
			out = append(out, actionLink{URL: s.actionURL(f.ID, a.Key), Label: a.Label})
		}
	}
	return out
}

func (s *Server) actionURL(id int64, key string) string {
	return s.path("/findings/" + strconv.FormatInt(id, 10) + "/" + key)
}

// actionView is an action's page.
type actionView struct {
	layout
	Def        actionDef
	Row        findingRow
	FindingURL string
	PostURL    string
	Error      string // the refusal of the last try
	Blocked    string // why the action cannot be taken now; no form then
	Form       url.Values
	Units      []option // feedback: the units u may assign
	DefaultDue string   // feedback: the deadline by the severity's default
	DefaultDay int
	Reasons    []string // dismiss
	Accept     string   // handle: the file types the input offers
	Limits     string   // handle: the upload limits, for people
}

// dismissReasons are the grounds for 不予采纳 the design names.
var dismissReasons = []string{"误报", "重复", "不属实", "其他"}

// actionPage shows an action's page: what it will do, the fields it needs, and the button
// that confirms it.
func (s *Server) actionPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userOf(r)
	a, f, err := s.actionFinding(r, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.actionView(r, u, a, f, url.Values{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "action", v)
}

// actionFinding reads the action and finding of the path and checks that u may take it on a
// finding they may see.
func (s *Server) actionFinding(r *http.Request, u finding.User) (actionDef, finding.Finding, error) {
	a, ok := actionByKey(r.PathValue("action"))
	if !ok {
		return a, finding.Finding{}, finding.Errorf(finding.ENOTFOUND, "没有“%s”这项操作", r.PathValue("action"))
	}
	f, err := s.visibleFinding(r, u)
	if err != nil {
		return a, f, err
	}
	if err := auth.Check(u, a.Act, f); err != nil {
		return a, f, err
	}
	if a.Key == "verify" && s.reprober == nil {
		return a, f, finding.Errorf(finding.EUNAVAILABLE, "本服务未配置自动复核，请改用“评价结果”。")
	}
	return a, f, nil
}

func (s *Server) actionView(r *http.Request, u finding.User, a actionDef, f finding.Finding, form url.Values) (actionView, error) {
	v := actionView{
		layout: s.layout(r, fmt.Sprintf("%s：问题 #%d", a.Label, f.ID), "findings"), Def: a, Row: s.findingRow(f, s.now()),
		FindingURL: s.path("/findings/" + strconv.FormatInt(f.ID, 10)), PostURL: s.actionURL(f.ID, a.Key), Form: form,
		Reasons: dismissReasons, Accept: strings.Join(upload.Evidence.Accept, ","), Limits: upload.Evidence.Describe(),
	}
	if f.Kind != finding.Problem || f.Status != a.From {
		v.Blocked = fmt.Sprintf("问题 #%d 当前状态为“%s”，现在不能%s。", f.ID, statusText(f), a.Label)
		return v, nil
	}
	if a.Key == "feedback" {
		if err := s.feedbackChoices(r.Context(), u, f, &v); err != nil {
			return v, err
		}
	}
	return v, nil
}

// feedbackChoices fills in the units u may assign (the finding's own first chosen) and the
// default deadline.
func (s *Server) feedbackChoices(ctx context.Context, u finding.User, f finding.Finding, v *actionView) error {
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	selected := v.Form.Get("unit")
	if selected == "" && f.UnitID != 0 {
		selected = strconv.FormatInt(f.UnitID, 10)
	}
	for _, un := range units {
		if auth.CanAssign(u, un) {
			id := strconv.FormatInt(un.ID, 10)
			v.Units = append(v.Units, option{Value: id, Label: un.Name, Selected: id == selected})
		}
	}
	v.DefaultDay = s.loop.DefaultDays(f.Severity)
	due, _ := s.loop.Deadline(ctx, s.now(), v.DefaultDay)
	v.DefaultDue = finding.FormatDate(due)
	return nil
}

// actionPost takes the action: the loop decides whether it is legal now, and its refusal is
// shown on the action's page with what was typed kept.
func (s *Server) actionPost(w http.ResponseWriter, r *http.Request) {
	u, _ := userOf(r)
	a, f, err := s.actionFinding(r, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if a.Key == "verify" {
		extendWrite(w, verifyTimeout+time.Minute)
	}
	form, files, err := readForm(w, r, upload.Evidence, "files")
	if err == nil {
		var done string
		if done, err = s.act(r.Context(), u, a, f, form, files); err == nil {
			http.Redirect(w, r, s.path("/findings/"+strconv.FormatInt(f.ID, 10))+"?done="+done, http.StatusSeeOther)
			return
		}
	}
	if form == nil {
		form = url.Values{}
	}
	v, verr := s.actionView(r, u, a, f, form)
	if verr != nil {
		s.fail(w, r, verr)
		return
	}
	v.Error = finding.ErrorMessage(err)
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "action failed", "action", a.Key, "finding", f.ID, "err", err)
		v.Error = "服务器处理时出错，操作未完成，请稍后重试。"
	}
	s.render(w, r, status, "action", v)
}

// act takes action a on f for u with the form's values, through the loop, and returns the key
// of what the finding's page should say.
func (s *Server) act(ctx context.Context, u finding.User, a actionDef, f finding.Finding, form url.Values, files []upload.File) (string, error) {
	note := strings.TrimSpace(form.Get("note"))
	switch a.Key {
	case "feedback":
		fb, err := s.feedbackOf(ctx, u, f, form)
		if err != nil {
			return "", err
		}
		_, err = s.loop.Feedback(ctx, f.ID, fb)
		return a.Key, err
	case "dismiss":
		_, err := s.loop.Dismiss(ctx, f.ID, dismissReason(form.Get("reason"), note), u.Actor())
		return a.Key, err
	case "handle":
		_, err := s.loop.Handle(ctx, f.ID, note, upload.EvidenceOf(files, finding.EvidenceFile), u.Actor())
		return a.Key, err
	case "evaluate":
		var pass bool
		switch form.Get("result") {
		case "pass":
			pass = true
		case "fail":
		default:
			return "", finding.Errorf(finding.EINVALID, "请选择评价结果：满意（已整改）或不满意（未整改）")
		}
		_, err := s.loop.Evaluate(ctx, f.ID, pass, note, u.Actor())
		return a.Key, err
	case "verify":
		return s.verify(ctx, f.ID)
	}
	return "", finding.Errorf(finding.ENOTFOUND, "没有“%s”这项操作", a.Key)
}

// feedbackOf reads the feedback form: a unit u may assign, and a deadline as a date, a number
// of working days, or neither (the severity's default).
func (s *Server) feedbackOf(ctx context.Context, u finding.User, f finding.Finding, form url.Values) (loop.Feedback, error) {
	fb := loop.Feedback{Note: strings.TrimSpace(form.Get("note")), Actor: u.Actor()}
	if v := strings.TrimSpace(form.Get("unit")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return fb, finding.Errorf(finding.EINVALID, "责任单位 %q 无效，请从列表中选择", v)
		}
		fb.UnitID = id
	}
	unitID := fb.UnitID
	if unitID == 0 {
		unitID = f.UnitID
	}
	if unitID != 0 {
		unit, err := s.store.Unit(ctx, unitID)
		if err != nil {
			return fb, err
		}
		if !auth.CanAssign(u, unit) {
			return fb, finding.Errorf(finding.EFORBIDDEN, "“%s”不在您的管辖范围内，不能反馈给该单位", unit.Name)
		}
	}
	if v := strings.TrimSpace(form.Get("days")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > 250 {
			return fb, finding.Errorf(finding.EINVALID, "工作日天数应为 1 到 250 之间的整数，收到 %q", v)
		}
		fb.Days = n
	}
	if v := strings.TrimSpace(form.Get("deadline")); v != "" {
		d, err := finding.ParseDate(v)
		if err != nil {
			return fb, err
		}
		fb.Deadline = d
	}
	return fb, nil
}

// dismissReason joins the ground chosen and the words added.
func dismissReason(reason, note string) string {
	reason = strings.TrimSpace(reason)
	if reason != "" && note != "" {
		return reason + "：" + note
	}
	return reason + note
}

// verifyTimeout bounds one replay started from the web UI.
const verifyTimeout = 3 * time.Minute

// verify replays a handled automated finding now, with a Reprober from Config.Reprober, and
// says which way it went.
func (s *Server) verify(ctx context.Context, id int64) (string, error) {
	if s.reprober == nil {
		return "", finding.Errorf(finding.EUNAVAILABLE, "本服务未配置自动复核，请改用“评价结果”。")
	}
	// Refuse early, before a browser starts, when the loop would refuse anyway.
	if _, err := s.loop.CheckVerify(ctx, id); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, verifyTimeout)
	defer cancel()
	rp, release, err := s.reprober(ctx)
	if err != nil {
		return "", finding.Errorf(finding.EUNAVAILABLE, "无法启动复核（问题状态未变）：%v", err)
	}
	if release != nil {
		defer release()
	}
	f, err := s.loop.Verify(ctx, id, rp)
	if err != nil {
		return "", err
	}
	if f.Status == finding.Verified {
		return "verified", nil
	}
	return "reopened", nil
}

// statusOf is the HTTP status of an error by its code.
func statusOf(err error) int {
	if isTooLarge(err) {
		return http.StatusRequestEntityTooLarge
	}
	switch finding.ErrorCode(err) {
	case finding.EINVALID:
		return http.StatusBadRequest
	case finding.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case finding.EFORBIDDEN:
		return http.StatusForbidden
	case finding.ENOTFOUND:
		return http.StatusNotFound
	case finding.ECONFLICT:
		return http.StatusConflict
	case finding.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"tiyan/internal/finding"
)

// userNewView is the form that adds an account.
type userNewView struct {
	layout
	Error    string
	Form     url.Values
	Roles    []option
	Units    []option
	Officers []option
}

func (s *Server) userNewPage(w http.ResponseWriter, r *http.Request) {
	s.renderUserNew(w, r, http.StatusOK, url.Values{}, nil)
}

// renderUserNew shows the form with what was entered and why it was refused, if it was.
func (s *Server) renderUserNew(w http.ResponseWriter, r *http.Request, status int, form url.Values, refusal error) {
	v := userNewView{layout: s.layout(r, "添加用户", "users"), Form: form,
		Roles: enumOptions(finding.Roles(), finding.Role(form.Get("role")))}
	if err := s.accountChoices(r.Context(), &v); err != nil {
		s.fail(w, r, err)
		return
	}
	if refusal != nil {
		v.Error = finding.ErrorMessage(refusal)
		if status == http.StatusInternalServerError {
			s.log.ErrorContext(r.Context(), "add user", "err", refusal)
			v.Error = "服务器处理时出错，用户未添加，请稍后重试。"
		}
	}
	s.render(w, r, status, "usernew", v)
}

// accountChoices fills in the units and the officers in service an account may belong to.
func (s *Server) accountChoices(ctx context.Context, v *userNewView) error {
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	for _, u := range units {
		id := strconv.FormatInt(u.ID, 10)
		v.Units = append(v.Units, option{Value: id, Label: u.Name, Selected: id == v.Form.Get("unit")})
	}
	officers, err := s.store.Officers(ctx, finding.OfficerFilter{Status: finding.OfficerActive})
	if err != nil {
		return err
	}
	for _, o := range officers {
		id := strconv.FormatInt(o.ID, 10)
		label := o.Name
		if o.Organization != "" {
			label += "（" + o.Organization + "）"
		}
		v.Officers = append(v.Officers, option{Value: id, Label: label, Selected: id == v.Form.Get("officer")})
	}
	return nil
}

// userAdd adds the account and shows its generated password, once.
func (s *Server) userAdd(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, finding.Errorf(finding.EINVALID, "表单无法读取，请刷新页面后重试。"))
		return
	}
	form := r.PostForm
	u, err := newAccount(form)
	if err == nil {
		var password string
		if u, password, err = s.accounts().Add(r.Context(), u, ""); err == nil {
			s.renderSecret(w, r, u, "add", password)
			return
		}
	}
	s.renderUserNew(w, r, statusOf(err), form, err)
}

// newAccount reads the account the form describes. Of the unit, jurisdiction and officer
// fields only the one the role needs is read: the others may hold a choice made before the
// role was changed.
func newAccount(form url.Values) (finding.User, error) {
	u := finding.User{Name: enteredName(form, "name"), DisplayName: enteredName(form, "display_name")}
	role, err := finding.ParseRole(form.Get("role"))
	switch {
	case u.Name == "":
		return u, finding.Errorf(finding.EINVALID, "请填写用户名（登录时使用，如 liqiang）")
	case form.Get("role") == "":
		return u, finding.Errorf(finding.EINVALID, "请选择角色")
	case err != nil:
		return u, err
	}
	u.Role = role
	switch role {
	case finding.RoleStaff:
		u.Jurisdiction = enteredName(form, "jurisdiction")
		if u.Jurisdiction == "" {
			return u, finding.Errorf(finding.EINVALID, "工作人员账号须填写管辖的行政区划代码（如六安市 341500、金安区 341502）")
		}
	case finding.RoleUnit:
		if u.UnitID = formID(form, "unit"); u.UnitID == 0 {
			return u, finding.Errorf(finding.EINVALID, "窗口单位账号须选择所属单位")
		}
	case finding.RoleOfficer:
		if u.OfficerID = formID(form, "officer"); u.OfficerID == 0 {
			return u, finding.Errorf(finding.EINVALID, "体验官账号须选择对应的体验官（如列表中没有，请先用 tiyan officers add 聘任）")
		}
	}
	return u, nil
}

// formID reads a positive ID from a form field; anything else is 0.
func formID(form url.Values, key string) int64 {
	id, err := strconv.ParseInt(form.Get(key), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

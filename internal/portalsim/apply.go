package portalsim

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sync"
	"time"

	"tiyan/internal/portalsim/catalog"
)

// application is one online application in progress or submitted.
type application struct {
	ID      string
	Owner   string // phone of the signed-in user
	Item    catalog.Item
	Channel string
	Values  map[string]string
	Files   map[int]upload // by slot index
	Number  string         // 申报号, once submitted
	At      time.Time
}

type upload struct {
	Name string
	Size int
}

// applications keeps applications in memory, at most maxApplications (oldest dropped first).
type applications struct {
	mu    sync.Mutex
	byID  map[string]*application
	order []string
	seq   int
}

const maxApplications = 20000

func newApplications() *applications { return &applications{byID: map[string]*application{}} }

func (a *applications) add(app *application) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.byID[app.ID] = app
	a.order = append(a.order, app.ID)
	if len(a.order) > maxApplications {
		delete(a.byID, a.order[0])
		a.order = a.order[1:]
	}
}

func (a *applications) get(id, owner string) (*application, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	app, ok := a.byID[id]
	return app, ok && app.Owner == owner
}

// submit gives the application its 申报号 (AH + date + sequence).
func (a *applications) submit(app *application, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seq++
	app.Number = fmt.Sprintf("AH%s%08d", now.Format("20060102"), a.seq)
	app.At = now
}

// uploadSlot is one upload slot of the form.
type uploadSlot struct {
	Index    int
	Material catalog.Material
	Required bool
}

// formSlots lists the upload slots as the form shows them: one per material of the channel's
// guide, unless a form defect removes one or marks a required one optional.
func formSlots(it catalog.Item, d map[string]bool) []uploadSlot {
	shown := viewItem(it, d)
	var out []uploadSlot
	firstReq := slices.IndexFunc(shown.Materials, func(m catalog.Material) bool { return m.Requirement == catalog.Required })
	for i, m := range shown.Materials {
		if d["material_slot_missing"] && i == firstReq {
			continue
		}
		req := m.Requirement == catalog.Required
		if d["material_requirement_diff"] && i == firstReq {
			req = false
		}
		out = append(out, uploadSlot{Index: i, Material: m, Required: req})
	}
	return out
}

// handleApply is the 在线办理 entrance: sign-in, then 填写申请信息.
func (s *Server) handleApply(w http.ResponseWriter, r *http.Request, ch string) {
	it, ok := s.cat.ByCode(r.URL.Query().Get("ssqdCode"))
	d := map[string]bool{}
	if ok {
		d = s.board.active(it.Code, ch)
	}
	if !ok || !it.Online || d["entrance_404"] {
		s.notFound(w, ch)
		return
	}
	phone, signed := s.signedIn(r)
	if !signed {
		http.Redirect(w, r, loginURL(r.URL.RequestURI()), http.StatusFound)
		return
	}
	v := fillView{Item: it, Action: r.URL.RequestURI(), Values: map[string]string{}, OfflineStep: d["online_claim"], Slots: formSlots(it, d)}
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		for _, f := range it.Fields {
			v.Values[f.Name] = r.PostForm.Get(f.Name)
		}
		v.Consent = r.PostForm.Get("consent") == "1"
		v.Errors = validateFields(it.Fields, v.Values, v.Consent)
		if len(v.Errors) == 0 {
			app := &application{ID: token(""), Owner: phone, Item: it, Channel: ch, Values: v.Values, Files: map[int]upload{}}
			s.apps.add(app)
			http.Redirect(w, r, channelPrefix(ch)+"/bog-bsdt/apply/upload?applyId="+app.ID, http.StatusSeeOther)
			return
		}
	}
	s.render(w, http.StatusOK, "apply_fill", page{Channel: ch, Title: it.Name + " - 填写申请信息", D: d, Body: v})
}

type fillView struct {
	Item        catalog.Item
	Action      string
	Values      map[string]string
	Consent     bool
	Errors      []string
	OfflineStep bool
	// Slots are the materials the next step asks for, listed ahead as many portals do, so that an
	// applicant (or a read-only prober) knows them before sending anything.
	Slots []uploadSlot
}

var (
	mobileRE = regexp.MustCompile(`^1[3-9]\d{9}$`)
	dateRE   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// validateFields checks the form as the portal's server does, with its Chinese messages.
func validateFields(fields []catalog.Field, values map[string]string, consent bool) []string {
	var errs []string
	for _, f := range fields {
		v := values[f.Name]
		switch {
		case v == "" && f.Required:
			errs = append(errs, "请填写"+f.Label)
		case v == "":
		case f.Kind == "idcard" && !validIDCard(v):
			errs = append(errs, f.Label+"格式不正确，请输入18位居民身份证号码")
		case f.Kind == "phone" && !mobileRE.MatchString(v):
			errs = append(errs, f.Label+"格式不正确，请输入11位手机号码")
		case f.Kind == "select" && !slices.Contains(f.Options, v):
			errs = append(errs, "请从列表中选择"+f.Label)
		case f.Kind == "date" && !dateRE.MatchString(v):
			errs = append(errs, f.Label+"格式不正确，应为年-月-日")
		}
	}
	if !consent {
		errs = append(errs, "请勾选“本人承诺所填信息真实有效”")
	}
	return errs
}

// validIDCard checks an 18-digit resident identity number's GB 11643 check digit.
func validIDCard(id string) bool {
	if len(id) != 18 {
		return false
	}
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * weights[i]
	}
	return id[17] == "10X98765432"[sum%11]
}

func (s *Server) handleApplyStep(w http.ResponseWriter, r *http.Request, ch string) {
	phone, signed := s.signedIn(r)
	if !signed {
		http.Redirect(w, r, loginURL(r.URL.RequestURI()), http.StatusFound)
		return
	}
	app, ok := s.apps.get(r.URL.Query().Get("applyId"), phone)
	if !ok || app.Channel != ch {
		s.notice(w, http.StatusNotFound, ch, "申请不存在", "没有找到这份申请，可能已过期，请从办事指南重新进入在线办理。")
		return
	}
	d := s.board.active(app.Item.Code, ch)
	switch r.PathValue("step") {
	case "upload":
		s.handleUpload(w, r, app, d)
	case "confirm":
		s.handleConfirm(w, r, app, d)
	case "receipt":
		s.handleReceipt(w, r, app)
	default:
		s.notFound(w, ch)
	}
}

package portalsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"tiyan/internal/portalsim/catalog"
)

// apiRow is one row of queryImplements.do.
type apiRow struct {
	ID            string `json:"id"`
	Code          string `json:"ssqdCode"`
	Name          string `json:"name"`
	Unit          string `json:"unit"`
	ZoneCode      string `json:"zoneCode"`
	ServiceObject string `json:"serviceObject"`
	IsOnline      string `json:"isOnline"` // "1" online, "0" window only, as the portal sends it
}

type apiAnswer struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
	Data struct {
		Rows  []apiRow `json:"rows"`
		Total int      `json:"total"`
	} `json:"data"`
}

// handleQuery serves POST /bog-bsdt/implement/queryImplements.do: the item list, filtered by
// zone (and everything under it), service object, online, and name, paged unless isPage=false.
func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "POST, GET")
		writeJSONError(w, http.StatusMethodNotAllowed, "请使用POST方法")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSONError(w, http.StatusBadRequest, "请求参数格式错误")
		return
	}
	q, err := parseQuery(r, s.cat.Len())
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	rows, total := s.cat.Query(q)
	var ans apiAnswer
	ans.Code, ans.Msg = 200, "success"
	ans.Data.Total = total
	ans.Data.Rows = make([]apiRow, 0, len(rows))
	for _, it := range rows {
		online := "0"
		if it.Online {
			online = "1"
		}
		ans.Data.Rows = append(ans.Data.Rows, apiRow{it.ID, it.Code, it.Name, it.Unit, it.ZoneCode, it.ServiceObject, online})
	}
	writeJSON(w, http.StatusOK, ans)
}

// parseQuery reads the API's form fields; isPage=false asks for all rows (at most size).
func parseQuery(r *http.Request, size int) (catalog.Query, error) {
	q := catalog.Query{Zone: r.Form.Get("ssqdZoneCode"), ServiceObject: r.Form.Get("serviceObject"), Name: strings.TrimSpace(r.Form.Get("ssqdName"))}
	if q.Zone == "" {
		q.Zone = "340000000000"
	}
	if len(q.Zone) != 12 || strings.Trim(q.Zone, "0123456789") != "" {
		return q, fmt.Errorf("ssqdZoneCode应为12位行政区划代码，收到%q", q.Zone)
	}
	if q.ServiceObject != "" && q.ServiceObject != "P" && q.ServiceObject != "C" {
		return q, fmt.Errorf("serviceObject应为P（个人）或C（法人），收到%q", q.ServiceObject)
	}
	switch v := r.Form.Get("isOnline"); v {
	case "":
	case "1", "true":
		t := true
		q.Online = &t
	case "0", "false":
		f := false
		q.Online = &f
	default:
		return q, fmt.Errorf("isOnline应为1或0，收到%q", v)
	}
	q.Page, q.PageSize = 1, 10
	if v := r.Form.Get("currentPageNo"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return q, fmt.Errorf("currentPageNo应为正整数，收到%q", v)
		}
		q.Page = n
	}
	if v := r.Form.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return q, fmt.Errorf("pageSize应为1到1000之间的整数，收到%q", v)
		}
		q.PageSize = n
	}
	if v := r.Form.Get("isPage"); v == "0" || v == "false" {
		q.Page, q.PageSize = 1, max(size, 1)
	}
	return q, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"code": status, "msg": msg})
}

func (s *Server) handleCatalogueJSON(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = s.cat.WriteJSON(w)
}

func (s *Server) handleCatalogueCSV(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="ssqd.csv"`)
	_ = s.cat.WriteCSV(w)
}

// handleDefectsJSON serves the ground truth: what is switched on and what it should raise.
func (s *Server) handleDefectsJSON(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.board.Expectations())
}

// handleDefectList serves the switchboard's catalogue of defects.
func (s *Server) handleDefectList(w http.ResponseWriter, _ *http.Request) {
	type row struct {
		Name  string   `json:"name"`
		Title string   `json:"title"`
		Rules []string `json:"rules"`
		Only  string   `json:"only,omitempty"`
		Sweep bool     `json:"sweep"`
	}
	var out []row
	for _, d := range defects {
		out = append(out, row{d.Name, d.Title, d.Rules, d.Only, d.Sweep})
	}
	writeJSON(w, http.StatusOK, out)
}

// handleDefectSwitch serves POST /_sim/defects/{code}/{channel}/{defect}/on|off.
func (s *Server) handleDefectSwitch(w http.ResponseWriter, r *http.Request) {
	state := r.PathValue("state")
	if state != "on" && state != "off" {
		writeJSONError(w, http.StatusBadRequest, fmt.Sprintf("state must be on or off, got %q", state))
		return
	}
	if err := s.board.Set(r.PathValue("code"), r.PathValue("channel"), r.PathValue("defect"), state == "on"); err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": 200, "msg": "ok"})
}

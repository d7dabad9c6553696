package portalsim

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Submit is one request that reached the simulator and could change the portal's state: a form
// post, an upload, a draft, a submission. A read-only sweep must leave none.
type Submit struct {
	Method string    `json:"method"`
	Path   string    `json:"path"`
	At     time.Time `json:"at"`
}

// submits records every state-changing request, for the life of the Server.
type submits struct {
	mu   sync.Mutex
	list []Submit
}

// maxSubmits bounds the record; a simulator serving a long demo keeps the latest.
const maxSubmits = 10000

// notWrites are the portal's requests that use POST without changing anything of an
// application: the item list query (a search) and the SSO sign-in. The site profile lists them
// as its harmless writes.
var notWrites = map[string]bool{"/bog-bsdt/implement/queryImplements.do": true, "/uccp-server/login": true}

// record notes r when it can change state: any method but GET, HEAD and OPTIONS, except the
// reads and sign-in of notWrites and the switchboard's own requests (/_sim/, the test harness).
func (s *submits) record(r *http.Request, now time.Time) {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return
	}
	if strings.HasPrefix(r.URL.Path, "/_sim/") || (r.Method == http.MethodPost && notWrites[r.URL.Path]) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = append(s.list, Submit{Method: r.Method, Path: r.URL.Path, At: now})
	if len(s.list) > maxSubmits {
		s.list = s.list[len(s.list)-maxSubmits:]
	}
}

func (s *submits) all() []Submit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Submit{}, s.list...)
}

// Submits lists the state-changing requests that reached the simulator, oldest first.
func (s *Server) Submits() []Submit { return s.submits.all() }

// handleSubmits serves /_sim/submits.json: Submits as JSON, [] when none.
func (s *Server) handleSubmits(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(s.Submits())
}

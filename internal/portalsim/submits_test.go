package portalsim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestSubmitsRecordsWrites: every state-changing request that reaches the simulator is in
// /_sim/submits.json; reads (also the item list query), the sign-in and the switchboard are not,
// and a new server starts empty.
func TestSubmitsRecordsWrites(t *testing.T) {
	at := time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC)
	s, err := New(Config{Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	read := func() []Submit {
		resp, err := http.Get(ts.URL + "/_sim/submits.json")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var got []Submit
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := read(); got == nil || len(got) != 0 {
		t.Fatalf("a new simulator has submits %v, want []", got)
	}
	http.Get(ts.URL + "/bog-bsdt/static/workProcess.html?subjecttype=P")
	http.PostForm(ts.URL+"/bog-bsdt/implement/queryImplements.do", url.Values{"currentPageNo": {"1"}, "pageSize": {"5"}})
	http.PostForm(ts.URL+"/uccp-server/login", url.Values{"account": {"x"}})
	http.Post(ts.URL+"/h5/bog-bsdt/apply/submit?applyId=x", "text/plain", strings.NewReader("x"))
	req, _ := http.NewRequest(http.MethodDelete, ts.URL+"/bog-bsdt/implement/queryImplements.do", nil)
	http.DefaultClient.Do(req)
	http.Post(ts.URL+"/_sim/defects/x/pc/overflow/on", "text/plain", nil)
	got := read()
	want := []Submit{{"POST", "/h5/bog-bsdt/apply/submit", at}, {"DELETE", "/bog-bsdt/implement/queryImplements.do", at}}
	if len(got) != len(want) {
		t.Fatalf("submits %v, want %v", got, want)
	}
	for i := range want {
		if got[i].Method != want[i].Method || got[i].Path != want[i].Path || !got[i].At.Equal(want[i].At) {
			t.Errorf("submit %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if n := len(s.Submits()); n != 2 {
		t.Errorf("Submits() has %d, want 2", n)
	}
}

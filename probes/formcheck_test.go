package probes

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"tiyan/internal/browser"
	"tiyan/scenarios"
)

// formPages are application forms as portals build them, with the materials on a later step.
var formPages = map[string]string{
	// one page: fields and a submit button, no upload slots anywhere
	"/one-page": `<form method="post" action="/apply"><label for="n">姓名 *</label><input id="n" name="n">
<label for="p">联系电话</label><input id="p" name="p" type="tel"><button type="submit">提交申请</button></form>`,
	// a 下一步 that sends the form to the server
	"/next-posts": `<form method="post" action="/apply/step2"><label for="n">姓名</label><input id="n" name="n">
<button type="submit">下一步</button></form>`,
	// a 下一步 whose click handler submits the form by script
	"/next-script": `<form method="post" action="/apply/step2"><label for="n">姓名</label><input id="n" name="n">
<button type="button" onclick="document.forms[0].submit()">下一步</button></form>`,
	// a 下一步 that saves a draft with fetch, then shows the uploads
	"/next-fetch": `<form><label for="n">姓名</label><input id="n" name="n">
<button type="button" id="next">下一步</button></form><div id="step2" hidden></div><script>
document.getElementById('next').onclick = () => {
  fetch('/api/draft', {method: 'POST', body: 'n=1'}).catch(() => {});
  const s = document.getElementById('step2'); s.hidden = false;
  s.innerHTML = '<div class="upload-slot"><label>身份证明 <span class="req">*</span></label><input type="file"></div>';
};</script>`,
	// a 下一步 that only moves to the next step in the page
	"/next-in-page": `<form method="post" action="/apply"><div id="step1"><label for="n">姓名 *</label><input id="n" name="n" required>
<button type="button" id="next">下一步</button></div>
<div id="step2" hidden><div class="upload-slot"><label>身份证明 <span class="req">*</span>（必要）</label><input type="file"></div>
<div class="upload-slot"><label>委托书（可选）</label><input type="file"></div><button type="submit">提交</button></div></form>
<script>document.getElementById('next').onclick = () => {
  if (!document.getElementById('n').value) return;
  document.getElementById('step1').hidden = true; document.getElementById('step2').hidden = false;
};</script>`,
}

// recordingPortal serves formPages and records every state-changing request that reaches it.
func recordingPortal(t *testing.T) (*httptest.Server, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var writes []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			mu.Lock()
			writes = append(writes, r.Method+" "+r.URL.Path)
			mu.Unlock()
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		body, ok := formPages[r.URL.Path]
		if !ok {
			body = "<p>已保存</p>"
		}
		fmt.Fprint(w, "<!doctype html><html><body>"+body+"</body></html>")
	}))
	t.Cleanup(ts.Close)
	return ts, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), writes...)
	}
}

// formPage opens path as the sweep does: in a read-only session, with the real site profile on
// the test server, its safe_next replaced by safe.
func formPage(t *testing.T, ts *httptest.Server, path string, safe ...scenarios.Target) *Page {
	t.Helper()
	site, err := scenarios.LoadSite("../scenarios/sites/wanshitong.yaml", scenarios.SiteOptions{BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	site.Form.SafeNext = safe
	b := chromium.Browser(t)
	tab, cancel, err := b.NewSession(t.Context(), browser.PC, browser.AllowWrites(site.AllowsWrite))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	ctx, stop := context.WithTimeout(tab, 60*time.Second)
	t.Cleanup(stop)
	if err := browser.Navigate(ctx, ts.URL+path); err != nil {
		t.Fatal(err)
	}
	person := scenarios.NewFake(1).Person()
	return &Page{Tab: ctx, Site: site, Thresholds: Thresholds{}.WithDefaults(), Applicant: person}
}

var next = scenarios.Target{By: scenarios.ByText, Value: "下一步"}

func refusedPaths(tab context.Context) []string {
	var out []string
	for _, r := range browser.Refusals(tab) {
		out = append(out, r.Method+" "+r.URL)
	}
	return out
}

// TestFormProbeNeverSends: whatever the form does, reading it sends nothing to the server. The
// probe clicks only the profile's safe controls; one that sends the form is refused by the
// browser, recorded, and ends the reading.
func TestFormProbeNeverSends(t *testing.T) {
	cases := []struct {
		name, path string
		safe       []scenarios.Target
		refused    string // the path of the refused request; "" for none
	}{
		{"one-page form: nothing clicked", "/one-page", []scenarios.Target{next}, ""},
		{"one-page form, the probe made to click 提交申请", "/one-page", []scenarios.Target{{By: scenarios.ByText, Value: "提交申请"}}, "/apply"},
		{"下一步 posts the form", "/next-posts", []scenarios.Target{next}, "/apply/step2"},
		{"下一步 submits by script", "/next-script", []scenarios.Target{next}, "/apply/step2"},
		{"下一步 saves a draft with fetch", "/next-fetch", []scenarios.Target{next}, "/api/draft"},
		{"a profile without safe controls", "/next-posts", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts, writes := recordingPortal(t)
			p := formPage(t, ts, c.path, c.safe...)
			slots, err := formSlots(p.Tab, p)
			if err != nil {
				t.Fatal(err)
			}
			if slots != nil {
				t.Errorf("slots %+v, want none: the form did not get to its uploads", slots)
			}
			time.Sleep(time.Second) // let anything that got through arrive
			if w := writes(); len(w) > 0 {
				t.Errorf("the probe sent %v to the server", w)
			}
			got := refusedPaths(p.Tab)
			switch {
			case c.refused == "" && len(got) > 0:
				t.Errorf("refused %v, want nothing (nothing should have been clicked)", got)
			case c.refused != "" && (len(got) == 0 || !strings.HasPrefix(got[0], "POST "+ts.URL+c.refused)):
				t.Errorf("refused %v, want POST %s", got, c.refused)
			}
		})
	}
}

// TestFormProbeGoesThroughSafeSteps: a 下一步 that only changes the page leads to the upload
// slots, which are read; nothing is sent.
func TestFormProbeGoesThroughSafeSteps(t *testing.T) {
	ts, writes := recordingPortal(t)
	p := formPage(t, ts, "/next-in-page", next)
	slots, err := formSlots(p.Tab, p)
	if err != nil {
		t.Fatal(err)
	}
	want := []FormSlot{{"身份证明", true}, {"委托书", false}}
	if len(slots) != len(want) || slots[0] != want[0] || slots[1] != want[1] {
		t.Errorf("slots %+v, want %+v", slots, want)
	}
	if w := writes(); len(w) > 0 {
		t.Errorf("the probe sent %v to the server", w)
	}
}

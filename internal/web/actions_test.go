package web

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tiyan/internal/finding"
	"tiyan/internal/loop"
)

// tinyJPEG is a valid 8×8 JPEG photo.
var tinyJPEG = func() []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		panic(err)
	}
	return buf.Bytes()
}()

var tinyPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func TestWebActionLinks(t *testing.T) {
	fx := newFixture(t)
	for _, c := range []struct {
		who  string
		id   int64
		want []string
	}{
		{"staff", fx.unreachable, []string{"feedback", "dismiss"}},
		{"admin", fx.httpErr, []string{"handle"}},
		{"staff", fx.httpErr, nil},
		{"unitRSJ", fx.httpErr, []string{"handle"}},
		{"staff", fx.guide, []string{"evaluate"}}, // no Reprober configured: no verify
		{"unitSCJGJ", fx.guide, nil},
		{"staff", fx.fixed, nil},
		{"officer", fx.manual, nil}, // found: the bureau's to triage
	} {
		body := fx.as(c.who).get(t, fmt.Sprintf("/findings/%d", c.id)).body
		for _, a := range actionDefs {
			link := fmt.Sprintf(`href="/findings/%d/%s"`, c.id, a.Key)
			if strings.Contains(body, link) != contains(c.want, a.Key) {
				t.Errorf("%s on #%d: link %s shown=%v", c.who, c.id, a.Key, !contains(c.want, a.Key))
			}
		}
	}
	fx.withReprober(t, false)
	fx.staff.get(t, fmt.Sprintf("/findings/%d", fx.guide)).has(t, fmt.Sprintf(`href="/findings/%d/verify">立即复核</a>`, fx.guide))
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestWebFeedback walks the feedback page: what it offers, the confirmation, the event.
func TestWebFeedback(t *testing.T) {
	fx := newFixture(t)
	path := fmt.Sprintf("/findings/%d/feedback", fx.unreachable)
	page := fx.staff.get(t, path)
	page.has(t, "<h1>反馈问题</h1>", "问题将反馈给责任单位", `<button type="submit">确认反馈</button>`,
		fmt.Sprintf(`<option value="%d" selected>%s</option>`, fx.unitSCJGJ, scjgj), fmt.Sprintf(`<option value="%d">%s</option>`, fx.unitRSJ, rsj),
		"按严重程度默认 1 个工作日，即 2026-06-11 前", `<a class="button-link" href="/findings/`)
	loc := fx.staff.post(t, path, url.Values{"unit": {fmt.Sprint(fx.unitRSJ)}, "deadline": {"2026-06-30"}, "note": {"请核实"}}).redirect(t)
	if loc != fmt.Sprintf("/findings/%d?done=feedback", fx.unreachable) {
		t.Errorf("redirect to %q", loc)
	}
	fx.staff.get(t, loc).has(t, `<p class="success" role="status">已反馈给责任单位。</p>`, "请核实；责任单位："+rsj+"，期限：2026-06-30", "<dd>2026-06-30")
	f, _ := fx.loop.Show(t.Context(), fx.unreachable)
	if f.Status != finding.FedBack || f.UnitID != fx.unitRSJ || finding.FormatDate(f.Deadline) != "2026-06-30" {
		t.Errorf("after feedback: %s, unit %d, deadline %s", f.Status, f.UnitID, finding.FormatDate(f.Deadline))
	}
	// Now it is 人社局's: it sees it, 市场监管局 no longer does.
	if r := fx.unitRSJClient.get(t, fmt.Sprintf("/findings/%d", fx.unreachable)); r.status != http.StatusOK {
		t.Errorf("the new unit: %d", r.status)
	}
}

// TestWebActionRefusals: what the loop refuses comes back on the action's page in its words,
// and nothing changes.
func TestWebActionRefusals(t *testing.T) {
	fx := newFixture(t)
	hefei, err := fx.store.CreateUnit(t.Context(), finding.Unit{Name: "合肥市数据资源局", Jurisdiction: "340100"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who, path string
		form      url.Values
		status    int
		want      string
	}{
		{"staff", fmt.Sprintf("/findings/%d/feedback", fx.httpErr), url.Values{"unit": {fmt.Sprint(fx.unitRSJ)}}, 409, "当前状态为“已反馈”(fed_back)，只能由责任单位处理（handle），不能反馈（feedback）"},
		{"staff", fmt.Sprintf("/findings/%d/feedback", fx.unreachable), url.Values{"unit": {fmt.Sprint(hefei.ID)}}, 403, "“合肥市数据资源局”不在您的管辖范围内"},
		{"staff", fmt.Sprintf("/findings/%d/feedback", fx.unreachable), url.Values{"unit": {fmt.Sprint(fx.unitRSJ)}, "days": {"2"}, "deadline": {"2026-07-01"}}, 400, "期限只能给一种"},
		{"staff", fmt.Sprintf("/findings/%d/feedback", fx.unreachable), url.Values{"unit": {fmt.Sprint(fx.unitRSJ)}, "deadline": {"2026-01-01"}}, 400, "期限 2026-01-01 已经过去"},
		{"staff", fmt.Sprintf("/findings/%d/feedback", fx.unreachable), url.Values{"unit": {fmt.Sprint(fx.unitRSJ)}, "days": {"many"}}, 400, "工作日天数应为 1 到 250 之间的整数"},
		{"staff", fmt.Sprintf("/findings/%d/dismiss", fx.unreachable), url.Values{}, 400, "请说明不予采纳的理由"},
		{"unitRSJ", fmt.Sprintf("/findings/%d/handle", fx.httpErr), url.Values{"note": {" "}}, 400, "请说明整改情况"},
		{"staff", fmt.Sprintf("/findings/%d/evaluate", fx.guide), url.Values{}, 400, "请选择评价结果"},
		{"staff", fmt.Sprintf("/findings/%d/verify", fx.guide), url.Values{}, 503, "本服务未配置自动复核"},
		{"staff", fmt.Sprintf("/findings/%d/nonsense", fx.guide), url.Values{}, 404, "没有“nonsense”这项操作"},
	} {
		before, _ := fx.loop.Show(t.Context(), fx.unreachable)
		r := fx.as(c.who).post(t, c.path, c.form)
		if r.status != c.status || !strings.Contains(r.body, c.want) {
			t.Errorf("%s %s: %d, want %d with %q\n%.400s", c.who, c.path, r.status, c.status, c.want, mainOf(r.body))
		}
		after, _ := fx.loop.Show(t.Context(), fx.unreachable)
		if len(after.Events) != len(before.Events) {
			t.Errorf("%s: a refused action added an event", c.path)
		}
	}
	// The refused page keeps what was typed.
	r := fx.staff.post(t, fmt.Sprintf("/findings/%d/feedback", fx.unreachable), url.Values{"unit": {fmt.Sprint(fx.unitRSJ)}, "days": {"2"}, "deadline": {"2026-07-01"}, "note": {"保留的意见"}})
	r.has(t, `value="2"`, `value="2026-07-01"`, ">保留的意见</textarea>")
}

// mainOf is the <main> of a page, for failure messages.
func mainOf(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		return body[i:]
	}
	return body
}

// TestWebHandleUploads: a unit's evidence is checked by its bytes, not its name.
func TestWebHandleUploads(t *testing.T) {
	fx := newFixture(t)
	path := fmt.Sprintf("/findings/%d/handle", fx.httpErr)
	note := url.Values{"note": {"已恢复服务"}}
	c := fx.unitRSJClient
	page := c.get(t, path)
	page.has(t, `enctype="multipart/form-data"`, `accept="image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf"`, "每个不超过 5 MB，最多 5 个")
	for _, bad := range []struct {
		files []file
		want  string
	}{
		{[]file{{"files", "big.png", append(bytes.Clone(tinyPNG), make([]byte, 5<<20)...)}}, "文件“big.png”超过 5 MB"},
		{[]file{{"files", "photo.jpg", []byte("this is text, not a photo")}}, "文件“photo.jpg”不是JPEG、PNG 图片或 PDF 文件"},
		{[]file{{"files", "x.png", []byte("\x89PNG\r\n\x1a\nbroken")}}, "不是有效的图片"},
		{[]file{{"files", "a.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)}}, "不是JPEG、PNG 图片或 PDF 文件"},
		{repeat(file{"files", "p.png", tinyPNG}, 6), "最多上传 5 个文件"},
	} {
		r := c.postFiles(t, path, note, bad.files...)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, bad.want) {
			t.Errorf("%s: %d\n%.300s", bad.want, r.status, mainOf(r.body))
		}
	}
	loc := c.postFiles(t, path, note, file{"files", `C:\照片\整改后.png`, tinyPNG}, file{"files", "说明", tinyPDF}, file{"files", "", nil}).redirect(t)
	c.get(t, loc).has(t, "整改情况已提交，等待评价。", "已恢复服务", "附件：整改后.png", "附件：说明.pdf")
	f, _ := fx.loop.Show(t.Context(), fx.httpErr)
	var files []finding.Evidence
	for _, e := range f.Evidence {
		if e.Kind == finding.EvidenceFile {
			files = append(files, e)
		}
	}
	if f.Status != finding.Handled || len(files) != 2 || files[0].ContentType != "image/png" || files[1].ContentType != "application/pdf" || files[0].EventID == 0 {
		t.Fatalf("after handle: %s, evidence %+v", f.Status, files)
	}
	if f.Events[len(f.Events)-1].Actor != "人社局窗口" {
		t.Errorf("handled by %q", f.Events[len(f.Events)-1].Actor)
	}
	pdf := c.get(t, fmt.Sprintf("/evidence/%d", files[1].ID))
	if pdf.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.header.Get("Content-Disposition"), "attachment") {
		t.Errorf("PDF served as %s, %s", pdf.header.Get("Content-Type"), pdf.header.Get("Content-Disposition"))
	}
}

func repeat(f file, n int) []file {
	out := make([]file, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// TestWebVerify: a replay that no longer sees the problem verifies it; one that still sees it
// sends it back with the new evidence; a manual finding is refused before any replay.
func TestWebVerify(t *testing.T) {
	fx := newFixture(t)
	fx.withReprober(t, true)
	path := fmt.Sprintf("/findings/%d/verify", fx.guide)
	fx.staff.get(t, path).has(t, "tiyan 将重新体验", `<button type="submit">确认复核</button>`)
	loc := fx.staff.post(t, path, nil).redirect(t)
	fx.staff.get(t, loc).has(t, "复核完成：问题仍然存在，已退回责任单位", "复核：问题仍然存在", "标注截图：replay.png")
	f, _ := fx.loop.Show(t.Context(), fx.guide)
	if f.Status != finding.FedBack || f.Deadline.IsZero() {
		t.Errorf("after a failed replay: %s, deadline %v", f.Status, f.Deadline)
	}

	fx = newFixture(t)
	fx.withReprober(t, false)
	loc = fx.staff.post(t, fmt.Sprintf("/findings/%d/verify", fx.guide), nil).redirect(t)
	if !strings.HasSuffix(loc, "?done=verified") {
		t.Errorf("after a clean replay to %q", loc)
	}
	ctx := t.Context()
	fx.loop.Feedback(ctx, fx.manual, loop.Feedback{Actor: "李强"})
	fx.loop.Handle(ctx, fx.manual, "已安排值守", nil, "市场监管局窗口")
	r := fx.staff.post(t, fmt.Sprintf("/findings/%d/verify", fx.manual), nil)
	if r.status != http.StatusConflict || !strings.Contains(r.body, "来自体验官的人工报告，不能由 tiyan 复核") {
		t.Errorf("verify a manual finding: %d\n%.300s", r.status, mainOf(r.body))
	}
}

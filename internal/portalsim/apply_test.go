package portalsim

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"tiyan/internal/portalsim/catalog"
	"tiyan/scenarios"
)

// validValues fills an item's form as an applicant would.
func validValues(it catalog.Item) url.Values {
	v := url.Values{"consent": {"1"}}
	for _, f := range it.Fields {
		switch f.Kind {
		case "idcard":
			v.Set(f.Name, scenarios.NewFake(1).IDCard())
		case "phone":
			v.Set(f.Name, "13800000001")
		case "select":
			v.Set(f.Name, f.Options[0])
		case "date":
			v.Set(f.Name, "2026-01-05")
		default:
			v.Set(f.Name, "测试填写")
		}
	}
	return v
}

func signIn(t *testing.T, c *http.Client, loginPage string) (int, string, string) {
	t.Helper()
	u, _ := url.Parse(loginPage)
	form := url.Values{"service": {u.Query().Get("service")}, "appCode": {"wssb"}, "phone": {DefaultAccount.Phone}, "password": {DefaultAccount.Password}, "sms": {DefaultAccount.SMSCode}}
	return postForm(t, c, u.Scheme+"://"+u.Host+"/uccp-server/login", form)
}

var pdfBytes = []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")

func uploadFiles(t *testing.T, c *http.Client, u string, files map[int][]byte, names map[int]string) (int, string, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for idx, data := range files {
		name := names[idx]
		if name == "" {
			name = "material.pdf"
		}
		fw, _ := mw.CreateFormFile("file-"+strconv.Itoa(idx), name)
		_, _ = fw.Write(data)
	}
	mw.Close()
	resp, err := c.Post(u, mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Request.URL.String()
}

func TestApplicationFlow(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	it := pick(t, s, online)
	for _, ch := range channels {
		c := client(t)
		entrance := ts.URL + channelPrefix(ch) + "/bog-bsdt/static/workProcess/onlineApply.html?ssqdCode=" + it.Code
		status, body := get(t, c, entrance)
		if status != 200 || !strings.Contains(body, "统一身份认证") {
			t.Fatalf("%s: entrance without a session should show the SSO, got %d", ch, status)
		}
		resp, _ := c.Get(entrance)
		resp.Body.Close()
		loginPage := resp.Request.URL.String()

		if _, body, _ := postForm(t, c, ts.URL+"/uccp-server/login", url.Values{"service": {"/x"}, "phone": {DefaultAccount.Phone}, "password": {"wrong"}, "sms": {"123456"}}); !strings.Contains(body, "手机号码或密码错误") {
			t.Errorf("%s: wrong password not refused", ch)
		}
		status, body, at := signIn(t, c, loginPage)
		if status != 200 || !strings.Contains(body, "填写申请信息") || strings.Contains(at, "ticket=") {
			t.Fatalf("%s: after sign-in at %s: %d", ch, at, status)
		}
		bad := validValues(it)
		bad.Del("consent")
		for _, f := range it.Fields {
			if f.Kind == "idcard" {
				bad.Set(f.Name, "341502199001011230")
			}
		}
		_, body, _ = postForm(t, c, entrance, bad)
		mustContain(t, body, "格式不正确", "请勾选")

		status, body, uploadURL := postForm(t, c, entrance, validValues(it))
		if status != 200 || !strings.Contains(body, "上传材料") || !strings.Contains(uploadURL, "applyId=") {
			t.Fatalf("%s: fill step: %d at %s", ch, status, uploadURL)
		}
		slots := formSlots(it, nil)
		_, body, _ = uploadFiles(t, c, uploadURL, map[int][]byte{slots[0].Index: []byte("MZ\x90\x00 not a pdf")}, map[int]string{slots[0].Index: "virus.pdf"})
		mustContain(t, body, "文件类型不支持")
		big := append(append([]byte{}, pdfBytes...), make([]byte, (slots[0].Material.MaxMB<<20)+10)...)
		_, body, _ = uploadFiles(t, c, uploadURL, map[int][]byte{slots[0].Index: big}, nil)
		if !strings.Contains(body, "超过") {
			t.Errorf("%s: oversized upload not refused", ch)
		}
		files := map[int][]byte{}
		for _, sl := range slots {
			files[sl.Index] = pdfBytes
		}
		status, body, confirmURL := uploadFiles(t, c, uploadURL, files, nil)
		if status != 200 || !strings.Contains(body, "确认提交") || !strings.Contains(confirmURL, "/apply/confirm") {
			t.Fatalf("%s: upload step: %d at %s\n%s", ch, status, confirmURL, body)
		}
		status, body, receiptURL := postForm(t, c, confirmURL, nil)
		if status != 200 || !strings.Contains(body, "受理回执") || !strings.Contains(body, "申报号") || !strings.Contains(receiptURL, "/apply/receipt") {
			t.Fatalf("%s: submit: %d at %s", ch, status, receiptURL)
		}
		// Another browser is sent to the SSO, never shown the receipt.
		if _, other := get(t, client(t), receiptURL); strings.Contains(other, "申报号") || !strings.Contains(other, "统一身份认证") {
			t.Errorf("%s: another browser is not sent to sign in", ch)
		}
	}
}

func TestSubmitDefects(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	it := pick(t, s, online)
	_ = s.Switchboard().Set(it.Code, PC, "submit-broken", true)
	_ = s.Switchboard().Set(it.Code, H5, "upload-reject", true)

	c := client(t)
	entrance := ts.URL + "/bog-bsdt/static/workProcess/onlineApply.html?ssqdCode=" + it.Code
	resp, _ := c.Get(entrance)
	resp.Body.Close()
	signIn(t, c, resp.Request.URL.String())
	_, _, uploadURL := postForm(t, c, entrance, validValues(it))
	files := map[int][]byte{}
	for _, sl := range formSlots(it, nil) {
		files[sl.Index] = pdfBytes
	}
	_, _, confirmURL := uploadFiles(t, c, uploadURL, files, nil)
	_, body, _ := postForm(t, c, confirmURL, nil)
	if !strings.Contains(body, "系统异常") || strings.Contains(body, "申报号") {
		t.Error("submit-broken: a receipt came")
	}

	h5 := client(t)
	entrance = ts.URL + "/h5/bog-bsdt/static/workProcess/onlineApply.html?ssqdCode=" + it.Code
	resp, _ = h5.Get(entrance)
	resp.Body.Close()
	signIn(t, h5, resp.Request.URL.String())
	_, _, uploadURL = postForm(t, h5, entrance, validValues(it))
	_, body, _ = uploadFiles(t, h5, uploadURL, files, nil)
	if !strings.Contains(body, "文件类型不支持") {
		t.Error("upload-reject: a PDF was accepted")
	}
}

func TestSSOLoop(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	it := pick(t, s, online)
	_ = s.Switchboard().Set(it.Code, PC, "sso-loop", true)
	c := client(t)
	entrance := ts.URL + "/bog-bsdt/static/workProcess/onlineApply.html?ssqdCode=" + it.Code
	resp, _ := c.Get(entrance)
	resp.Body.Close()
	u, _ := url.Parse(resp.Request.URL.String())
	form := url.Values{"service": {u.Query().Get("service")}, "phone": {DefaultAccount.Phone}, "password": {DefaultAccount.Password}, "sms": {DefaultAccount.SMSCode}}
	_, err := c.PostForm(ts.URL+"/uccp-server/login", form)
	if err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Fatalf("sso-loop: want a redirect loop, got %v", err)
	}
}

func TestFormDefects(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	it := pick(t, s, online)
	clean := formSlots(it, nil)
	if len(formSlots(it, map[string]bool{"material_slot_missing": true})) != len(clean)-1 {
		t.Error("material-slot-missing kept every slot")
	}
	diff := formSlots(it, map[string]bool{"material_requirement_diff": true})
	req := func(ss []uploadSlot) (n int) {
		for _, s := range ss {
			if s.Required {
				n++
			}
		}
		return
	}
	if req(diff) != req(clean)-1 {
		t.Error("material-requirement-diff kept every required slot")
	}
}

func TestSSORefusesForeignService(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	for _, svc := range []string{"https://evil.example/", "//evil.example/x", ""} {
		status, _ := get(t, client(t), ts.URL+"/uccp-server/login?service="+url.QueryEscape(svc))
		if status != 400 {
			t.Errorf("service %q: %d", svc, status)
		}
	}
}

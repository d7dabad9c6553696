package notify

import "testing"

func TestScrub(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"申请人手机 13812345678，请回电", "申请人手机 [手机号已隐去]，请回电"},
		{"电话:138-1234-5678 或 139 1234 5678", "电话:[手机号已隐去] 或 [手机号已隐去]"},
		{"+8613812345678", "+[手机号已隐去]"},
		{"身份证 34010219900101123X 与 340102199001011234", "身份证 [证件号已隐去] 与 [证件号已隐去]"},
		{"旧证 340102900101123", "旧证 [证件号已隐去]"},
		{"邮箱 zhang.san@example.com。", "邮箱 [邮箱已隐去]。"},
		{"打开 https://sso.ahzwfw.gov.cn/uccp-server/login?service=x&ticket=ST-1 超时",
			"打开 https://sso.ahzwfw.gov.cn/uccp-server/login 超时"},
		{"https://u:p@www.ahzwfw.gov.cn/a/b.html#frag）", "https://www.ahzwfw.gov.cn/a/b.html）"},
		{"<https://x.gov.cn/p?t=1|页面>", "<https://x.gov.cn/p|页面>"},
		// Public and structural numbers stay: consult lines, hotlines, item, zone and run codes.
		{"咨询电话 0564-3379000，监督电话 12345", "咨询电话 0564-3379000，监督电话 12345"},
		{"事项 11341500MB1234567X4000117001 区划 341500000000", "事项 11341500MB1234567X4000117001 区划 341500000000"},
		{"运行 20260930-010000-3f9a1c #1234567", "运行 20260930-010000-3f9a1c #1234567"},
		{"编码 1134150000320000010000000001", "编码 1134150000320000010000000001"},
	} {
		if got := scrub(tc.in); got != tc.want {
			t.Errorf("scrub(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLinkFindings(t *testing.T) {
	n := &Notifier{base: "https://tiyan.example.gov.cn"}
	got := n.linkFindings("• #12 问题 · 原问题 #7 · 不是 #99 · 链接 <https://x/#12|#12> · a#12", []int64{12, 7})
	want := "• <https://tiyan.example.gov.cn/findings/12|#12> 问题 · 原问题 <https://tiyan.example.gov.cn/findings/7|#7> · 不是 #99 · 链接 <https://x/#12|#12> · a#12"
	if got != want {
		t.Errorf("linkFindings =\n%s\nwant\n%s", got, want)
	}
	if got := (&Notifier{}).linkFindings("#12", []int64{12}); got != "#12" {
		t.Errorf("without a base URL: %q", got)
	}
}

func TestBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://tiyan.example.gov.cn/":        "https://tiyan.example.gov.cn",
		"http://127.0.0.1:8080/tiyan?x=1#frag": "http://127.0.0.1:8080/tiyan",
		"":                                     "",
		"not a url":                            "",
	} {
		if got := baseURL(in); got != want {
			t.Errorf("baseURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSections(t *testing.T) {
	long := ""
	for range 400 {
		long += "• #1 个体工商户设立登记 · 六安市市场监督管理局\n"
	}
	parts := sections(long, 2900)
	if len(parts) < 2 {
		t.Fatalf("%d sections", len(parts))
	}
	for _, p := range parts {
		if len(p) > 2900 {
			t.Errorf("section of %d bytes", len(p))
		}
	}
	if sections("", 100) != nil {
		t.Error("sections of nothing")
	}
	one := sections(string(make([]rune, 5000)), 100)
	if len(one) != 1 || len(one[0]) > 100 {
		t.Errorf("one long line: %d sections, %d bytes", len(one), len(one[0]))
	}
}

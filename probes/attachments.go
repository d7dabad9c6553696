package probes

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// downloadTimeout bounds one 空表/样表 download check.
const downloadTimeout = 15 * time.Second

// attachments checks the 空表/样表 links of the guide: missing where the catalogue promises one,
// failing, or answering something that is not a file (an HTML page).
func attachments(ctx context.Context, p *Page) ([]Observation, error) {
	var obs []Observation
	for _, m := range p.Guide.Materials {
		for _, l := range m.Links {
			if o, ok := checkDownload(ctx, p, m, l); ok {
				obs = append(obs, o)
			}
			if ctx.Err() != nil {
				return obs, ctx.Err()
			}
		}
	}
	return append(obs, promisedLinks(p)...), nil
}

func kindName(kind string) string {
	if kind == "sample" {
		return "样表"
	}
	return "空表"
}

// checkDownload fetches one link; it reports an observation when the download is broken.
func checkDownload(ctx context.Context, p *Page, m GuideMaterial, l GuideLink) (Observation, bool) {
	u, err := url.Parse(l.Href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || (p.Site != nil && !p.Site.AllowHost(u.Host)) {
		return Observation{}, false // not ours to fetch; never leave the allowlist
	}
	status, ctype, problem := fetchHead(ctx, p.HTTP, l.Href)
	if problem == "" {
		return Observation{}, false
	}
	what := kindName(l.Kind)
	return Observation{Rule: "GUIDE-ATTACHMENT-BROKEN", Locator: "attachment:" + m.Name + "/" + l.Kind, Box: l.Box, URL: l.Href,
		Title:    fmt.Sprintf("“%s”的%s无法下载", m.Name, what),
		Detail:   fmt.Sprintf("申请材料“%s”的%s下载链接%s。办事指南承诺提供的空表、样表应能正常下载（%s：附件无法下载）。", m.Name, what, problem, basis19),
		Measured: map[string]any{"material": m.Name, "kind": l.Kind, "status": status, "content_type": ctype},
		Requests: []Request{{URL: l.Href, Status: status, Type: "Download", Error: problem}}}, true
}

// fetchHead downloads the start of a link and says what is wrong with it, "" when nothing is.
func fetchHead(ctx context.Context, client *http.Client, href string) (status int, ctype, problem string) {
	if client == nil {
		client = http.DefaultClient
	}
	ctx, cancel := context.WithTimeout(ctx, downloadTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, href, nil)
	if err != nil {
		return 0, "", "地址无效"
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", "无法访问（" + err.Error() + "）"
	}
	defer resp.Body.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(resp.Body, head)
	head = head[:n]
	ctype = resp.Header.Get("Content-Type")
	switch {
	case resp.StatusCode >= 400:
		return resp.StatusCode, ctype, fmt.Sprintf("返回 HTTP %d", resp.StatusCode)
	case n == 0:
		return resp.StatusCode, ctype, "下载得到空文件"
	case isHTML(ctype, head):
		return resp.StatusCode, ctype, "打开的是网页而不是文件"
	}
	return resp.StatusCode, ctype, ""
}

func isHTML(ctype string, head []byte) bool {
	mt, _, _ := mime.ParseMediaType(ctype)
	if mt == "text/html" {
		return true
	}
	s := strings.ToLower(strings.TrimSpace(string(head)))
	return strings.HasPrefix(s, "<!doctype html") || strings.HasPrefix(s, "<html")
}

// promisedLinks reports materials for which the catalogue promises a 空表 or 样表 that the guide
// does not offer.
func promisedLinks(p *Page) []Observation {
	if p.Reference == nil {
		return nil
	}
	var obs []Observation
	for _, want := range p.Reference.Materials {
		m, ok := findMaterial(p.Guide.Materials, want.Name)
		if !ok {
			continue // a missing material is a catalogue mismatch
		}
		for kind, promised := range map[string]bool{"blank": want.Blank, "sample": want.Sample} {
			if promised && !hasLink(m, kind) {
				what := kindName(kind)
				obs = append(obs, Observation{Rule: "GUIDE-ATTACHMENT-BROKEN", Locator: "attachment:" + m.Name + "/" + kind, Box: m.Box, DOM: m.HTML,
					Title:    fmt.Sprintf("“%s”未提供%s下载", m.Name, what),
					Detail:   fmt.Sprintf("实施清单载明申请材料“%s”提供%s，但办事指南没有%s下载链接（%s：附件未提供下载）。", m.Name, what, what, basis19),
					Measured: map[string]any{"material": m.Name, "kind": kind}})
			}
		}
	}
	return obs
}

func findMaterial(ms []GuideMaterial, name string) (GuideMaterial, bool) {
	for _, m := range ms {
		if normalize("", m.Name) == normalize("", name) {
			return m, true
		}
	}
	return GuideMaterial{}, false
}

func hasLink(m GuideMaterial, kind string) bool {
	for _, l := range m.Links {
		if l.Kind == kind {
			return true
		}
	}
	return false
}

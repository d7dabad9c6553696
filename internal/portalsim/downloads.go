package portalsim

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"tiyan/internal/portalsim/catalog"
)

// handleDownload serves a material's 空表 (blank form) or 样表 (filled-in sample) as a PDF.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	it, ok := s.cat.ByCode(q.Get("ssqdCode"))
	ch := q.Get("channel")
	if ch != H5 {
		ch = PC
	}
	idx, err := strconv.Atoi(q.Get("idx"))
	kind := q.Get("kind")
	if !ok || err != nil || (kind != "blank" && kind != "sample") {
		http.NotFound(w, r)
		return
	}
	d := s.board.active(it.Code, ch)
	mats := viewItem(it, d).Materials
	if idx < 0 || idx >= len(mats) {
		http.NotFound(w, r)
		return
	}
	m := mats[idx]
	if (kind == "blank" && !m.BlankForm) || (kind == "sample" && !m.Sample) {
		http.NotFound(w, r)
		return
	}
	if i, k := firstLink(mats); i == idx && k == kind {
		// Attachment defects hit the guide's first download link, so the ground truth is one link.
		if d["attachment_404"] {
			http.NotFound(w, r)
			return
		}
		if d["attachment_wrong"] {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!DOCTYPE html><html lang="zh-CN"><head><title>提示</title></head><body><p>文件不存在或已被删除。</p></body></html>`)
			return
		}
	}
	label := "空表"
	if kind == "sample" {
		label = "样表"
	}
	name := fmt.Sprintf("%s（%s）.pdf", m.Name, label)
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	_, _ = w.Write(materialPDF(it, idx, kind))
}

// firstLink returns the material index and kind (blank or sample) of the guide's first download.
func firstLink(mats []catalog.Material) (int, string) {
	for i, m := range mats {
		if m.BlankForm {
			return i, "blank"
		}
		if m.Sample {
			return i, "sample"
		}
	}
	return -1, ""
}

// materialPDF builds a small, valid one-page PDF naming the item and material. The text is
// ASCII so that no font has to be embedded.
func materialPDF(it catalog.Item, idx int, kind string) []byte {
	text := fmt.Sprintf("Wanshitong portal simulator - %s form - item %s - material %d", kind, it.Code, idx+1)
	content := fmt.Sprintf("BT /F1 12 Tf 40 780 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

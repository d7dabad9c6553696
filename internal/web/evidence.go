package web

import (
	"bytes"
	"mime"
	"net/http"
	"slices"
	"strconv"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
)

// inlineTypes are the content types a browser may show in place: raster images, which carry
// no script. SVG, HTML, DOM dumps and everything else are downloads.
var inlineTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp"}

func inlineImage(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && slices.Contains(inlineTypes, mt)
}

// evidenceCSP applies to the blob itself when it is opened on its own: it may load nothing
// and runs sandboxed, so a DOM excerpt or an upload can never act as one of our pages.
const evidenceCSP = "default-src 'none'; sandbox"

// evidence serves one evidence blob with the content type it was stored with: images inline,
// anything else as a download.
func (s *Server) evidence(w http.ResponseWriter, r *http.Request) {
	e, err := s.visibleEvidence(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	serveEvidence(w, r, e)
}

// visibleEvidence returns the evidence the path names if its finding is one the user may see;
// otherwise it is not found.
func (s *Server) visibleEvidence(r *http.Request) (finding.Evidence, error) {
	u, _ := userOf(r)
	id, err := pathID(r, "证据")
	if err != nil {
		return finding.Evidence{}, err
	}
	fid, err := s.query.EvidenceFinding(r.Context(), id)
	if err != nil {
		return finding.Evidence{}, err
	}
	f, err := s.store.Finding(r.Context(), fid)
	if err != nil {
		return finding.Evidence{}, err
	}
	if !auth.Visible(u, f) {
		return finding.Evidence{}, finding.Errorf(finding.ENOTFOUND, "证据 #%d 不存在，或不在您的查看范围内", id)
	}
	return s.store.Evidence(r.Context(), id)
}

// serveEvidence writes one evidence blob with the content type it was stored with: images
// inline, anything else as a download, under a policy that lets it do nothing.
func serveEvidence(w http.ResponseWriter, r *http.Request, e finding.Evidence) {
	h := w.Header()
	ct := e.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	h.Set("Content-Security-Policy", evidenceCSP)
	h.Set("Content-Disposition", disposition(e, inlineImage(ct)))
	// Evidence never changes once stored, but it is internal: browsers may keep it, proxies not.
	h.Set("Cache-Control", "private, max-age=86400")
	http.ServeContent(w, r, "", e.Created, bytes.NewReader(e.Data))
}

// disposition is the Content-Disposition of e: its file name, in RFC 2231 form when it is not
// ASCII (most are Chinese).
func disposition(e finding.Evidence, inline bool) string {
	kind := "attachment"
	if inline {
		kind = "inline"
	}
	name := e.Name
	if name == "" {
		name = "evidence-" + strconv.FormatInt(e.ID, 10)
	}
	if d := mime.FormatMediaType(kind, map[string]string{"filename": name}); d != "" {
		return d
	}
	return kind
}

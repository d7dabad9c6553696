// Package upload checks the files people attach — an officer's photos, a unit's evidence of
// its fix — the same way whether they come from the command line, the web form or the JSON
// API: how many and how large (Rule), what they are (sniffed from their bytes, never taken
// from their name or the browser's word), and for images, that they decode within a memory
// budget (decode.go) and are stored again without their metadata, upright (clean.go).
package upload

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/jpeg" // image.DecodeConfig reads JPEG and PNG uploads
	_ "image/png"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"tiyan/internal/finding"
)

// Rule limits the files one report or one action may carry.
type Rule struct {
	MaxFiles int
	MaxSize  int      // bytes per file
	Types    []string // content types, as sniffed from the bytes (never as the browser says)
	Accept   []string // the web file input's accept attribute
	What     string   // the types for people
}

// The two kinds of upload: a unit's evidence of its fix, and an officer's photos.
var (
	Evidence = Rule{MaxFiles: 5, MaxSize: 5 << 20, Types: []string{"image/jpeg", "image/png", "application/pdf"},
		Accept: []string{"image/jpeg", "image/png", "application/pdf", ".jpg", ".jpeg", ".png", ".pdf"}, What: "JPEG、PNG 图片或 PDF 文件"}
	Photo = Rule{MaxFiles: 6, MaxSize: 5 << 20, Types: []string{"image/jpeg", "image/png"},
		Accept: []string{"image/jpeg", "image/png", ".jpg", ".jpeg", ".png"}, What: "JPEG 或 PNG 图片"}
)

// Describe says the rule for people, next to the file input or in a refusal.
func (r Rule) Describe() string {
	return fmt.Sprintf("可上传%s，每个不超过 %d MB，最多 %d 个。", r.What, r.MaxSize>>20, r.MaxFiles)
}

// File is one checked file: its cleaned name, sniffed type, and data (an image without its
// metadata).
type File struct {
	Name, ContentType string
	Data              []byte
}

// Check checks one file's size and type. The type is sniffed from its first bytes, and an
// image must also decode as one: a file named .jpg that is anything else is refused. An image
// comes back encoded again without its metadata (EXIF, GPS), upright (clean.go), once its
// header has shown that decoding it stays within the limits (decode.go).
func Check(ctx context.Context, rule Rule, name string, data []byte) (File, error) {
	name = CleanName(name)
	if len(data) > rule.MaxSize {
		return File{}, finding.Errorf(finding.EINVALID, "文件“%s”超过 %d MB，请压缩后再上传", name, rule.MaxSize>>20)
	}
	ct, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	if !slices.Contains(rule.Types, ct) {
		return File{}, finding.Errorf(finding.EINVALID, "文件“%s”不是%s，不能上传", name, rule.What)
	}
	if strings.HasPrefix(ct, "image/") {
		clean, err := checkImage(ctx, name, ct, data)
		if err != nil {
			return File{}, err
		}
		data = clean
	}
	return File{Name: withExt(name, ct), ContentType: ct, Data: data}, nil
}

// checkImage measures an image from its header, then decodes and encodes it again within the
// decode budget.
func checkImage(ctx context.Context, name, ct string, data []byte) ([]byte, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, finding.Errorf(finding.EINVALID, "文件“%s”不是有效的图片，请换一张", name)
	}
	o := orientation(ct, data)
	need, err := checkDimensions(name, ct, data, cfg, o > 1)
	if err != nil {
		return nil, err
	}
	var clean []byte
	var ok bool
	if err := withinBudget(ctx, need, func() { clean, ok = cleanImage(ct, data, o) }); err != nil {
		return nil, err
	}
	if !ok {
		return nil, finding.Errorf(finding.EINVALID, "图片“%s”已损坏或不完整，无法读取，请重新拍摄或另存后再上传", name)
	}
	return clean, nil
}

// CleanName keeps the base of a file name, without control characters, at most 80 characters.
func CleanName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 80 {
		name = string(r[len(r)-80:])
	}
	if name == "." || name == "/" || name == "" {
		return "附件"
	}
	return name
}

// withExt makes a file's name end as its sniffed type does, so a download opens with the
// right program.
func withExt(name, ct string) string {
	ext := map[string][]string{"image/jpeg": {".jpg", ".jpeg"}, "image/png": {".png"}, "application/pdf": {".pdf"}}[ct]
	if len(ext) == 0 {
		return name
	}
	for _, e := range ext {
		if strings.HasSuffix(strings.ToLower(name), e) {
			return name
		}
	}
	return name + ext[0]
}

// EvidenceOf turns checked files into evidence of kind.
func EvidenceOf(files []File, kind string) []finding.Evidence {
	out := make([]finding.Evidence, 0, len(files))
	for _, f := range files {
		out = append(out, finding.Evidence{Kind: kind, Name: f.Name, ContentType: f.ContentType, Data: f.Data})
	}
	return out
}

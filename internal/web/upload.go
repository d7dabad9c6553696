package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // image.DecodeConfig reads JPEG and PNG uploads
	_ "image/png"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"tiyan/internal/finding"
)

// uploadRule limits the files one form may carry.
type uploadRule struct {
	maxFiles int
	maxSize  int      // bytes per file
	types    []string // content types, as sniffed from the bytes (never as the browser says)
	accept   []string // the file input's accept attribute
	what     string   // the types for people
}

// The two kinds of upload: a unit's evidence of its fix, and an officer's photos.
var (
	evidenceRule = uploadRule{maxFiles: 5, maxSize: 5 << 20, types: []string{"image/jpeg", "image/png", "application/pdf"},
		accept: []string{"image/jpeg", "image/png", "application/pdf", ".jpg", ".jpeg", ".png", ".pdf"}, what: "JPEG、PNG 图片或 PDF 文件"}
	photoRule = uploadRule{maxFiles: 6, maxSize: 5 << 20, types: []string{"image/jpeg", "image/png"},
		accept: []string{"image/jpeg", "image/png", ".jpg", ".jpeg", ".png"}, what: "JPEG 或 PNG 图片"}
)

// Limits on the form fields that come with uploads.
const (
	maxFieldBytes = 64 << 10
	maxFields     = 100
	maxFormBytes  = 1 << 20
)

// upload is one file of a form, checked.
type upload struct {
	Name, ContentType string
	Data              []byte
}

// readForm reads a form post: url-encoded, or multipart with files in field checked against
// rule (count, size, sniffed type). The body as a whole is capped, so nothing reads more than
// the rule allows. On an error it returns the fields read so far, so a page can keep them.
func readForm(w http.ResponseWriter, r *http.Request, rule uploadRule, field string) (url.Values, []upload, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			if isTooLarge(err) {
				return url.Values{}, nil, bodyTooLarge("表单内容过大（上限 %d MB），请精简后重试", maxFormBytes>>20)
			}
			return url.Values{}, nil, finding.Errorf(finding.EINVALID, "表单无法读取（格式有误），请检查后重试")
		}
		return r.PostForm, nil, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, int64(rule.maxFiles*(rule.maxSize+maxFieldBytes)+maxFormBytes))
	mr, err := r.MultipartReader()
	if err != nil {
		return url.Values{}, nil, finding.Errorf(finding.EINVALID, "表单无法读取，请刷新页面后重试")
	}
	form := url.Values{}
	var files []upload
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return form, files, nil
		}
		if err != nil {
			return form, files, tooLarge(err, rule)
		}
		if part.FormName() == field && part.FileName() != "" {
			up, err := readFile(r.Context(), part, rule)
			if err != nil {
				return form, files, err
			}
			if up.Data == nil {
				continue // an empty file input
			}
			if len(files) == rule.maxFiles {
				return form, files, finding.Errorf(finding.EINVALID, "最多上传 %d 个文件", rule.maxFiles)
			}
			files = append(files, up)
			continue
		}
		if part.FileName() != "" || len(form) >= maxFields {
			continue // files in other fields, and fields beyond the limit, are ignored
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
		if err != nil {
			return form, files, tooLarge(err, rule)
		}
		if len(b) > maxFieldBytes {
			return form, files, finding.Errorf(finding.EINVALID, "“%s”一栏内容过长", part.FormName())
		}
		form.Add(part.FormName(), string(b))
	}
}

func tooLarge(err error, rule uploadRule) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return bodyTooLarge("上传内容过大：每个文件不超过 %d MB，最多 %d 个，请压缩或减少文件后重试", rule.maxSize>>20, rule.maxFiles)
	}
	return finding.Errorf(finding.EINVALID, "上传未完成，请重试（%v）", err)
}

// readFile reads one uploaded file and checks it; an empty one comes back with nil Data.
func readFile(ctx context.Context, part *multipart.Part, rule uploadRule) (upload, error) {
	name := part.FileName()
	data, err := io.ReadAll(io.LimitReader(part, int64(rule.maxSize)+1))
	if err != nil {
		return upload{}, tooLarge(err, rule)
	}
	if len(data) == 0 {
		return upload{}, nil
	}
	return checkUpload(ctx, rule, name, data)
}

// checkUpload checks one file's size and type. The type is sniffed from its first bytes, and
// an image must also decode as one: a file named .jpg that is anything else is refused. An
// image comes back encoded again without its metadata (EXIF, GPS), upright (photo.go), once its
// header has shown that decoding it stays within the limits (decode.go).
func checkUpload(ctx context.Context, rule uploadRule, name string, data []byte) (upload, error) {
	name = cleanName(name)
	if len(data) > rule.maxSize {
		return upload{}, finding.Errorf(finding.EINVALID, "文件“%s”超过 %d MB，请压缩后再上传", name, rule.maxSize>>20)
	}
	ct, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	if !slices.Contains(rule.types, ct) {
		return upload{}, finding.Errorf(finding.EINVALID, "文件“%s”不是%s，不能上传", name, rule.what)
	}
	if strings.HasPrefix(ct, "image/") {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
			return upload{}, finding.Errorf(finding.EINVALID, "文件“%s”不是有效的图片，请换一张", name)
		}
		o := orientation(ct, data)
		need, err := checkDimensions(name, ct, data, cfg, o > 1)
		if err != nil {
			return upload{}, err
		}
		var clean []byte
		var ok bool
		if err := withinBudget(ctx, need, func() { clean, ok = cleanImage(ct, data, o) }); err != nil {
			return upload{}, err
		}
		if !ok {
			return upload{}, finding.Errorf(finding.EINVALID, "图片“%s”已损坏或不完整，无法读取，请重新拍摄或另存后再上传", name)
		}
		data = clean
	}
	return upload{Name: withExt(name, ct), ContentType: ct, Data: data}, nil
}

// cleanName keeps the base of a file name, without control characters, at most 80 characters.
func cleanName(name string) string {
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

// evidenceOf turns checked uploads into evidence of kind.
func evidenceOf(files []upload, kind string) []finding.Evidence {
	out := make([]finding.Evidence, 0, len(files))
	for _, f := range files {
		out = append(out, finding.Evidence{Kind: kind, Name: f.Name, ContentType: f.ContentType, Data: f.Data})
	}
	return out
}

// describe says the rule for people, next to the file input.
func (r uploadRule) describe() string {
	return fmt.Sprintf("可上传%s，每个不超过 %d MB，最多 %d 个。", r.what, r.maxSize>>20, r.maxFiles)
}

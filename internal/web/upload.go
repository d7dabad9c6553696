package web

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"

	"tiyan/internal/finding"
	"tiyan/internal/upload"
)

// Limits on the form fields that come with uploads.
const (
	maxFieldBytes = 64 << 10
	maxFields     = 100
	maxFormBytes  = 1 << 20
)

// readForm reads a form post: url-encoded, or multipart with files in field checked against
// rule (count, size, sniffed type). The body as a whole is capped, so nothing reads more than
// the rule allows. On an error it returns the fields read so far, so a page can keep them.
func readForm(w http.ResponseWriter, r *http.Request, rule upload.Rule, field string) (url.Values, []upload.File, error) {
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
	r.Body = http.MaxBytesReader(w, r.Body, int64(rule.MaxFiles*(rule.MaxSize+maxFieldBytes)+maxFormBytes))
	mr, err := r.MultipartReader()
	if err != nil {
		return url.Values{}, nil, finding.Errorf(finding.EINVALID, "表单无法读取，请刷新页面后重试")
	}
	form := url.Values{}
	var files []upload.File
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
			if len(files) == rule.MaxFiles {
				return form, files, finding.Errorf(finding.EINVALID, "最多上传 %d 个文件", rule.MaxFiles)
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

func tooLarge(err error, rule upload.Rule) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return bodyTooLarge("上传内容过大：每个文件不超过 %d MB，最多 %d 个，请压缩或减少文件后重试", rule.MaxSize>>20, rule.MaxFiles)
	}
	return finding.Errorf(finding.EINVALID, "上传未完成，请重试（%v）", err)
}

// readFile reads one uploaded file and checks it; an empty one comes back with nil Data.
func readFile(ctx context.Context, part *multipart.Part, rule upload.Rule) (upload.File, error) {
	name := part.FileName()
	data, err := io.ReadAll(io.LimitReader(part, int64(rule.MaxSize)+1))
	if err != nil {
		return upload.File{}, tooLarge(err, rule)
	}
	if len(data) == 0 {
		return upload.File{}, nil
	}
	return upload.Check(ctx, rule, name, data)
}

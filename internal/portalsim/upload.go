package portalsim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

type uploadView struct {
	App    *application
	Slots  []uploadSlot
	Errors []string
	Action string
}

// handleUpload is 上传材料: one file input per slot; type and size are checked on the server.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request, app *application, d map[string]bool) {
	v := uploadView{App: app, Slots: formSlots(app.Item, d), Action: r.URL.RequestURI()}
	if r.Method == http.MethodPost {
		v.Errors = s.receiveFiles(w, r, app, v.Slots, d)
		if len(v.Errors) == 0 {
			http.Redirect(w, r, channelPrefix(app.Channel)+"/bog-bsdt/apply/confirm?applyId="+app.ID, http.StatusSeeOther)
			return
		}
	}
	s.render(w, http.StatusOK, "apply_upload", page{Channel: app.Channel, Title: app.Item.Name + " - 上传材料", D: d, Body: v})
}

// receiveFiles stores the files of a multipart post and returns what is wrong, in Chinese.
// Files accepted earlier are kept, so a mistake in one slot does not lose the others.
func (s *Server) receiveFiles(w http.ResponseWriter, r *http.Request, app *application, slots []uploadSlot, d map[string]bool) []string {
	limit := int64(1 << 20)
	for _, sl := range slots {
		limit += int64(sl.Material.MaxMB) << 20
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return []string{fmt.Sprintf("上传文件总大小超过%dMB，请压缩后分次上传", limit>>20)}
		}
		return []string{"上传失败，请重新选择文件"}
	}
	defer r.MultipartForm.RemoveAll()
	var errs []string
	for _, sl := range slots {
		fhs := r.MultipartForm.File["file-"+strconv.Itoa(sl.Index)]
		if len(fhs) == 0 {
			continue
		}
		fh := fhs[0]
		f, err := fh.Open()
		if err != nil {
			errs = append(errs, sl.Material.Name+"：文件读取失败，请重新上传")
			continue
		}
		head := make([]byte, 8)
		n, _ := io.ReadFull(f, head)
		f.Close()
		if msg := checkFile(fh.Filename, head[:n], fh.Size, sl, d["upload_reject"]); msg != "" {
			errs = append(errs, sl.Material.Name+"："+msg)
			continue
		}
		app.Files[sl.Index] = upload{Name: filepath.Base(fh.Filename), Size: int(fh.Size)}
	}
	for _, sl := range slots {
		if _, ok := app.Files[sl.Index]; sl.Required && !ok {
			errs = append(errs, "请上传"+sl.Material.Name)
		}
	}
	return errs
}

// checkFile applies a slot's type and size limits; the type is judged by the file's content,
// not only its name.
func checkFile(name string, head []byte, size int64, sl uploadSlot, rejectPDF bool) string {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	if ext == "jpeg" {
		ext = "jpg"
	}
	allowed := strings.ToUpper(strings.Join(sl.Material.Types, "、"))
	if !slices.Contains(sl.Material.Types, ext) || sniff(head) != ext || (rejectPDF && ext == "pdf") {
		return "文件类型不支持，仅支持" + allowed + "格式"
	}
	if size > int64(sl.Material.MaxMB)<<20 {
		return fmt.Sprintf("文件大小超过%dMB限制", sl.Material.MaxMB)
	}
	if size == 0 {
		return "文件为空，请重新选择"
	}
	return ""
}

func sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "pdf"
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return "jpg"
	case bytes.HasPrefix(head, []byte("\x89PNG")):
		return "png"
	}
	return ""
}

type confirmView struct {
	App    *application
	Slots  []uploadSlot
	Error  string
	Action string
}

// handleConfirm is 确认提交: a summary and the 提交 button.
func (s *Server) handleConfirm(w http.ResponseWriter, r *http.Request, app *application, d map[string]bool) {
	v := confirmView{App: app, Slots: formSlots(app.Item, d), Action: r.URL.RequestURI()}
	if app.Number != "" {
		http.Redirect(w, r, channelPrefix(app.Channel)+"/bog-bsdt/apply/receipt?applyId="+app.ID, http.StatusSeeOther)
		return
	}
	if r.Method == http.MethodPost {
		if d["submit_broken"] {
			v.Error = "系统异常，提交失败，请稍后重试。"
		} else {
			s.apps.submit(app, time.Now())
			http.Redirect(w, r, channelPrefix(app.Channel)+"/bog-bsdt/apply/receipt?applyId="+app.ID, http.StatusSeeOther)
			return
		}
	}
	s.render(w, http.StatusOK, "apply_confirm", page{Channel: app.Channel, Title: app.Item.Name + " - 确认提交", D: d, Body: v})
}

// handleReceipt is 受理回执, shown once the application has its 申报号.
func (s *Server) handleReceipt(w http.ResponseWriter, r *http.Request, app *application) {
	if app.Number == "" {
		http.Redirect(w, r, channelPrefix(app.Channel)+"/bog-bsdt/apply/confirm?applyId="+app.ID, http.StatusSeeOther)
		return
	}
	s.render(w, http.StatusOK, "apply_receipt", page{Channel: app.Channel, Title: "受理回执", Body: app})
}

package web

import (
	"bytes"
	"image"
	"net/http"
	"strings"
	"testing"

	"tiyan/internal/upload/uploadtest"
)

// TestPhotoMetadataStripped: an officer's photo is stored without its EXIF (no GPS position, no
// phone), turned upright as the EXIF said, and still a JPEG.
func TestPhotoMetadataStripped(t *testing.T) {
	photo := uploadtest.PhonePhoto(t)
	fx := newFixture(t)
	loc := fx.officerClient.postFiles(t, "/report", reportForm(fx.unitSCJGJ), file{"photos", "现场.jpg", photo}).redirect(t)
	f := reported(t, fx, loc)
	if len(f.Evidence) != 1 {
		t.Fatalf("%d pieces of evidence", len(f.Evidence))
	}
	e, err := fx.store.Evidence(t.Context(), f.Evidence[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"Exif", "HUAWEI", "\xff\xe1"} {
		if bytes.Contains(e.Data, []byte(leak)) {
			t.Errorf("the stored photo still carries %q", leak)
		}
	}
	img, format, err := image.Decode(bytes.NewReader(e.Data))
	if err != nil || format != "jpeg" || e.ContentType != "image/jpeg" {
		t.Fatalf("stored photo: %v, %s, %s", err, format, e.ContentType)
	}
	// Turned right: 2 wide and 4 high, the red half (the photo's left) now on top.
	if b := img.Bounds(); b.Dx() != 2 || b.Dy() != 4 {
		t.Fatalf("stored photo is %d×%d, want 2×4 (upright)", b.Dx(), b.Dy())
	}
	if r, _, bl, _ := img.At(1, 0).RGBA(); r < bl {
		t.Error("the top of the upright photo is not red")
	}
	if r, _, bl, _ := img.At(1, 3).RGBA(); bl < r {
		t.Error("the bottom of the upright photo is not blue")
	}
}

// TestPhotoCorrupt: an image whose header is fine but whose data is cut off is refused with a
// message that says so and what to do.
func TestPhotoCorrupt(t *testing.T) {
	photo := uploadtest.PhonePhoto(t)
	fx := newFixture(t)
	r := fx.officerClient.postFiles(t, "/report", reportForm(fx.unitSCJGJ), file{"photos", "现场.jpg", photo[:len(photo)-40]})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "图片“现场.jpg”已损坏或不完整") {
		t.Errorf("report with a cut-off photo: %d", r.status)
	}
}

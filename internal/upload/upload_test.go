package upload

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"

	"tiyan/internal/finding"
	"tiyan/internal/upload/uploadtest"
)

// TestCheckStripsMetadata: a phone photo comes back without its EXIF (no GPS position, no
// phone), turned upright, still a JPEG.
func TestCheckStripsMetadata(t *testing.T) {
	photo := uploadtest.PhonePhoto(t)
	if got := orientation("image/jpeg", photo); got != 6 {
		t.Fatalf("the test photo's orientation reads as %d, want 6", got)
	}
	f, err := Check(t.Context(), Photo, "现场", photo)
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"Exif", "HUAWEI", "\xff\xe1"} {
		if bytes.Contains(f.Data, []byte(leak)) {
			t.Errorf("the checked photo still carries %q", leak)
		}
	}
	img, format, err := image.Decode(bytes.NewReader(f.Data))
	if err != nil || format != "jpeg" || f.ContentType != "image/jpeg" || f.Name != "现场.jpg" {
		t.Fatalf("checked photo: %v, %s, %s, %q", err, format, f.ContentType, f.Name)
	}
	if b := img.Bounds(); b.Dx() != 2 || b.Dy() != 4 {
		t.Errorf("checked photo is %d×%d, want 2×4 (upright)", b.Dx(), b.Dy())
	}
}

// TestCheckTypes: the type is sniffed from the bytes: a text file named .jpg is refused, a PDF
// is evidence but not a photo, and the message names what is allowed.
func TestCheckTypes(t *testing.T) {
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	for _, c := range []struct {
		rule       Rule
		name       string
		data       []byte
		ok         bool
		want, what string
	}{
		{Photo, "gps.jpg", []byte("latitude 31.73, longitude 116.50"), false, "不是JPEG 或 PNG 图片", ""},
		{Photo, "回执.pdf", pdf, false, "不是JPEG 或 PNG 图片", ""},
		{Evidence, "回执", pdf, true, "", "回执.pdf"},
		{Photo, "big.jpg", make([]byte, Photo.MaxSize+1), false, "超过 5 MB", ""},
	} {
		f, err := Check(t.Context(), c.rule, c.name, c.data)
		switch {
		case c.ok && (err != nil || f.Name != c.what):
			t.Errorf("%s: %v, name %q", c.name, err, f.Name)
		case !c.ok && (finding.ErrorCode(err) != finding.EINVALID || !strings.Contains(finding.ErrorMessage(err), c.want)):
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

// TestCheckPNGChunksStripped: a PNG's text and EXIF chunks are not kept.
func TestCheckPNGChunksStripped(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 3, 3))); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	// A valid tEXt chunk with its CRC, placed after IHDR (8 + 25 bytes).
	text := uploadtest.PNGChunk("tEXt", []byte("Comment\x00GPS 31.73N 116.50E"))
	withText := append(append(append([]byte{}, raw[:33]...), text...), raw[33:]...)
	f, err := Check(t.Context(), Photo, "截图.png", withText)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(f.Data, []byte("tEXt")) || bytes.Contains(f.Data, []byte("GPS")) {
		t.Error("the checked PNG still carries its text chunk")
	}
}

// TestCheckCorrupt: an image whose header is fine but whose data is cut off is refused with a
// message that says so and what to do.
func TestCheckCorrupt(t *testing.T) {
	photo := uploadtest.PhonePhoto(t)
	_, err := Check(t.Context(), Photo, "现场.jpg", photo[:len(photo)-40])
	if finding.ErrorCode(err) != finding.EINVALID || !strings.Contains(finding.ErrorMessage(err), "已损坏或不完整") {
		t.Errorf("a cut-off JPEG: %v", err)
	}
}

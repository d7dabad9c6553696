package web

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"tiyan/internal/finding"
)

// phonePhoto is a 4×2 JPEG as a phone saves it: red on the left half, blue on the right, with
// an EXIF segment that places it at 31.73 N 116.50 E (六安), names the phone, and says it was
// taken with the phone turned (orientation 6: turn right to view).
func phonePhoto(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 2))
	for y := range 2 {
		for x := range 4 {
			c := color.RGBA{R: 255, A: 255}
			if x >= 2 {
				c = color.RGBA{B: 255, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	app1 := append([]byte("Exif\x00\x00"), gpsTIFF()...)
	seg := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(app1)+2))
	out := append([]byte{0xFF, 0xD8}, seg...)
	out = append(out, app1...)
	return append(out, buf.Bytes()[2:]...)
}

// gpsTIFF is an EXIF TIFF structure (little-endian): IFD0 with Orientation 6, Make "HUAWEI"
// and a GPS IFD with latitude 31°44′ N and longitude 116°30′ E.
func gpsTIFF() []byte {
	le := binary.LittleEndian
	b := []byte("II*\x00")
	b = le.AppendUint32(b, 8)
	entry := func(b []byte, tag, typ uint16, count, value uint32) []byte {
		b = le.AppendUint16(b, tag)
		b = le.AppendUint16(b, typ)
		b = le.AppendUint32(b, count)
		return le.AppendUint32(b, value)
	}
	// IFD0 at 8: 3 entries (2 + 36 + 4 bytes = 42), then "HUAWEI\0" at 50, the GPS IFD at 58.
	b = le.AppendUint16(b, 3)
	b = entry(b, 0x010F, 2, 7, 50) // Make
	b = entry(b, 0x0112, 3, 1, 6)  // Orientation
	b = entry(b, 0x8825, 4, 1, 58) // GPS IFD
	b = le.AppendUint32(b, 0)
	b = append(b, "HUAWEI\x00"...)
	b = append(b, 0) // pad to 58
	// GPS IFD at 58: 4 entries (2 + 48 + 4 = 54), rationals at 112 and 136.
	b = le.AppendUint16(b, 4)
	b = entry(b, 0x0001, 2, 2, uint32('N'))
	b = entry(b, 0x0002, 5, 3, 112)
	b = entry(b, 0x0003, 2, 2, uint32('E'))
	b = entry(b, 0x0004, 5, 3, 136)
	b = le.AppendUint32(b, 0)
	for _, v := range []uint32{31, 1, 44, 1, 0, 1, 116, 1, 30, 1, 0, 1} {
		b = le.AppendUint32(b, v)
	}
	return b
}

// TestPhotoMetadataStripped: an officer's photo is stored without its EXIF (no GPS position, no
// phone), turned upright as the EXIF said, and still a JPEG.
func TestPhotoMetadataStripped(t *testing.T) {
	photo := phonePhoto(t)
	if got := orientation("image/jpeg", photo); got != 6 {
		t.Fatalf("the test photo's orientation reads as %d, want 6", got)
	}
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

// TestPhotoPNGChunksStripped: a PNG's text and EXIF chunks are not stored.
func TestPhotoPNGChunksStripped(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 3, 3))); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	// A valid tEXt chunk with its CRC, placed after IHDR (8 + 25 bytes).
	text := pngChunk("tEXt", []byte("Comment\x00GPS 31.73N 116.50E"))
	withText := append(append(append([]byte{}, raw[:33]...), text...), raw[33:]...)
	up, err := checkUpload(t.Context(), photoRule, "截图.png", withText)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(up.Data, []byte("tEXt")) || bytes.Contains(up.Data, []byte("GPS")) {
		t.Error("the stored PNG still carries its text chunk")
	}
	if _, err := png.Decode(bytes.NewReader(up.Data)); err != nil {
		t.Errorf("the stored PNG does not decode: %v", err)
	}
}

// pngChunk is one PNG chunk with its length and CRC.
func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// TestPhotoCorrupt: an image whose header is fine but whose data is cut off is refused with a
// message that says so and what to do.
func TestPhotoCorrupt(t *testing.T) {
	photo := phonePhoto(t)
	_, err := checkUpload(t.Context(), photoRule, "现场.jpg", photo[:len(photo)-40])
	if finding.ErrorCode(err) != finding.EINVALID || !strings.Contains(finding.ErrorMessage(err), "已损坏或不完整") {
		t.Errorf("a cut-off JPEG: %v", err)
	}
	fx := newFixture(t)
	r := fx.officerClient.postFiles(t, "/report", reportForm(fx.unitSCJGJ), file{"photos", "现场.jpg", photo[:len(photo)-40]})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "图片“现场.jpg”已损坏或不完整") {
		t.Errorf("report with a cut-off photo: %d", r.status)
	}
}

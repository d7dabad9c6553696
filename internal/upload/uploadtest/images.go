// Package uploadtest makes the images the upload tests need: a phone photo with GPS in its
// EXIF, PNG chunks, and image bombs that declare far more pixels than their bytes hold.
package uploadtest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// PhonePhoto is a 4×2 JPEG as a phone saves it: red on the left half, blue on the right, with
// an EXIF segment that places it at 31.73 N 116.50 E (六安), names the phone, and says it was
// taken with the phone turned (orientation 6: turn right to view).
func PhonePhoto(t testing.TB) []byte {
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
	app1 := append([]byte("Exif\x00\x00"), GPSTIFF()...)
	seg := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(app1)+2))
	out := append([]byte{0xFF, 0xD8}, seg...)
	out = append(out, app1...)
	return append(out, buf.Bytes()[2:]...)
}

// GPSTIFF is an EXIF TIFF structure (little-endian): IFD0 with Orientation 6, Make "HUAWEI"
// and a GPS IFD with latitude 31°44′ N and longitude 116°30′ E.
func GPSTIFF() []byte {
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

// PNGChunk is one PNG chunk with its length and CRC.
func PNGChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// PNGBomb is a PNG that declares w×h pixels of 16-bit RGBA (8 bytes a pixel once decoded) and
// whose rows are all zero, so that it compresses to a few hundred KB. It is written row by row,
// never held decoded.
func PNGBomb(t testing.TB, w, h int) []byte {
	t.Helper()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 16, 6, 0, 0, 0) // 16 bits, RGBA, deflate, no filter method, no interlace
	out.Write(PNGChunk("IHDR", ihdr))
	var idat bytes.Buffer
	zw, err := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	row := make([]byte, 1+w*8)
	for range h {
		if _, err := zw.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out.Write(PNGChunk("IDAT", idat.Bytes()))
	out.Write(PNGChunk("IEND", nil))
	return out.Bytes()
}

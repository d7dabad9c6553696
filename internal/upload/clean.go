package upload

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"image/png"
)

// Uploaded photos are stored without their metadata. A photo from an officer's phone carries
// EXIF: where it was taken (GPS), when, on which phone, and sometimes a thumbnail of the
// uncropped picture. None of it belongs in a finding that many people read, so every JPEG and
// PNG is decoded and encoded again, which keeps the pixels and nothing else. The EXIF
// orientation is applied first, so that a photo taken with the phone held upright stays
// upright once the tag that said so is gone.

// photoQuality is the JPEG quality photos are encoded again with: no visible loss on a photo of
// a window or a screen, at about the size a phone saves.
const photoQuality = 90

// cleanImage returns the image data of content type ct without its metadata, upright as its
// EXIF orientation o says. An image that does not decode (corrupt, cut off) is ok == false.
func cleanImage(ct string, data []byte, o int) (clean []byte, ok bool) {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, false
	}
	img = upright(img, o)
	var buf bytes.Buffer
	if ct == "image/png" {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: photoQuality})
	}
	if err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}

// orientation reads the EXIF orientation (1–8) of a JPEG (APP1 segment) or PNG (eXIf chunk);
// 1, upright, when there is none.
func orientation(ct string, data []byte) int {
	var tiff []byte
	if ct == "image/png" {
		tiff = pngExif(data)
	} else {
		tiff = jpegExif(data)
	}
	return exifOrientation(tiff)
}

// jpegExif returns the TIFF structure of a JPEG's EXIF segment, or nil.
func jpegExif(data []byte) []byte {
	for i := 2; i+4 <= len(data) && data[i] == 0xFF; {
		marker, size := data[i+1], int(binary.BigEndian.Uint16(data[i+2:]))
		if marker == 0xDA || size < 2 || i+2+size > len(data) { // start of scan: no more metadata
			return nil
		}
		seg := data[i+4 : i+2+size]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return seg[6:]
		}
		i += 2 + size
	}
	return nil
}

// pngExif returns the TIFF structure of a PNG's eXIf chunk, or nil.
func pngExif(data []byte) []byte {
	for i := 8; i+12 <= len(data); {
		size := int(binary.BigEndian.Uint32(data[i:]))
		if size < 0 || i+12+size > len(data) {
			return nil
		}
		if string(data[i+4:i+8]) == "eXIf" {
			return data[i+8 : i+8+size]
		}
		i += 12 + size
	}
	return nil
}

// exifOrientation reads tag 0x0112 of the first IFD of a TIFF structure.
func exifOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}
	ifd := int(order.Uint32(tiff[4:]))
	if ifd < 8 || ifd+2 > len(tiff) {
		return 1
	}
	n := int(order.Uint16(tiff[ifd:]))
	for e := ifd + 2; e+12 <= len(tiff) && n > 0; e, n = e+12, n-1 {
		if order.Uint16(tiff[e:]) == 0x0112 {
			if v := int(order.Uint16(tiff[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

// upright turns img as EXIF orientation o says the camera held it: 2 mirrored, 3 upside down,
// 4 mirrored upside down, 5 mirrored and turned, 6 turned right, 7 mirrored and turned left,
// 8 turned left.
func upright(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	// One copy, the upright one (decode.go counts it): each pixel read from the decoded image
	// and written where it goes.
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		for x := range w {
			dx, dy := orient(o, x, y, w, h)
			dst.Set(dx, dy, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return dst
}

// orient is where the stored pixel (x, y) of a w×h image goes in the upright one.
func orient(o, x, y, w, h int) (int, int) {
	switch o {
	case 2:
		return w - 1 - x, y
	case 3:
		return w - 1 - x, h - 1 - y
	case 4:
		return x, h - 1 - y
	case 5:
		return y, x
	case 6:
		return h - 1 - y, x
	case 7:
		return h - 1 - y, w - 1 - x
	case 8:
		return y, w - 1 - x
	}
	return x, y
}

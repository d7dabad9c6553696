package upload

import (
	"context"
	"encoding/binary"
	"image"
	"image/color"

	"golang.org/x/sync/semaphore"

	"tiyan/internal/finding"
)

// Every uploaded image is decoded to strip its metadata (clean.go), and a small file can
// promise a huge picture: a 381 KB PNG of 7000×7000 at 16 bits decodes into 392 MB. So an
// image is measured from its header before it is decoded — its pixels, and the bytes its
// decoding and turning upright would take — and refused beyond the limits; and all decodes of
// the process share one memory budget, so that a few large photos at once wait for each other
// instead of adding up.
const (
	// maxImagePixels is more than a phone's camera takes by default (12–48 megapixels).
	maxImagePixels = 40_000_000
	// decodeBudget is the memory all decodes in flight may take together; one image may take
	// at most maxDecodeBytes of it, so two large ones never run at once.
	decodeBudget   = 256 << 20
	maxDecodeBytes = 160 << 20
)

// decodes is the process's decode budget: a process-wide bound on memory, as the process's
// memory is.
var decodes = semaphore.NewWeighted(decodeBudget)

// checkDimensions refuses an image whose header promises more pixels, or a costlier decoding,
// than the limits allow; it returns the bytes its decoding will take.
func checkDimensions(name, ct string, data []byte, cfg image.Config, turned bool) (int64, error) {
	w, h := cfg.Width, cfg.Height
	px := int64(w) * int64(h)
	if px > maxImagePixels {
		return 0, finding.Errorf(finding.EINVALID, "图片“%s”尺寸过大（%d×%d），请压缩到 %d 万像素以内（如 6000×4000）后重新上传",
			name, w, h, maxImagePixels/10_000)
	}
	need := px * bytesPerPixel(ct, data, cfg.ColorModel)
	if turned {
		need += px * 4 // the upright copy (NRGBA)
	}
	if need > maxDecodeBytes {
		return 0, finding.Errorf(finding.EINVALID, "图片“%s”（%d×%d）色深过高，读取需约 %d MB 内存，超过上限 %d MB，请另存为普通 8 位 JPEG 或 PNG，或缩小尺寸后重新上传",
			name, w, h, need>>20, maxDecodeBytes>>20)
	}
	return need, nil
}

// bytesPerPixel is what decoding an image takes per pixel: the decoded picture by its color
// model, and for a progressive JPEG the coefficients it keeps (4 bytes each, per component),
// for an interlaced PNG the passes it decodes before merging them.
func bytesPerPixel(ct string, data []byte, m color.Model) int64 {
	var n int64
	switch m {
	case color.GrayModel, color.AlphaModel:
		n = 1
	case color.Gray16Model, color.Alpha16Model:
		n = 2
	case color.YCbCrModel:
		n = 3
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel:
		n = 4
	default:
		if _, ok := m.(color.Palette); ok {
			n = 1
		} else {
			n = 8 // RGBA64, NRGBA64, or anything else: the widest
		}
	}
	switch {
	case ct == "image/jpeg" && jpegProgressive(data):
		n += 4 * 4 // up to four components of int32 coefficients
	case ct == "image/png" && len(data) > 28 && data[28] == 1: // IHDR interlace method: Adam7
		n *= 2
	}
	return n
}

// jpegProgressive reports whether a JPEG's frame header is progressive (SOF2, SOF6, SOF10,
// SOF14), which the decoder holds in full as coefficients before it makes the picture.
func jpegProgressive(data []byte) bool {
	for i := 2; i+4 <= len(data) && data[i] == 0xFF; {
		marker, size := data[i+1], int(binary.BigEndian.Uint16(data[i+2:]))
		switch marker {
		case 0xC2, 0xC6, 0xCA, 0xCE:
			return true
		case 0xC0, 0xC1, 0xC3, 0xC5, 0xC7, 0xC9, 0xCB, 0xCD, 0xCF, 0xDA:
			return false
		}
		if size < 2 {
			return false
		}
		i += 2 + size
	}
	return false
}

// withinBudget runs f once need bytes of the decode budget are free, or fails when ctx ends
// first.
func withinBudget(ctx context.Context, need int64, f func()) error {
	if err := decodes.Acquire(ctx, need); err != nil {
		return finding.Errorf(finding.EUNAVAILABLE, "服务器正忙于处理其他图片，请稍后重新上传")
	}
	defer decodes.Release(need)
	f()
	return nil
}

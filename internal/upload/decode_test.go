package upload

import (
	"strings"
	"testing"

	"tiyan/internal/finding"
	"tiyan/internal/upload/uploadtest"
)

// TestImageBombs: images that promise more pixels, or a costlier decoding, than the limits are
// refused from their header, with the size and what to do.
func TestImageBombs(t *testing.T) {
	for size, data := range map[string][]byte{"7000×7000": uploadtest.PNGBomb(t, 7000, 7000), "6000×6000": uploadtest.PNGBomb(t, 6000, 6000)} {
		_, err := Check(t.Context(), Photo, "现场.png", data)
		if msg := finding.ErrorMessage(err); finding.ErrorCode(err) != finding.EINVALID || !strings.Contains(msg, size) || !strings.Contains(msg, "后重新上传") {
			t.Errorf("%s: %v", size, err)
		}
	}
}

// TestDecodeBudget: a photo within the limits decodes, and its share of the budget is given
// back.
func TestDecodeBudget(t *testing.T) {
	if _, err := Check(t.Context(), Photo, "现场.jpg", uploadtest.PhonePhoto(t)); err != nil {
		t.Fatalf("phone photo: %v", err)
	}
	if !decodes.TryAcquire(decodeBudget) {
		t.Fatal("the decode budget was not given back")
	}
	decodes.Release(decodeBudget)
}

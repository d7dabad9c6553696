package finding

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// NewRunID returns an ID for a run started at t: its time in Zone and a random suffix, so IDs
// sort by start and never collide, e.g. 20260930-020000-3f9a1c.
func NewRunID(t time.Time) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return t.In(Zone).Format("20060102-150405") + "-" + hex.EncodeToString(b)
}

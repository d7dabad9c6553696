package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"tiyan/internal/finding"
)

// Password limits: at least twelve characters; bcrypt reads at most 72 bytes, so longer
// passwords are refused rather than silently cut (a Chinese character takes three bytes).
const (
	MinPassword = 12
	MaxPassword = 72
)

// Cost is the bcrypt cost of new hashes: about 50 ms on a server core, slow enough for a stolen
// hash and fast enough for a sign-in.
const Cost = 10

// CheckPasswordRules refuses a password too short, too long for bcrypt, or common (common.go).
func CheckPasswordRules(pw string) error {
	switch {
	case utf8.RuneCountInString(pw) < MinPassword:
		return finding.Errorf(finding.EINVALID, "密码至少 %d 个字符", MinPassword)
	case len(pw) > MaxPassword:
		return finding.Errorf(finding.EINVALID, "密码过长：最多 %d 字节（一个汉字占 3 字节）", MaxPassword)
	case Common(pw):
		return finding.Errorf(finding.EINVALID, "这个密码太常见，容易被猜中，请换一个（可直接回车由系统生成）")
	}
	return nil
}

// CheckPasswordFor is CheckPasswordRules for the account name: a password that is the name
// itself (in any case) is refused too.
func CheckPasswordFor(name, pw string) error {
	if name != "" && strings.EqualFold(strings.TrimSpace(pw), strings.TrimSpace(name)) {
		return finding.Errorf(finding.EINVALID, "密码不能与用户名相同")
	}
	return CheckPasswordRules(pw)
}

// HashPassword returns the bcrypt hash of pw, after CheckPasswordRules.
func HashPassword(pw string) (string, error) {
	if err := CheckPasswordRules(pw); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), Cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// dummyHash is compared against when a sign-in names no user, so that the answer takes as long
// as for a real user and does not tell which names exist.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("tiyan-no-such-user"), Cost)

// CheckPassword reports whether pw matches hash; an empty hash (no such user) is compared
// against a dummy so that it takes the same time, and never matches.
func CheckPassword(hash, pw string) bool {
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(pw))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// passwordAlphabet leaves out letters and digits people confuse (0/O, 1/l/I).
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratePassword returns a random 16-character password (about 93 bits).
func GeneratePassword() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	out := make([]byte, len(b))
	for i, c := range b {
		// 256 is not a multiple of the alphabet, so a few letters come up a little more
		// often; with 16 characters that leaves well over 90 bits.
		out[i] = passwordAlphabet[int(c)%len(passwordAlphabet)]
	}
	return string(out)
}

// NewToken returns a new secret for a session cookie or an API token (32 random bytes, URL-safe)
// and the hash to store for it.
func NewToken() (secret, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret)
}

// HashToken is what the store keeps of a secret: its SHA-256 in hex. The secret is random and
// long, so a fast hash is enough.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

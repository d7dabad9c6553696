package scenarios

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// The site profiles and scenarios that ship with tiyan are built into the binary, so that it
// works from any directory. They are read in place of the folders scenarios/sites and
// scenarios/wanshitong when the working directory has no such folder, under those same names:
// a problem in one is reported as scenarios/sites/wanshitong.yaml:12:3, as from a checkout.

//go:embed sites/*.yaml wanshitong
var shipped embed.FS

// The folders the binary carries, as the working directory of a checkout names them.
const (
	ShippedSitesDir     = "scenarios/sites"
	ShippedScenariosDir = "scenarios/wanshitong"
)

// UsesShipped reports whether dir is read from the copies built into the binary: it is one of
// the shipped folders (or inside one) and the working directory does not have it.
func UsesShipped(dir string) bool {
	_, ok := shippedName(dir)
	return ok
}

// shippedName is the name of p in the embedded tree when p is read from it.
func shippedName(p string) (string, bool) {
	if filepath.IsAbs(p) {
		return "", false
	}
	p = filepath.ToSlash(filepath.Clean(p))
	for _, root := range []string{ShippedSitesDir, ShippedScenariosDir} {
		if p != root && !strings.HasPrefix(p, root+"/") {
			continue
		}
		if _, err := os.Stat(filepath.FromSlash(root)); !errors.Is(err, fs.ErrNotExist) {
			return "", false // the working directory has the folder: it wins, whole
		}
		return strings.TrimPrefix(p, "scenarios/"), true
	}
	return "", false
}

// readFile reads a file from disk, or from the shipped copies.
func readFile(p string) ([]byte, error) {
	if name, ok := shippedName(p); ok {
		return fs.ReadFile(shipped, name)
	}
	return os.ReadFile(p)
}

// readDir lists a folder on disk, or of the shipped copies.
func readDir(p string) ([]fs.DirEntry, error) {
	if name, ok := shippedName(p); ok {
		return fs.ReadDir(shipped, name)
	}
	return os.ReadDir(p)
}

// stat describes a file on disk, or of the shipped copies.
func stat(p string) (fs.FileInfo, error) {
	if name, ok := shippedName(p); ok {
		return fs.Stat(shipped, name)
	}
	return os.Stat(p)
}

// walkDir walks a folder on disk, or of the shipped copies, with paths as the caller wrote root.
func walkDir(root string, fn fs.WalkDirFunc) error {
	name, ok := shippedName(root)
	if !ok {
		return filepath.WalkDir(root, fn)
	}
	return fs.WalkDir(shipped, name, func(p string, e fs.DirEntry, err error) error {
		rel := strings.TrimPrefix(strings.TrimPrefix(p, name), "/")
		if rel == "" {
			return fn(root, e, err)
		}
		return fn(filepath.Join(root, filepath.FromSlash(rel)), e, err)
	})
}

// localFile is a path a browser can read: p itself, or for a shipped file (an upload's sample
// PDF) a copy written once under the temporary folder, named by the binary's content of it.
func localFile(p string) (string, error) {
	name, ok := shippedName(p)
	if !ok {
		return p, nil
	}
	data, err := fs.ReadFile(shipped, name)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	dst := filepath.Join(os.TempDir(), "tiyan-shipped-"+hex.EncodeToString(sum[:8]), filepath.FromSlash(path.Base(name)))
	if info, err := os.Stat(dst); err == nil && info.Size() == int64(len(data)) {
		return dst, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", fmt.Errorf("copy shipped file %s: %w", p, err)
	}
	tmp := dst + fmt.Sprintf(".%d", os.Getpid())
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return "", fmt.Errorf("copy shipped file %s: %w", p, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return "", fmt.Errorf("copy shipped file %s: %w", p, err)
	}
	return dst, nil
}

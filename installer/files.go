package installer

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/eidbridge/eidbridge/internal/atomicfile"
)

// exists tells whether p exists; a root always does.
func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil || filepath.Dir(p) == p
}

// readIfExists reads path; had is false when it does not exist.
func readIfExists(path string) (data []byte, had bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading %s: %w", path, err)
	}
	return b, true, nil
}

// restoreFile puts back what path held before, or removes it.
func restoreFile(path string, prev []byte, had bool, mode fs.FileMode) error {
	if had {
		return writeAtomic(path, prev, mode)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// removeEmptyDir removes dir unless something else lives in it now.
func removeEmptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(entries) > 0) {
		return nil
	}
	if err != nil {
		return err
	}
	return os.Remove(dir)
}

// writeAtomic replaces path whole, so a reader (systemd, launchd, the
// agent) never sees half a file.
func writeAtomic(path string, data []byte, mode fs.FileMode) error {
	return atomicfile.Write(path, data, mode, 0o755)
}

func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// fileDigest is the SHA-256 of path's content; "" when it is absent.
func fileDigest(path string) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return digest(b), nil
}

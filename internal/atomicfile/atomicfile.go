// Package atomicfile replaces a file so that a reader sees the old file
// or the new one, never half of one: the data goes to a temporary file in
// the same directory, which is then renamed over the old.
package atomicfile

import (
	"io/fs"
	"os"
	"path/filepath"
)

// Write replaces path with data, with mode, creating the directory (0700
// when dirMode is 0) if it is missing. The data is synced before the
// rename, so a crash cannot leave an empty file in its place.
func Write(path string, data []byte, mode, dirMode fs.FileMode) error {
	if dirMode == 0 {
		dirMode = 0o700
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // nothing left after a successful rename
	err = write(tmp, data, mode)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func write(f *os.File, data []byte, mode fs.FileMode) error {
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(mode); err != nil {
		return err
	}
	return f.Sync()
}

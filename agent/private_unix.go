//go:build unix

package agent

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// checkPrivateDir accepts a real directory (not a link to one) of this
// user (or of root, who is trusted anyway) that no one else may write
// into: another user who could would plant a link for the agent to write
// through, or a file of their own.
func checkPrivateDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	return checkOwned(dir, fi, fi.IsDir(), "a directory")
}

// checkPrivateFile does the same for a file the agent reads or appends
// to (opened without following links; see openNoFollow).
func checkPrivateFile(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	return checkOwned(f.Name(), fi, fi.Mode().IsRegular(), "a regular file")
}

func checkOwned(name string, fi fs.FileInfo, kindOK bool, kind string) error {
	switch st, _ := fi.Sys().(*syscall.Stat_t); {
	case !kindOK:
		return fmt.Errorf("%s is not %s (a link, or another kind of file): remove it", name, kind)
	case st != nil && int(st.Uid) != os.Geteuid() && st.Uid != 0:
		return fmt.Errorf("%s belongs to uid %d, not to this user (uid %d): remove it", name, st.Uid, os.Geteuid())
	case fi.Mode().Perm()&0o022 != 0:
		return fmt.Errorf("other users may write to %s (mode %04o): chmod go-w %s", name, fi.Mode().Perm(), name)
	}
	return nil
}

// openNoFollow opens name without following a link at its end.
func openNoFollow(name string, flag int, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(name, flag|syscall.O_NOFOLLOW, perm)
}

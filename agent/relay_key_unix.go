//go:build unix

package agent

import (
	"fmt"
	"os"
	"syscall"
)

// checkKeyFile accepts a regular file that only its owner, this user, can
// read or write: a key others could read would let them pass for the
// relay, one they could write or own would be theirs, not ours.
func checkKeyFile(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("not a regular file")
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("other users may access it (mode %04o); it must be 0600", perm)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("owned by uid %d, not by this user (uid %d)", st.Uid, os.Geteuid())
	}
	return nil
}

//go:build !unix

package agent

import "os"

// On Windows the per-user profile's ACLs keep others out; the checks of
// private_unix.go have no counterpart here yet.
func checkPrivateDir(string) error    { return nil }
func checkPrivateFile(*os.File) error { return nil }
func openNoFollow(name string, flag int, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(name, flag, perm)
}

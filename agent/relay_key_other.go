//go:build !unix

package agent

import (
	"fmt"
	"os"
)

// checkKeyFile accepts a regular file. On Windows the key lives under
// %LocalAppData%, whose inherited ACL grants only the user, SYSTEM and
// Administrators; mode bits say nothing there, so nothing more is checked.
func checkKeyFile(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("not a regular file")
	}
	return nil
}

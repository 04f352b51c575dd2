//go:build !unix

package ui

import "os/exec"

// ownProcessGroup leaves the default: ctx's end kills the process. Its
// children (rare for a dialog program) are not killed; the output
// reader is then abandoned rather than waited for (see collect).
func ownProcessGroup(cmd *exec.Cmd) {}

// killProcess kills the command.
func killProcess(cmd *exec.Cmd) error { return cmd.Process.Kill() }

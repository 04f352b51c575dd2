//go:build unix

package ui

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// ownProcessGroup puts the command in a process group of its own and
// makes ctx's end kill that whole group: a shell script's children
// (a sleep, a dialog program) die with it instead of holding the pipe.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return killProcess(cmd) }
}

// killProcess kills the command's process group. The group id stays
// taken while any member lives, and the leader is at worst a zombie
// not yet reaped when an overflow kills it; os/exec may reap it while
// ctx's end kills it, a race in which the id would have to be reused
// within microseconds.
func killProcess(cmd *exec.Cmd) error {
	err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	if errors.Is(err, syscall.ESRCH) {
		return os.ErrProcessDone
	}
	return err
}

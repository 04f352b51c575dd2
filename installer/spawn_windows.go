package installer

import (
	"os/exec"
	"syscall"
)

// spawnDetached starts the agent outside this console: it must outlive
// the `eidbridge start` that launched it and never show a window.
func spawnDetached(exe string, args ...string) error {
	const detachedProcess, newProcessGroup = 0x00000008, 0x00000200
	cmd := exec.Command(exe, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: detachedProcess | newProcessGroup, HideWindow: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}

//go:build !windows

package installer

import "errors"

// spawnDetached is only used on Windows; elsewhere the service manager
// starts the agent.
func spawnDetached(string, ...string) error {
	return errors.New("starting the agent as a detached process is for Windows only")
}

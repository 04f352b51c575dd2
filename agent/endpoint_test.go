package agent

import (
	"path/filepath"
	"runtime"
	"testing"
)

// The agent publishes, and the relay and the installer read, in the same
// state directory as the audit log.
func TestEndpointPath(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("sets XDG_STATE_HOME")
	}
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	got, err := EndpointPath()
	if want := filepath.Join(dir, "eidbridge", "agent.json"); err != nil || got != want {
		t.Errorf("EndpointPath = %q, %v; want %q", got, err, want)
	}
	t.Setenv("XDG_STATE_HOME", "relative")
	if got, err := EndpointPath(); err == nil && !filepath.IsAbs(got) {
		t.Errorf("EndpointPath with a relative XDG_STATE_HOME = %q, want an absolute path", got)
	}
}

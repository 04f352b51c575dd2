package agent

import (
	"path/filepath"

	"github.com/eidbridge/eidbridge/agent/endpoint"
)

// EndpointPath is where a running agent publishes its port (see package
// endpoint): StateDir()/agent.json.
func EndpointPath() (string, error) {
	dir, err := StateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, endpoint.File), nil
}

package agent

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// EndpointFile is the name, in StateDir, of the file where a running
// agent says which port it listens on.
const EndpointFile = "agent.json"

// Endpoint is what a running agent publishes. The browser starts the
// relay (eidbridge nm-host) with no flags, so without it the relay knows
// only the configured port, not one chosen with `run --port`. It needs no
// secrecy: whoever answers on the port must still pass the relay key
// proof both ways.
type Endpoint struct {
	Port int `json:"port"`
	PID  int `json:"pid"`
}

// EndpointPath is StateDir()/agent.json.
func EndpointPath() (string, error) {
	dir, err := StateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, EndpointFile), nil
}

// PublishEndpoint writes {port, this process} to path, atomically so that
// a relay never reads half a file. The returned func removes the file
// unless another agent has since replaced it with its own.
func PublishEndpoint(path string, port int) (remove func(), err error) {
	if port <= 0 || port > 65535 {
		return nil, fmt.Errorf("publishing the agent's port: %d is not a port", port)
	}
	me := Endpoint{Port: port, PID: os.Getpid()}
	data, _ := json.Marshal(me)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("publishing the agent's port: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), EndpointFile+".*")
	if err != nil {
		return nil, fmt.Errorf("publishing the agent's port: %w", err)
	}
	_, werr := tmp.Write(append(data, '\n'))
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("publishing the agent's port in %s: %w", path, werr)
	}
	return func() {
		if cur, err := ReadEndpoint(path); err == nil && cur == me {
			os.Remove(path)
		}
	}, nil
}

// ReadEndpoint reads what an agent published at path; the error wraps
// os.ErrNotExist when no agent did.
func ReadEndpoint(path string) (Endpoint, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Endpoint{}, fmt.Errorf("reading the agent's port: %w", err)
	}
	var e Endpoint
	if err := json.Unmarshal(data, &e); err != nil {
		return Endpoint{}, fmt.Errorf("reading the agent's port from %s: %w", path, err)
	}
	if e.Port <= 0 || e.Port > 65535 {
		return Endpoint{}, fmt.Errorf("reading the agent's port from %s: %w", path, errBadEndpoint)
	}
	return e, nil
}

var errBadEndpoint = errors.New("no valid port in the file")

// Package endpoint is the file in which a running agent says where it
// listens: {"port":N,"pid":P}. It has no dependencies, so that the
// browser's relay and the installer (which must not pull in the agent's
// card code) can read it.
package endpoint

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// File is the file's name in the agent's state directory.
const File = "agent.json"

// Endpoint is what a running agent publishes. The browser starts the
// relay (eidbridge nm-host) with no flags, so without it the relay knows
// only the configured port, not one chosen with `run --port`. It needs no
// secrecy: whoever answers on the port must still pass the relay key
// proof both ways. PID lets the Windows installer find the agent when the
// system does not say who owns the port; a stale file may name a pid
// reused by another program, so readers must confirm it.
type Endpoint struct {
	Port int `json:"port"`
	PID  int `json:"pid"`
}

// Publish writes {port, this process} to path, atomically so that a
// reader never sees half a file. The returned func removes the file
// unless another agent has since replaced it with its own.
func Publish(path string, port int) (remove func(), err error) {
	if port <= 0 || port > 65535 {
		return nil, fmt.Errorf("publishing the agent's port: %d is not a port", port)
	}
	me := Endpoint{Port: port, PID: os.Getpid()}
	data, _ := json.Marshal(me)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("publishing the agent's port: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), File+".*")
	if err != nil {
		return nil, fmt.Errorf("publishing the agent's port: %w", err)
	}
	_, werr := tmp.Write(append(data, '\n'))
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = retry(func() error { return os.Rename(tmp.Name(), path) })
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("publishing the agent's port in %s: %w", path, werr)
	}
	return func() {
		if cur, err := Read(path); err == nil && cur == me {
			_ = retry(func() error { return os.Remove(path) })
		}
	}, nil
}

// retry repeats op briefly: on Windows a file that a relay or a virus
// scanner holds open cannot be replaced or removed for that moment.
func retry(op func() error) error {
	err := op()
	for i := 0; err != nil && !errors.Is(err, os.ErrNotExist) && i < 10; i++ {
		time.Sleep(20 * time.Millisecond)
		err = op()
	}
	return err
}

// Read reads what an agent published at path; the error wraps
// os.ErrNotExist when no agent did.
func Read(path string) (Endpoint, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Endpoint{}, fmt.Errorf("reading the agent's port: %w", err)
	}
	var e Endpoint
	if err := json.Unmarshal(data, &e); err != nil {
		return Endpoint{}, fmt.Errorf("reading the agent's port from %s: %w", path, err)
	}
	if e.Port <= 0 || e.Port > 65535 {
		return Endpoint{}, fmt.Errorf("reading the agent's port from %s: %w", path, errBadPort)
	}
	return e, nil
}

var errBadPort = errors.New("no valid port in the file")

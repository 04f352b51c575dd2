package agent

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// RelayKeyFile is the relay key's name in the state directory.
const RelayKeyFile = "relay.key"

// relayKeySize is the key length in bytes (HMAC-SHA256's block-safe size).
const relayKeySize = 32

// ErrRelayKey: the relay key file is missing, malformed or not private.
var ErrRelayKey = errors.New("unusable relay key")

// RelayKeyPath is StateDir()/relay.key: the per-user secret that proves
// the native-messaging relay (eidbridge nm-host) runs as the agent's user.
// The state directory is private to the user (0700 on Unix, the profile's
// ACL on Windows), and the file itself is 0600.
func RelayKeyPath() (string, error) {
	dir, err := StateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, RelayKeyFile), nil
}

// LoadRelayKey reads the key at path. It refuses a key another user could
// have read or planted (checkKeyFile), since whoever knows it may relay
// origin claims.
func LoadRelayKey(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRelayKey, err)
	}
	defer f.Close()
	if err := checkKeyFile(f); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrRelayKey, path, err)
	}
	key := make([]byte, relayKeySize+1) // one more to see a longer file
	n, _ := f.Read(key)
	if n != relayKeySize {
		return nil, fmt.Errorf("%w: %s holds %d bytes, want %d", ErrRelayKey, path, n, relayKeySize)
	}
	return key[:n], nil
}

// EnsureRelayKey reads the key at path, creating it first (random, 0600,
// in a 0700 directory) when there is none. Two processes creating it at
// once both end up with the one that was linked in first.
func EnsureRelayKey(path string) ([]byte, error) {
	key, err := LoadRelayKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating the relay key's directory: %w", err)
	}
	key = make([]byte, relayKeySize)
	rand.Read(key)
	tmp, err := os.CreateTemp(filepath.Dir(path), ".relay-key-*")
	if err != nil {
		return nil, fmt.Errorf("creating the relay key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(key)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return nil, fmt.Errorf("writing the relay key: %w", werr)
	}
	// Link, not rename: an existing key is never replaced, so a
	// running agent and another relay keep agreeing on it.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("installing the relay key: %w", err)
	}
	return LoadRelayKey(path)
}

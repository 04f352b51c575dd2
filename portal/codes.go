package portal

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Token layout: 24 codes of 6 letters.
const (
	CodeCount  = 24
	CodeLength = 6
)

const (
	letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	// activationAlphabet leaves out 0/O and 1/I/L, which a citizen
	// copying from paper confuses.
	activationAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
	activationLength   = 10
	keyFile            = "code-key"
)

// randomString draws n characters uniformly from alphabet: bytes at or
// above the largest multiple of len(alphabet) are rejected, so that the
// modulo favours no character.
func randomString(alphabet string, n int) (string, error) {
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, 2*n)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("random: %w", err)
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out), nil
}

// newCodes returns CodeCount distinct codes; position i+1 is codes[i].
// Duplicates are redrawn so that each position asks for a different code.
func newCodes() ([]string, error) {
	seen := make(map[string]bool, CodeCount)
	codes := make([]string, 0, CodeCount)
	for len(codes) < CodeCount {
		c, err := randomString(letters, CodeLength)
		if err != nil {
			return nil, err
		}
		if !seen[c] {
			seen[c] = true
			codes = append(codes, c)
		}
	}
	return codes, nil
}

// newSerial is a token serial number, 12 random digits grouped by four.
func newSerial() (string, error) {
	d, err := randomString("0123456789", 12)
	if err != nil {
		return "", err
	}
	return d[:4] + "-" + d[4:8] + "-" + d[8:], nil
}

// newPosition picks a code position, 1..CodeCount, uniformly: one draw
// from the first CodeCount letters, read as an index.
func newPosition() (int, error) {
	s, err := randomString(letters[:CodeCount], 1)
	if err != nil {
		return 0, err
	}
	return int(s[0]-'A') + 1, nil
}

// codeHasher keys the hashes of codes and activation codes.
type codeHasher struct{ key []byte }

// codeHash binds a code to its token serial and position.
func (h codeHasher) codeHash(serial string, position int, code string) []byte {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte("token-code\x00" + serial + "\x00"))
	binary.Write(m, binary.BigEndian, uint32(position))
	m.Write([]byte(code))
	return m.Sum(nil)
}

// activationHash binds an activation code to its link.
func (h codeHasher) activationHash(linkHash []byte, code string) []byte {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte("activation\x00"))
	m.Write(linkHash)
	m.Write([]byte(code))
	return m.Sum(nil)
}

// loadKey reads the code key from dir, creating it (0600) the first time.
// Instances starting together on one data directory agree on one key:
// each writes a whole key to a temporary file and links it into place,
// which only one link can do; the others read the winner's.
func loadKey(dir string) (codeHasher, error) {
	path := filepath.Join(dir, keyFile)
	key, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := createKey(dir, path); err != nil {
			return codeHasher{}, fmt.Errorf("code key: %w", err)
		}
		key, err = os.ReadFile(path)
	}
	if err != nil {
		return codeHasher{}, fmt.Errorf("code key: %w", err)
	}
	if len(key) < 32 {
		return codeHasher{}, fmt.Errorf("code key %s: %d bytes, want 32", path, len(key))
	}
	return codeHasher{key: key}, nil
}

// createKey puts a fresh key at path unless another process got there
// first.
func createKey(dir, path string) error {
	key := make([]byte, 32)
	rand.Read(key)
	tmp, err := os.CreateTemp(dir, ".code-key-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(key)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return nil
}

package agent_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/eidbridge/eidbridge/agent"
)

func TestEnsureRelayKeyCreatesOnceAndPrivately(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "eidbridge", agent.RelayKeyFile)
	if _, err := agent.LoadRelayKey(path); !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, agent.ErrRelayKey) {
		t.Fatalf("missing key: %v, want ErrRelayKey wrapping ErrNotExist", err)
	}
	// Several relays starting at once must agree on one key.
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := agent.EnsureRelayKey(path)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		}()
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if len(k) != 32 || !bytes.Equal(k, keys[0]) {
			t.Fatalf("keys differ or have the wrong size: %x vs %x", k, keys[0])
		}
	}
	if bytes.Equal(keys[0], make([]byte, 32)) {
		t.Fatal("the key is all zeros")
	}
	again, err := agent.LoadRelayKey(path)
	if err != nil || !bytes.Equal(again, keys[0]) {
		t.Fatalf("reloading: %x, %v", again, err)
	}
	if runtime.GOOS != "windows" {
		for p, want := range map[string]fs.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
			if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
				t.Errorf("%s: mode %v (%v), want %04o", p, fi.Mode().Perm(), err, want)
			}
		}
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".relay-key-*")); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestLoadRelayKeyRefuses(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte, mode fs.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // past the umask
			t.Fatal(err)
		}
		return p
	}
	cases := map[string]string{
		"short":     write("short", make([]byte, 31), 0o600),
		"long":      write("long", make([]byte, 33), 0o600),
		"directory": dir,
	}
	if runtime.GOOS != "windows" {
		cases["group-readable"] = write("group", make([]byte, 32), 0o640)
		cases["world-writable"] = write("world", make([]byte, 32), 0o602)
	}
	for name, p := range cases {
		if _, err := agent.LoadRelayKey(p); !errors.Is(err, agent.ErrRelayKey) {
			t.Errorf("%s: %v, want ErrRelayKey", name, err)
		}
	}
	if _, err := agent.LoadRelayKey(write("good", bytes.Repeat([]byte{7}, 32), 0o600)); err != nil {
		t.Errorf("a private 32-byte key: %v", err)
	}
}

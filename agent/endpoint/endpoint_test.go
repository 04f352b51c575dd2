package endpoint

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestEndpointRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", File)
	remove, err := Publish(path, 47123)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Read(path)
	if err != nil || got != (Endpoint{Port: 47123, PID: os.Getpid()}) {
		t.Fatalf("Read = %+v, %v", got, err)
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(filepath.Dir(path)); fi.Mode().Perm() != 0o700 {
			t.Errorf("state dir mode %v, want 0700", fi.Mode().Perm())
		}
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), File+".*")); len(left) != 0 {
		t.Errorf("temporary files left behind: %q", left)
	}
	remove()
	if _, err := Read(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after remove: %v, want not exist", err)
	}
}

// An agent that stops after another one took over must not remove the
// newer agent's file.
func TestEndpointRemoveKeepsNewerAgent(t *testing.T) {
	path := filepath.Join(t.TempDir(), File)
	removeOld, err := Publish(path, 47001)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(`{"port":47002,"pid":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	removeOld()
	if got, err := Read(path); err != nil || got.Port != 47002 {
		t.Errorf("the newer agent's file: %+v, %v", got, err)
	}
}

func TestEndpointBadInput(t *testing.T) {
	dir := t.TempDir()
	if _, err := Publish(filepath.Join(dir, "a.json"), 0); err == nil {
		t.Error("Publish(port 0) succeeded")
	}
	for name, body := range map[string]string{
		"garbage":   "not json",
		"no port":   `{"pid":3}`,
		"too large": `{"port":70000,"pid":3}`,
		"negative":  `{"port":-1,"pid":3}`,
	} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(body), 0o600)
		if e, err := Read(path); err == nil {
			t.Errorf("%s: Read = %+v, want an error", name, e)
		}
	}
}

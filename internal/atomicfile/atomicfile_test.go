package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplacesWholeAndLeavesNothingElse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	path := filepath.Join(dir, "f.json")
	for _, data := range []string{"first", "second, longer"} {
		if err := Write(path, []byte(data), 0o640, 0); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(path); err != nil || string(b) != data {
			t.Fatalf("read %q, %v; want %q", b, err, data)
		}
	}
	fi, _ := os.Stat(path)
	di, _ := os.Stat(dir)
	if fi.Mode().Perm() != 0o640 || di.Mode().Perm() != 0o700 {
		t.Errorf("modes %v and %v, want 0640 and 0700", fi.Mode().Perm(), di.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries, want the file alone", len(entries))
	}
	if err := Write(filepath.Join(path, "under-a-file"), nil, 0o600, 0); err == nil {
		t.Error("writing under a file succeeded")
	}
}

//go:build linux

package ui

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/eidbridge/eidbridge/internal/xshot"
)

// needScreenshotTools skips, loudly, without Xvfb or zenity, except under
// EIDBRIDGE_PCSC_TESTS=1 (make test), which installs both: there a
// missing one fails.
func needScreenshotTools(t *testing.T) {
	t.Helper()
	err := xshot.Available()
	if _, lerr := exec.LookPath("zenity"); err == nil && lerr != nil {
		err = fmt.Errorf("no zenity (Debian: apt-get install zenity): %w", lerr)
	}
	if err == nil {
		return
	}
	if os.Getenv("EIDBRIDGE_PCSC_TESTS") == "1" {
		t.Fatalf("the dialog screenshots need Xvfb and zenity, which make test installs (scripts/testenv.sh test-deps): %v", err)
	}
	msg := "SKIPPING the dialog screenshots: " + err.Error()
	fmt.Fprintln(os.Stderr, "!!! "+msg)
	t.Skip(msg)
}

// dialogEnv makes the dialogs look the same wherever the test runs: the
// real zenity under every name the zenity package may have remembered
// (the fake-program tests make it qarma), GTK's default theme, no
// blinking cursor nor animations, and no accessibility bus to wait for.
func dialogEnv(t *testing.T) {
	t.Helper()
	real, err := exec.LookPath("zenity")
	if err != nil {
		t.Fatal(err)
	}
	bin, conf := t.TempDir(), t.TempDir()
	for _, name := range dialogPrograms {
		if err := os.Symlink(real, filepath.Join(bin, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(conf, "gtk-3.0"), 0o755); err != nil {
		t.Fatal(err)
	}
	settings := "[Settings]\ngtk-theme-name=Adwaita\ngtk-icon-theme-name=Adwaita\ngtk-cursor-blink=false\ngtk-enable-animations=false\n"
	if err := os.WriteFile(filepath.Join(conf, "gtk-3.0", "settings.ini"), []byte(settings), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("XDG_CONFIG_HOME", conf)
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("GDK_BACKEND", "x11")
	t.Setenv("NO_AT_BRIDGE", "1")
}

// saveShots writes each picture and the grid (rows: dialogs, columns:
// languages) to the artifact directory, and to docs/images when
// EIDBRIDGE_UPDATE_IMAGES=1.
func saveShots(t *testing.T, shots [][]image.Image) {
	t.Helper()
	dirs := []string{artifactDir(t)}
	if os.Getenv("EIDBRIDGE_UPDATE_IMAGES") == "1" {
		docs := filepath.Join("..", "..", "docs", "images")
		old, _ := filepath.Glob(filepath.Join(docs, "dialog-*.png"))
		for _, f := range old { // rows renamed or gone
			os.Remove(f)
		}
		dirs = append(dirs, docs)
	}
	grid := xshot.Grid(shots, 12, color.Gray{Y: 0xc0})
	for _, dir := range dirs {
		for i, row := range screenshotDialogs {
			for j, lang := range screenshotLangs {
				writePNG(t, filepath.Join(dir, "dialog-"+row.name+"-"+lang+".png"), shots[i][j])
			}
		}
		writePNG(t, filepath.Join(dir, "dialogs-grid.png"), grid)
		t.Logf("dialog pictures in %s", dir)
	}
}

// artifactDir is $EIDBRIDGE_ARTIFACTS/ui-dialogs, else a fixed directory
// under the system's temporary one, emptied at each run and kept
// afterwards for a person to look at.
func artifactDir(t *testing.T) string {
	root := os.Getenv("EIDBRIDGE_ARTIFACTS")
	if root == "" {
		root = filepath.Join(os.TempDir(), "eidbridge-artifacts")
	}
	dir := filepath.Join(root, "ui-dialogs")
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

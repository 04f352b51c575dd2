//go:build linux

package xshot

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// Display is a running Xvfb and a connection to it.
type Display struct {
	Name string // ":N", as DISPLAY says it
	conn *xgb.Conn
	root xproto.Window
	pix  pixelFormat
}

// Available says why Xvfb cannot run here, or nil when it can.
func Available() error {
	if _, err := exec.LookPath("Xvfb"); err != nil {
		return fmt.Errorf("no Xvfb (Debian: apt-get install xvfb): %w", err)
	}
	return nil
}

// Start runs Xvfb with one screen of width×height for the rest of the
// test, on a display number the server picks itself (-displayfd), so
// that parallel runs do not collide. It sets DISPLAY and XAUTHORITY,
// which the programs the test starts inherit: a fresh cookie keeps other
// users of the machine off the display. The server stops at cleanup.
func Start(t testing.TB, width, height int) *Display {
	t.Helper()
	if err := Available(); err != nil {
		t.Fatal(err)
	}
	auth := filepath.Join(t.TempDir(), "Xauthority")
	if err := writeAuthority(auth); err != nil {
		t.Fatal(err)
	}
	name, err := startXvfb(t, auth, width, height)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("DISPLAY", name)
	t.Setenv("XAUTHORITY", auth)
	d, err := connect(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.close)
	return d
}

// close closes the connection and waits until it is closed, so that the
// server, stopped next, is not taken for a broken connection.
func (d *Display) close() {
	d.conn.Close()
	for {
		if ev, err := d.conn.WaitForEvent(); ev == nil && err == nil {
			return
		}
	}
}

// startXvfb starts the server and waits until it has written its display
// number, which it does once it accepts connections.
func startXvfb(t testing.TB, auth string, width, height int) (string, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", err
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-auth", auth, "-nolisten", "tcp",
		"-screen", "0", fmt.Sprintf("%dx%dx24", width, height))
	cmd.ExtraFiles = []*os.File{w} // fd 3
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err = cmd.Start()
	w.Close()
	if err != nil {
		return "", fmt.Errorf("starting Xvfb: %w", err)
	}
	t.Cleanup(func() { stop(cmd) })
	line, err := readLine(r, 10*time.Second)
	if err != nil {
		return "", fmt.Errorf("Xvfb gave no display number (%v): %s", err, stderr.String())
	}
	return ":" + line, nil
}

func readLine(r *os.File, timeout time.Duration) (string, error) {
	r.SetReadDeadline(time.Now().Add(timeout))
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// stop ends the server as it likes to be ended (SIGTERM removes its lock
// file and socket), and kills it if it does not go.
func stop(cmd *exec.Cmd) {
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// writeAuthority writes an Xauthority file with one random
// MIT-MAGIC-COOKIE-1 valid for any host and display (family "wild").
func writeAuthority(path string) error {
	cookie := make([]byte, 16)
	rand.Read(cookie)
	var b []byte
	b = binary.BigEndian.AppendUint16(b, 0xffff) // FamilyWild
	for _, field := range [][]byte{nil, nil, []byte("MIT-MAGIC-COOKIE-1"), cookie} {
		b = binary.BigEndian.AppendUint16(b, uint16(len(field)))
		b = append(b, field...)
	}
	return os.WriteFile(path, b, 0o600)
}

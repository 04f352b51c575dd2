package installer

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// fakeProc builds a /proc with one listening socket (inode 4242, uid
// 1000) on port 51950, held by pid 77 running /usr/bin/eidbridge run,
// plus noise: a socket on another port and a non-listening one.
func fakeProc(t *testing.T, holder bool) string {
	t.Helper()
	proc := t.TempDir()
	tcp := `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0 100 0 0 10 0
   1: 0100007F:CAEE 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 2222 1 0 20 4 30 10 -1
   2: 0100007F:CAEE 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0 100 0 0 10 0
`
	must(os.MkdirAll(filepath.Join(proc, "net"), 0o755))
	must(os.WriteFile(filepath.Join(proc, "net", "tcp"), []byte(tcp), 0o644))
	must(os.MkdirAll(filepath.Join(proc, "self"), 0o755)) // not a pid: skipped
	if holder {
		fd := filepath.Join(proc, "77", "fd")
		must(os.MkdirAll(fd, 0o755))
		must(os.Symlink("/dev/null", filepath.Join(fd, "0")))
		must(os.Symlink("socket:[4242]", filepath.Join(fd, "3")))
		must(os.Symlink("/usr/bin/eidbridge", filepath.Join(proc, "77", "exe")))
		must(os.WriteFile(filepath.Join(proc, "77", "cmdline"), []byte("/usr/bin/eidbridge\x00run\x00"), 0o644))
	}
	return proc
}

func TestProcListener(t *testing.T) {
	o, err := procListener(fakeProc(t, true), 51950)
	if err != nil {
		t.Fatal(err)
	}
	if o.PID != 77 || o.UID != 1000 || o.Exe != "/usr/bin/eidbridge" || len(o.Args) != 2 || o.Args[1] != "run" || !o.IsEidbridge() {
		t.Errorf("owner %+v, want pid 77 uid 1000 /usr/bin/eidbridge run", o)
	}
	// Another user's process: the socket's uid shows, its fds do not.
	o, err = procListener(fakeProc(t, false), 51950)
	if err != nil || o == nil || o.PID != 0 || o.UID != 1000 || o.IsEidbridge() {
		t.Errorf("owner %+v (%v), want uid 1000 with no pid", o, err)
	}
	if o, err := procListener(fakeProc(t, true), 51951); o != nil || err != nil {
		t.Errorf("port 51951: %+v %v, want nothing", o, err)
	}
}

func TestFindListenerOnThisMachine(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	o, err := FindListener(context.Background(), nil, "linux", port)
	if err != nil {
		t.Fatal(err)
	}
	exe, _ := os.Executable()
	if o == nil || o.PID != os.Getpid() || o.UID != os.Getuid() || o.Exe != exe {
		t.Errorf("owner %+v, want this test (pid %d, %s)", o, os.Getpid(), exe)
	}
	ln.Close()
	if o, err := FindListener(context.Background(), nil, "linux", port); o != nil || err != nil {
		t.Errorf("after close: %+v %v, want nothing", o, err)
	}
}

// listenHere opens a loopback port so FindListener's connection succeeds.
func listenHere(t *testing.T) (net.Listener, int) {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln, ln.Addr().(*net.TCPAddr).Port
}

func TestLsofListener(t *testing.T) {
	_, port := listenHere(t)
	run := &fakeRunner{out: map[string]string{"lsof": "p512\nceidbridge\nu501\np513\ncother\n"}}
	o, err := FindListener(context.Background(), run, "darwin", port)
	if err != nil || o.PID != 512 || o.UID != 501 || !o.IsEidbridge() {
		t.Errorf("owner %+v (%v), want pid 512 uid 501 eidbridge", o, err)
	}
	run = &fakeRunner{fail: map[string]error{"lsof": errBoom}} // lsof found nothing it may show
	if o, err := FindListener(context.Background(), run, "darwin", port); err != nil || o.PID != 0 || o.IsEidbridge() {
		t.Errorf("hidden owner %+v (%v), want an unknown listener", o, err)
	}
}

func TestNetstatListener(t *testing.T) {
	_, port := listenHere(t)
	netstat := fmt.Sprintf(`
Active Connections

  Proto  Local Address          Foreign Address        State           PID
  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1000
  TCP    127.0.0.1:%d        127.0.0.1:60000        ESTABLISHED     4000
  TCP    127.0.0.1:%d        0.0.0.0:0              LISTENING       4242
`, port, port)
	run := &fakeRunner{out: map[string]string{"netstat": netstat,
		"tasklist": `"eidbridgew.exe","4242","Console","1","14,200 K"`}}
	o, err := FindListener(context.Background(), run, "windows", port)
	if err != nil || o.PID != 4242 || o.Exe != "eidbridgew.exe" || !o.IsEidbridge() {
		t.Errorf("owner %+v (%v), want pid 4242 eidbridgew.exe", o, err)
	}
	if run.ran("PID eq 4242") != 1 {
		t.Errorf("tasklist not asked about pid 4242: %q", run.calls)
	}
}

func TestIsEidbridge(t *testing.T) {
	for exe, want := range map[string]bool{"/usr/bin/eidbridge": true, `C:\x\EIDBRIDGEW.EXE`: true, "eidbridge.exe": true,
		"/usr/bin/python3": false, "eidbridge-helper": false, "": false} {
		if got := (&Owner{Exe: exe}).IsEidbridge(); got != want {
			t.Errorf("IsEidbridge(%q) = %v", exe, got)
		}
	}
}

package installer

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// tcpListen is the LISTEN state in /proc/net/tcp.
const tcpListen = "0A"

// procListener finds the listener on port in proc's net/tcp and
// net/tcp6 (any local address: a socket on 0.0.0.0 takes the loopback
// port too), then the process holding that socket among the processes
// this user may look into.
func procListener(proc string, port int) (*Owner, error) {
	var inode string
	uid := -1
	for _, table := range []string{"tcp", "tcp6"} {
		ino, u, err := procSocket(filepath.Join(proc, "net", table), port)
		if err != nil {
			return nil, err
		}
		if ino != "" {
			inode, uid = ino, u
			break
		}
	}
	if inode == "" {
		return nil, nil
	}
	o := &Owner{UID: uid}
	pid, err := socketPID(proc, inode)
	if err != nil || pid == 0 {
		return o, err
	}
	o.PID = pid
	dir := filepath.Join(proc, strconv.Itoa(pid))
	o.Exe, _ = os.Readlink(filepath.Join(dir, "exe"))
	if b, err := os.ReadFile(filepath.Join(dir, "cmdline")); err == nil {
		o.Args = strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
	}
	return o, nil
}

// procSocket scans one table for a listening socket on port and returns
// its inode and owner uid. Columns: sl, local address (hex ip:port),
// remote address, state, queues, timer, retransmits, uid, timeout, inode.
func procSocket(table string, port int) (inode string, uid int, err error) {
	f, err := os.Open(table)
	if errors.Is(err, fs.ErrNotExist) {
		return "", -1, nil // no IPv6 here
	}
	if err != nil {
		return "", -1, err
	}
	defer f.Close()
	want := fmt.Sprintf(":%04X", port)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fl := strings.Fields(sc.Text())
		if len(fl) < 10 || fl[3] != tcpListen || !strings.HasSuffix(fl[1], want) {
			continue
		}
		u, err := strconv.Atoi(fl[7])
		if err != nil {
			return "", -1, fmt.Errorf("%s: bad uid %q", table, fl[7])
		}
		return fl[9], u, nil
	}
	return "", -1, sc.Err()
}

// socketPID finds the process with a descriptor on socket:[inode]. The
// descriptors of other users' processes cannot be read: 0 then.
func socketPID(proc, inode string) (int, error) {
	entries, err := os.ReadDir(proc)
	if err != nil {
		return 0, err
	}
	target := "socket:[" + inode + "]"
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		fds, err := os.ReadDir(filepath.Join(proc, e.Name(), "fd"))
		if err != nil {
			continue
		}
		for _, fd := range fds {
			if l, _ := os.Readlink(filepath.Join(proc, e.Name(), "fd", fd.Name())); l == target {
				return pid, nil
			}
		}
	}
	return 0, nil
}

package installer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Owner is the process listening on a port, as far as this user may see.
type Owner struct {
	PID  int    // 0 when unknown
	UID  int    // -1 when unknown (always on Windows)
	Exe  string // path or image name; "" when unknown
	Args []string
}

// IsEidbridge tells whether the program is eidbridge (or the Windows
// console-less eidbridgew) by its file name.
func (o *Owner) IsEidbridge() bool {
	if o == nil || o.Exe == "" {
		return false
	}
	name := strings.ToLower(filepath.Base(strings.ReplaceAll(o.Exe, `\`, "/")))
	name = strings.TrimSuffix(name, ".exe")
	return name == "eidbridge" || name == "eidbridgew"
}

func (o *Owner) String() string {
	if o == nil {
		return "nothing"
	}
	var parts []string
	if o.Exe != "" {
		parts = append(parts, o.Exe)
	} else {
		parts = append(parts, "a program")
	}
	if o.PID > 0 {
		parts = append(parts, fmt.Sprintf("pid %d", o.PID))
	}
	if o.UID >= 0 {
		parts = append(parts, fmt.Sprintf("uid %d", o.UID))
	}
	return strings.Join(parts, ", ")
}

// FindListener tells who listens on the loopback port: nil when nothing
// does. It first connects (so a refused connection is quick and
// certain), then asks the system who owns the socket: /proc on Linux,
// lsof on macOS, netstat and tasklist on Windows. An Owner with PID 0 is
// a listener that this user may not look into (another user's process).
func FindListener(ctx context.Context, run Runner, goos string, port int) (*Owner, error) {
	if !listening(ctx, port) {
		return nil, nil
	}
	var o *Owner
	var err error
	switch goos {
	case "linux":
		o, err = procListener("/proc", port)
	case "darwin":
		o, err = lsofListener(ctx, run, port)
	case "windows":
		o, err = netstatListener(ctx, run, port)
	default:
		err = errors.ErrUnsupported
	}
	if o == nil {
		o = &Owner{UID: -1} // it listens, but whose it is stays unknown
	}
	return o, err
}

// listening tells whether a connection to the port on 127.0.0.1 or
// [::1] is accepted.
func listening(ctx context.Context, port int) bool {
	d := net.Dialer{Timeout: 2 * time.Second}
	for _, host := range []string{"127.0.0.1", "::1"} {
		if c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(port))); err == nil {
			c.Close()
			return true
		}
	}
	return false
}

// lsofListener parses `lsof -F pcu` (lines p<pid>, c<command>, u<uid>).
// lsof exits 1 when it finds nothing it may show.
func lsofListener(ctx context.Context, run Runner, port int) (*Owner, error) {
	out, err := run.Run(ctx, "lsof", "-nP", "-a", "-iTCP:"+strconv.Itoa(port), "-sTCP:LISTEN", "-Fpcu")
	if err != nil && out == "" {
		return nil, nil
	}
	o := &Owner{UID: -1}
	for _, line := range strings.Split(out, "\n") {
		if len(line) < 2 {
			continue
		}
		v := line[1:]
		switch line[0] {
		case 'p':
			if o.PID != 0 {
				return o, nil // the first process is enough
			}
			o.PID, _ = strconv.Atoi(v)
		case 'c':
			o.Exe = v
		case 'u':
			o.UID, _ = strconv.Atoi(v)
		}
	}
	if o.PID == 0 {
		return nil, nil
	}
	return o, nil
}

// netstatListener finds the pid in `netstat -ano` (columns: proto, local,
// foreign, state, pid) and its image name with tasklist.
func netstatListener(ctx context.Context, run Runner, port int) (*Owner, error) {
	out, err := run.Run(ctx, "netstat", "-ano", "-p", "TCP")
	if err != nil {
		return nil, err
	}
	pid := 0
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) == 5 && f[0] == "TCP" && f[3] == "LISTENING" && strings.HasSuffix(f[1], ":"+strconv.Itoa(port)) {
			pid, _ = strconv.Atoi(f[4])
			break
		}
	}
	if pid == 0 {
		return nil, nil
	}
	o := &Owner{PID: pid, UID: -1}
	name, _, err := tasklistImage(ctx, run, pid)
	if err != nil {
		return o, err
	}
	o.Exe = name
	return o, nil
}

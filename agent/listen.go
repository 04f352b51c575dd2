package agent

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"
)

// ErrPortInUse: another program (often another eidbridge) has the port.
var ErrPortInUse = errors.New("port already in use")

// Listen opens the agent's loopback listeners: 127.0.0.1:port and, when
// the machine has IPv6, [::1]:port (browsers may resolve localhost to
// either). Nothing listens on other interfaces. Port 0 picks a free port
// on 127.0.0.1 and uses the same one on [::1].
func Listen(port int) ([]net.Listener, error) {
	v4, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return nil, listenError("127.0.0.1", port, err)
	}
	port = v4.Addr().(*net.TCPAddr).Port
	v6, err := net.Listen("tcp6", net.JoinHostPort("::1", strconv.Itoa(port)))
	switch {
	case err == nil:
		return []net.Listener{v4, v6}, nil
	case addrInUse(err):
		// Someone else on [::1] would get the pages that resolve
		// localhost to it: refuse rather than share.
		v4.Close()
		return nil, listenError("[::1]", port, err)
	}
	return []net.Listener{v4}, nil // no IPv6 loopback on this machine
}

func listenError(host string, port int, err error) error {
	if addrInUse(err) {
		return fmt.Errorf("%w: %s:%d is taken by another program (is eidbridge already running? "+
			"stop it, or choose another port with --port and tell the websites)", ErrPortInUse, host, port)
	}
	return fmt.Errorf("listening on %s:%d: %w", host, port, err)
}

// wsaeAddrInUse is Windows' WSAEADDRINUSE, which is not syscall.EADDRINUSE
// there; no Unix errno has that value.
const wsaeAddrInUse = 10048

func addrInUse(err error) bool {
	var errno syscall.Errno
	return errors.Is(err, syscall.EADDRINUSE) || (errors.As(err, &errno) && errno == wsaeAddrInUse)
}

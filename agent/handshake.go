package agent

import (
	"net"
	"net/http"
	"strconv"
	"strings"
)

// admit applies the handshake rules and returns the canonical origin, or
// why the request is refused (for the log only; the client learns
// nothing). Checks:
//   - path /v1 and method GET;
//   - Host is 127.0.0.1:PORT, localhost:PORT or [::1]:PORT, PORT being
//     the port the request arrived on: a DNS-rebound name never passes;
//   - exactly one Origin header, parsed strictly (ParseOrigin) and
//     allowed by the allowlist or the citizen (FirstContact: the
//     handshake waits for the dialog); a missing or "null" origin
//     never is.
func (s *Server) admit(r *http.Request) (Origin, string) {
	if r.URL.Path != Path || r.URL.RawQuery != "" {
		return Origin{}, "path is not " + Path
	}
	if r.Method != http.MethodGet {
		return Origin{}, "method is not GET"
	}
	if !hostAllowed(r.Host, localPort(r)) {
		return Origin{}, "Host is not a loopback address with the agent's port"
	}
	values := r.Header.Values("Origin")
	if len(values) != 1 {
		return Origin{}, "want exactly one Origin header"
	}
	o, err := ParseOrigin(values[0])
	if err != nil {
		return Origin{}, err.Error()
	}
	if !s.allows(o) && s.meet(r.Context(), o) != metAllowed {
		return Origin{}, "origin is not in the allowlist"
	}
	return o, ""
}

// hostAllowed checks a Host header against the loopback names and port.
// The port is required: browsers always send it for a non-default port,
// and the agent never runs on 80.
func hostAllowed(host string, port int) bool {
	if port == 0 {
		return false
	}
	p := ":" + strconv.Itoa(port)
	name, ok := strings.CutSuffix(strings.ToLower(host), p)
	return ok && (name == "127.0.0.1" || name == "localhost" || name == "[::1]")
}

// localPort is the port of the listener the request came in on.
func localPort(r *http.Request) int {
	addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return 0
	}
	if tcp, ok := addr.(*net.TCPAddr); ok {
		return tcp.Port
	}
	return 0
}

// logValue shortens an untrusted header value for the log.
// Anything but printable ASCII is escaped (\u202e, \x1b): a local process
// chooses these bytes, and a log reader must see them for what they are,
// not as text that reorders or recolours the line.
func logValue(s string) string {
	const max = 120
	cut := len(s) > max
	if cut {
		s = s[:max]
	}
	if q := strconv.QuoteToASCII(s); q[1:len(q)-1] != s {
		s = q[1 : len(q)-1]
	}
	if cut {
		s += "..."
	}
	return s
}

package verify

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// NormalizeOrigin returns origin in the form a browser's location.origin
// has, which is what the agent signs: lower-case scheme and host, no
// default port, no path. It accepts one trailing "/" (a common way of
// writing a site's address) and rejects anything else after the port,
// user info, non-ASCII host names (give the punycode form) and schemes
// other than https, except http on loopback hosts, which browsers treat
// as secure for local testing.
func NormalizeOrigin(origin string) (string, error) {
	u, err := url.Parse(origin)
	if err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrOrigin, origin, err)
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case u.Opaque != "" || u.Host == "":
		return "", fmt.Errorf("%w: %q has no host (want scheme://host[:port])", ErrOrigin, origin)
	case u.User != nil:
		return "", fmt.Errorf("%w: %q has user info", ErrOrigin, origin)
	case (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(origin, "#"):
		return "", fmt.Errorf("%w: %q has a path, query or fragment", ErrOrigin, origin)
	}
	host := strings.ToLower(u.Hostname())
	if err := checkHost(host); err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrOrigin, origin, err)
	}
	if scheme != "https" && !(scheme == "http" && isLoopback(host)) {
		return "", fmt.Errorf("%w: %q: scheme must be https (http only for localhost)", ErrOrigin, origin)
	}
	port, err := originPort(scheme, u.Port(), strings.HasSuffix(u.Host, ":"))
	if err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrOrigin, origin, err)
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return scheme + "://" + host + port, nil
}

func checkHost(host string) error {
	for i := 0; i < len(host); i++ {
		c := host[i]
		if c >= 0x80 || c <= ' ' {
			return fmt.Errorf("host %q has non-ASCII or control characters (use the punycode form)", host)
		}
	}
	if host == "" {
		return fmt.Errorf("empty host")
	}
	return nil
}

// originPort returns ":port", or "" for the scheme's default port.
func originPort(scheme, port string, emptyPort bool) (string, error) {
	if port == "" {
		if emptyPort {
			return "", fmt.Errorf("empty port after ':'")
		}
		return "", nil
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 || port[0] == '0' {
		return "", fmt.Errorf("port %q is not 1..65535 in canonical form", port)
	}
	if (scheme == "https" && n == 443) || (scheme == "http" && n == 80) {
		return "", nil
	}
	return ":" + port, nil
}

func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

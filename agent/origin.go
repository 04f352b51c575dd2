package agent

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// ErrOrigin: text that is not an acceptable web origin or origin pattern.
var ErrOrigin = errors.New("not an acceptable origin")

// Origin is a web origin in canonical form: lower-case ASCII scheme and
// host, the port only when it is not the scheme's default, no trailing
// slash; exactly what a browser's location.origin gives and what a
// server rebuilds to check a token. Host may start with "*." in a
// pattern.
type Origin struct {
	Scheme string // "https" or "http"
	Host   string // lower-case; IPv6 in brackets
	Port   int    // 0 for the scheme's default
}

func (o Origin) String() string {
	if o.Port == 0 {
		return o.Scheme + "://" + o.Host
	}
	return o.Scheme + "://" + o.Host + ":" + strconv.Itoa(o.Port)
}

// Wildcard reports whether o is a "*." pattern.
func (o Origin) Wildcard() bool { return strings.HasPrefix(o.Host, "*.") }

// Loopback reports whether the host is 127.0.0.1, [::1] or localhost.
func (o Origin) Loopback() bool {
	return o.Host == "127.0.0.1" || o.Host == "[::1]" || o.Host == "localhost"
}

// ParseOrigin reads the Origin header of a handshake. It refuses what a
// browser never sends and what cannot be compared safely: a missing or
// "null" origin, userinfo, a path, query or fragment, non-ASCII or
// percent-encoded hosts (IDN has to arrive as punycode, which is then
// compared as the plain ASCII it is), a trailing dot, and schemes other
// than https and http. Upper case is folded and a default port dropped, so
// "HTTPS://X.Belgium.BE:443" is "https://x.belgium.be".
func ParseOrigin(s string) (Origin, error) {
	return parseOrigin(s, false)
}

// ParsePattern reads an allowlist entry: an origin, or an https origin
// whose host starts with "*." (see Allowlist for what that matches).
// http is accepted only for loopback hosts, the development case.
func ParsePattern(s string) (Origin, error) {
	o, err := parseOrigin(s, true)
	if err != nil {
		return o, err
	}
	if o.Scheme == "http" && !o.Loopback() {
		return o, fmt.Errorf("%w: %q: http is allowed only for 127.0.0.1, [::1] and localhost (use https)", ErrOrigin, s)
	}
	return o, nil
}

func parseOrigin(s string, pattern bool) (Origin, error) {
	bad := func(why string) (Origin, error) {
		return Origin{}, fmt.Errorf("%w: %q: %s", ErrOrigin, s, why)
	}
	if s == "" || s == "null" {
		return bad("missing or null")
	}
	if !isPrintableASCII(s) {
		return bad("non-ASCII or control characters (internationalised names must be in punycode)")
	}
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return bad("want scheme://host[:port]")
	}
	var o Origin
	switch o.Scheme = strings.ToLower(scheme); o.Scheme {
	case "https", "http":
	default:
		return bad("only https (and http for loopback) origins")
	}
	if strings.ContainsAny(rest, "/?#@\\%") {
		return bad("an origin has no user, path, query, fragment or escapes")
	}
	host, port, err := splitHostPort(rest)
	if err != nil {
		return bad(err.Error())
	}
	if o.Port, err = parsePort(port, o.Scheme); err != nil {
		return bad(err.Error())
	}
	if o.Host, err = canonicalHost(host, pattern); err != nil {
		return bad(err.Error())
	}
	return o, nil
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7F {
			return false
		}
	}
	return true
}

// splitHostPort splits "host", "host:port", "[v6]" and "[v6]:port".
func splitHostPort(s string) (host, port string, err error) {
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", "", errors.New("unclosed [")
		}
		host, rest := s[:end+1], s[end+1:]
		if rest == "" {
			return host, "", nil
		}
		if rest[0] != ':' || rest == ":" {
			return "", "", errors.New("junk or an empty port after ]")
		}
		return host, rest[1:], nil
	}
	host, port, colon := strings.Cut(s, ":")
	switch {
	case strings.Contains(port, ":"):
		return "", "", errors.New("IPv6 addresses must be in brackets")
	case colon && port == "":
		return "", "", errors.New("empty port")
	}
	return host, port, nil
}

// parsePort returns 0 for the scheme's default port, which a browser
// leaves out of the origin.
func parsePort(s, scheme string) (int, error) {
	if s == "" {
		return 0, nil
	}
	if len(s) > 5 || s[0] == '0' || strings.Trim(s, "0123456789") != "" {
		return 0, fmt.Errorf("bad port %q", s)
	}
	n, _ := strconv.Atoi(s)
	switch {
	case n > 65535:
		return 0, fmt.Errorf("bad port %q", s)
	case scheme == "https" && n == 443, scheme == "http" && n == 80:
		return 0, nil
	}
	return n, nil
}

// canonicalHost lower-cases a DNS name and checks it label by label, or
// canonicalises an IP literal.
func canonicalHost(h string, pattern bool) (string, error) {
	if strings.HasPrefix(h, "[") {
		a, err := netip.ParseAddr(strings.Trim(h, "[]"))
		if err != nil || !a.Is6() || a.Zone() != "" {
			return "", fmt.Errorf("bad IPv6 address %s", h)
		}
		return "[" + a.String() + "]", nil
	}
	h = strings.ToLower(h)
	if a, err := netip.ParseAddr(h); err == nil && a.Is4() {
		return a.String(), nil
	}
	labels := strings.Split(h, ".")
	for i, l := range labels {
		if l == "*" && i == 0 && pattern {
			if len(labels) < 3 {
				return "", errors.New("a *. pattern needs at least two labels after it (*.example.be)")
			}
			continue
		}
		if err := checkLabel(l); err != nil {
			return "", err
		}
	}
	if strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return "", errors.New("numeric top-level label (not a dotted-quad IPv4 address)")
	}
	return h, nil
}

// checkLabel accepts an LDH label: letters, digits and inner hyphens.
func checkLabel(l string) error {
	if l == "" {
		return errors.New("empty label (double or trailing dot)")
	}
	if len(l) > 63 {
		return errors.New("label longer than 63 characters")
	}
	if l[0] == '-' || l[len(l)-1] == '-' {
		return fmt.Errorf("label %q starts or ends with a hyphen", l)
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("label %q has a character other than letters, digits and hyphens", l)
		}
	}
	return nil
}

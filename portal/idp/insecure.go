package idp

import (
	"net"
	"net/url"
)

// insecureOK: a plain-http issuer is allowed on loopback only.
func insecureOK(issuer string) bool {
	u, err := url.Parse(issuer)
	if err != nil || u.Scheme != "http" {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return (ip != nil && ip.IsLoopback()) || u.Hostname() == "localhost"
}

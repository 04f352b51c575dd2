package idp

import (
	"net"
	"net/url"
)

// insecureOK: a plain-http issuer is allowed on loopback only.
func insecureOK(issuer string) bool {
	u, err := url.Parse(issuer)
	return err == nil && u.Scheme == "http" && loopback(u.Hostname())
}

// loopback: host is a loopback address or localhost.
func loopback(host string) bool {
	ip := net.ParseIP(host)
	return (ip != nil && ip.IsLoopback()) || host == "localhost"
}

//go:build !linux && !windows

package agent

import "net"

// peerRefusal: on this system (macOS among others) the agent cannot yet
// tell which user's process connected, so it admits every loopback
// connection (docs/security.md). Linux (sock_diag) and Windows (the TCP
// table's owning process) refuse other users' processes. The websocket
// path can be turned off (Options.RelayOnly) where only the extension
// should be used.
func peerRefusal(net.Conn) string { return "" }

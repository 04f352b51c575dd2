//go:build !linux

package agent

import "net"

// peerRefusal: on this system the agent cannot yet tell which user's
// process connected (docs/security.md); the websocket path can be turned
// off (Options.RelayOnly) where only the extension should be used.
func peerRefusal(net.Conn) string { return "" }

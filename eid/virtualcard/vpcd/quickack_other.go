//go:build !linux

package vpcd

import "net"

// quickAck is Linux-only; elsewhere delayed ACKs only cost speed.
func quickAck(net.Conn) {}

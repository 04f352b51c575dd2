package vpcd

import (
	"net"
	"syscall"
)

// quickAck asks Linux to acknowledge the next segments at once. The vpcd
// driver writes a message's length and its payload separately; with
// Nagle on its side and delayed ACKs on ours, every APDU would wait about
// 40 ms for our ACK. The flag clears itself, so it is set before each read.
func quickAck(c net.Conn) {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return
	}
	raw.Control(func(fd uintptr) {
		syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
	})
}

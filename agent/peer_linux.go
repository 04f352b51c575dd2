package agent

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"unsafe"
)

// peerRefusal refuses a loopback connection made by another user's
// process: the kernel's socket table (sock_diag over netlink) names the
// owner of the connecting socket. Another user could otherwise forge any
// site's Origin and use the citizen's card through their dialogs.
func peerRefusal(c net.Conn) string {
	uid, err := peerUID(c.RemoteAddr(), c.LocalAddr())
	if err != nil {
		return "the connecting process's user could not be checked: " + err.Error()
	}
	if uid != uint32(os.Geteuid()) {
		return fmt.Sprintf("a process of another user (uid %d) connected", uid)
	}
	return ""
}

// The kernel's inet_diag structures (linux/inet_diag.h).
type inetDiagSockID struct {
	SPort, DPort [2]byte // big-endian
	Src, Dst     [16]byte
	If           uint32
	Cookie       [2]uint32
}

type inetDiagReqV2 struct {
	Family, Protocol, Ext, Pad uint8
	States                     uint32
	ID                         inetDiagSockID
}

type inetDiagMsg struct {
	Family, State, Timer, Retrans uint8
	ID                            inetDiagSockID
	Expires, RQueue, WQueue, UID  uint32
	Inode                         uint32
}

const sockDiagByFamily = 20

// peerUID finds the owner of the TCP socket at peer connected to local
// (both on this machine).
func peerUID(peer, local net.Addr) (uint32, error) {
	p, ok1 := peer.(*net.TCPAddr)
	l, ok2 := local.(*net.TCPAddr)
	if !ok1 || !ok2 {
		return 0, errors.New("not a TCP connection")
	}
	req := inetDiagReqV2{Protocol: syscall.IPPROTO_TCP, States: ^uint32(0)}
	req.ID.Cookie = [2]uint32{^uint32(0), ^uint32(0)} // INET_DIAG_NOCOOKIE
	req.Family = syscall.AF_INET6
	if p4 := p.IP.To4(); p4 != nil {
		req.Family = syscall.AF_INET
		copy(req.ID.Src[:], p4)
		copy(req.ID.Dst[:], l.IP.To4())
	} else {
		copy(req.ID.Src[:], p.IP.To16())
		copy(req.ID.Dst[:], l.IP.To16())
	}
	binary.BigEndian.PutUint16(req.ID.SPort[:], uint16(p.Port))
	binary.BigEndian.PutUint16(req.ID.DPort[:], uint16(l.Port))
	return sockDiag(req)
}

func sockDiag(req inetDiagReqV2) (uint32, error) {
	fd, err := syscall.Socket(syscall.AF_NETLINK, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, syscall.NETLINK_INET_DIAG)
	if err != nil {
		return 0, fmt.Errorf("netlink socket: %w", err)
	}
	defer syscall.Close(fd)
	hdr := syscall.NlMsghdr{Len: uint32(syscall.SizeofNlMsghdr + unsafe.Sizeof(req)), Type: sockDiagByFamily,
		Flags: syscall.NLM_F_REQUEST, Seq: 1}
	msg := append(unsafe.Slice((*byte)(unsafe.Pointer(&hdr)), syscall.SizeofNlMsghdr),
		unsafe.Slice((*byte)(unsafe.Pointer(&req)), unsafe.Sizeof(req))...)
	if err := syscall.Sendto(fd, msg, 0, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK}); err != nil {
		return 0, fmt.Errorf("netlink send: %w", err)
	}
	buf := make([]byte, 1024)
	n, _, err := syscall.Recvfrom(fd, buf, 0)
	if err != nil {
		return 0, fmt.Errorf("netlink receive: %w", err)
	}
	msgs, err := syscall.ParseNetlinkMessage(buf[:n])
	if err != nil || len(msgs) == 0 {
		return 0, fmt.Errorf("netlink answer: %v", err)
	}
	m := msgs[0]
	if m.Header.Type == syscall.NLMSG_ERROR {
		return 0, errors.New("the kernel does not know the connecting socket")
	}
	if len(m.Data) < int(unsafe.Sizeof(inetDiagMsg{})) {
		return 0, errors.New("short sock_diag answer")
	}
	d := (*inetDiagMsg)(unsafe.Pointer(&m.Data[0]))
	return d.UID, nil
}

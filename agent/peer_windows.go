package agent

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// peerRefusal refuses a loopback connection made by another user's
// process: the system's TCP table (iphlpapi's GetExtendedTcpTable) names
// the process that owns the connecting socket, and that process's token
// names its user. Another user could otherwise forge any site's Origin
// and use the citizen's card through their dialogs. A connection whose
// owner cannot be found or read is refused too: admitting it would let
// anyone who can hide their process in.
func peerRefusal(c net.Conn) string {
	pid, err := peerPID(c.RemoteAddr(), c.LocalAddr())
	if err != nil {
		return "the connecting process could not be found: " + err.Error()
	}
	return processRefusal(pid)
}

// processRefusal: "" when process pid runs as the agent's user. Windows
// lets a user open their own processes, so being denied means another
// user's process (or an elevated one, which is refused as well).
func processRefusal(pid uint32) string {
	if pid == 0 { // the table's answer for a socket no process holds
		return "the system names no process for the connecting socket"
	}
	denied := fmt.Sprintf("a process of another user, or an elevated one (pid %d), connected", pid)
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if errors.Is(err, windows.ERROR_ACCESS_DENIED) {
		return denied
	}
	if err != nil {
		return fmt.Sprintf("the connecting process (pid %d) could not be opened: %v", pid, err)
	}
	defer windows.CloseHandle(h)
	user, err := processUser(h)
	if errors.Is(err, windows.ERROR_ACCESS_DENIED) {
		return denied
	}
	if err != nil {
		return fmt.Sprintf("the connecting process's user (pid %d) could not be read: %v", pid, err)
	}
	own, err := ownUser()
	if err != nil {
		return "the agent's own user could not be read: " + err.Error()
	}
	if !user.Equals(own) {
		return fmt.Sprintf("a process of another user (%s, pid %d) connected", user, pid)
	}
	return ""
}

// processUser is the user SID of the process h's token.
func processUser(h windows.Handle) (*windows.SID, error) {
	var tok windows.Token
	if err := windows.OpenProcessToken(h, windows.TOKEN_QUERY, &tok); err != nil {
		return nil, err
	}
	defer tok.Close()
	u, err := tok.GetTokenUser()
	if err != nil {
		return nil, err
	}
	return u.User.Sid.Copy()
}

// ownUser is the agent's user, read once: it cannot change while the
// process runs.
var ownUser = sync.OnceValues(func() (*windows.SID, error) {
	return processUser(windows.CurrentProcess())
})

// The IP Helper API's table classes and address families.
const (
	tcpTableOwnerPIDConnections = 4 // TCP_TABLE_OWNER_PID_CONNECTIONS: no listeners
	afInet, afInet6             = 2, 23
)

var getExtendedTcpTable = windows.NewLazySystemDLL("iphlpapi.dll").NewProc("GetExtendedTcpTable")

// peerPID finds the process owning the TCP socket at peer that connected
// to local (both on this machine): in the connecting process's row of the
// table, the local end is peer and the remote end is local.
func peerPID(peer, local net.Addr) (uint32, error) {
	p, ok1 := peer.(*net.TCPAddr)
	l, ok2 := local.(*net.TCPAddr)
	if !ok1 || !ok2 {
		return 0, errors.New("not a TCP connection")
	}
	pa, la := unmapped(p.AddrPort()), unmapped(l.AddrPort())
	family := uint32(afInet)
	if pa.Addr().Is6() {
		family = afInet6
	}
	// The accepting side can see a connection before the table lists the
	// connecting end (seen under Wine): look again, briefly, before refusing.
	for try := 0; ; try++ {
		table, err := tcpTable(family, 16<<10)
		if err != nil {
			return 0, err
		}
		pid, err := ownerPID(table, family == afInet6, pa, la)
		if !errors.Is(err, errNotInTable) || try == tableRetries {
			return pid, err
		}
		time.Sleep(tableRetryWait)
	}
}

// A refusal for a connection missing from the table waits at most
// tableRetries × tableRetryWait (50 ms); a real peer shows up in a few.
const (
	tableRetries   = 10
	tableRetryWait = 5 * time.Millisecond
)

var errNotInTable = errors.New("the connecting socket is not in the system's TCP table")

func unmapped(a netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
}

// tcpTable reads the system's table of TCP connections with their owning
// processes: a MIB_TCPTABLE_OWNER_PID, or MIB_TCP6TABLE_OWNER_PID for
// AF_INET6, into a buffer of size bytes or as large as it needs. The table
// may grow between asking its size and reading it, hence the retries with
// some room to spare.
func tcpTable(family, size uint32) ([]byte, error) {
	for range 5 {
		buf := make([]byte, size)
		r, _, _ := getExtendedTcpTable.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&size)), 0,
			uintptr(family), tcpTableOwnerPIDConnections, 0)
		switch e := syscall.Errno(r); e {
		case 0:
			return buf, nil
		case windows.ERROR_INSUFFICIENT_BUFFER:
			size += size / 4
		default:
			return nil, fmt.Errorf("GetExtendedTcpTable: %w", e)
		}
	}
	return nil, errors.New("GetExtendedTcpTable: the table keeps growing")
}

// tcpRow is where a table row holds what peerPID needs (iprtrmib.h,
// tcpmib.h): addresses as their bytes, ports in network order in the low
// 16 bits of a little-endian DWORD (the first two bytes).
type tcpRow struct{ size, localAddr, localPort, remoteAddr, remotePort, pid, addrLen int }

var (
	tcp4Row = tcpRow{size: 24, localAddr: 4, localPort: 8, remoteAddr: 12, remotePort: 16, pid: 20, addrLen: 4}
	tcp6Row = tcpRow{size: 56, localAddr: 0, localPort: 20, remoteAddr: 24, remotePort: 44, pid: 52, addrLen: 16}
)

// ownerPID finds, in a table tcpTable read, the owner of the connection
// whose local end is local and whose remote end is remote.
func ownerPID(table []byte, v6 bool, local, remote netip.AddrPort) (uint32, error) {
	rl := tcp4Row
	if v6 {
		rl = tcp6Row
	}
	if len(table) < 4 {
		return 0, errors.New("short TCP table")
	}
	n := int(binary.LittleEndian.Uint32(table))
	if n > (len(table)-4)/rl.size {
		return 0, fmt.Errorf("the TCP table claims %d rows in %d bytes", n, len(table))
	}
	for i := range n {
		row := table[4+i*rl.size:][:rl.size]
		if rowEnd(row, rl.localAddr, rl.localPort, rl.addrLen) == local &&
			rowEnd(row, rl.remoteAddr, rl.remotePort, rl.addrLen) == remote {
			return binary.LittleEndian.Uint32(row[rl.pid:]), nil
		}
	}
	return 0, errNotInTable
}

func rowEnd(row []byte, addr, port, addrLen int) netip.AddrPort {
	a, _ := netip.AddrFromSlice(row[addr : addr+addrLen])
	return netip.AddrPortFrom(a, binary.BigEndian.Uint16(row[port:]))
}

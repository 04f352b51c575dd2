package agent

import (
	"bytes"
	"encoding/binary"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

// The rows as tcpmib.h declares them, written out here apart from the
// offsets the code reads, so that a wrong offset there shows. A port is
// a DWORD whose first two bytes hold it in network order; the API leaves
// the other two undefined (junk here).
type (
	mibTCPRowOwnerPID struct {
		State      uint32
		LocalAddr  [4]byte
		LocalPort  [4]byte
		RemoteAddr [4]byte
		RemotePort [4]byte
		OwningPid  uint32
	}
	mibTCP6RowOwnerPID struct {
		LocalAddr     [16]byte
		LocalScopeID  uint32
		LocalPort     [4]byte
		RemoteAddr    [16]byte
		RemoteScopeID uint32
		RemotePort    [4]byte
		State         uint32
		OwningPid     uint32
	}
)

const mibTCPStateEstab = 5

func mibPort(p uint16) [4]byte { return [4]byte{byte(p >> 8), byte(p), 0xde, 0xad} }

// tcpTableBytes makes a MIB_TCPTABLE_OWNER_PID (or the MIB_TCP6TABLE
// one): the number of rows, then the rows, each given as local end,
// remote end, owning pid.
func tcpTableBytes(v6 bool, rows ...any) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint32(len(rows)/3))
	for i := 0; i < len(rows); i += 3 {
		l, r, pid := rows[i].(netip.AddrPort), rows[i+1].(netip.AddrPort), rows[i+2].(uint32)
		if v6 {
			binary.Write(&b, binary.LittleEndian, mibTCP6RowOwnerPID{l.Addr().As16(), 7, mibPort(l.Port()),
				r.Addr().As16(), 7, mibPort(r.Port()), mibTCPStateEstab, pid})
		} else {
			binary.Write(&b, binary.LittleEndian, mibTCPRowOwnerPID{mibTCPStateEstab, l.Addr().As4(), mibPort(l.Port()),
				r.Addr().As4(), mibPort(r.Port()), pid})
		}
	}
	return b.Bytes()
}

func TestPeerTableParsing(t *testing.T) {
	ap := netip.MustParseAddrPort
	agent4, peer4 := ap("127.0.0.1:51950"), ap("127.0.0.1:50123")
	table4 := tcpTableBytes(false,
		ap("10.0.0.5:50123"), ap("93.184.216.34:443"), uint32(11), // same local port, another connection
		agent4, peer4, uint32(22), // the agent's own end of the connection
		peer4, ap("127.0.0.1:51951"), uint32(33), // the peer's port, another listener
		peer4, agent4, uint32(4242), // the connecting process's end
	)
	if pid, err := ownerPID(table4, false, peer4, agent4); pid != 4242 || err != nil {
		t.Errorf("IPv4: pid %d (%v), want 4242", pid, err)
	}
	if _, err := ownerPID(table4, false, ap("127.0.0.1:50124"), agent4); err == nil {
		t.Error("IPv4: a connection not in the table was found")
	}

	agent6, peer6 := ap("[::1]:51950"), ap("[::1]:50123")
	table6 := tcpTableBytes(true, agent6, peer6, uint32(22), peer6, ap("[::1]:51951"), uint32(33), peer6, agent6, uint32(77))
	if pid, err := ownerPID(table6, true, peer6, agent6); pid != 77 || err != nil {
		t.Errorf("IPv6: pid %d (%v), want 77", pid, err)
	}

	for name, b := range map[string][]byte{"empty": nil, "short": {1, 0}, "truncated": table4[:len(table4)-1]} {
		if pid, err := ownerPID(b, false, peer4, agent4); err == nil {
			t.Errorf("%s table: pid %d without an error", name, pid)
		}
	}
}

// The system's table names this process as the owner of a connection it
// made to itself, and the agent admits it; a connection no process can
// be found for is refused.
func TestPeerOwnProcess(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0"} {
		t.Run(addr, func(t *testing.T) {
			if addr[0] == '[' && underWine() {
				t.Skip("Wine's TCP table names no owner for IPv6 connections (Wine 8: pid 0 on every row)")
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				t.Skipf("no such loopback here: %v", err)
			}
			defer ln.Close()
			d, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			c, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if pid, err := peerPID(c.RemoteAddr(), c.LocalAddr()); pid != uint32(os.Getpid()) || err != nil {
				t.Errorf("the table names pid %d (%v), want this process, %d", pid, err, os.Getpid())
			}
			if why := peerRefusal(c); why != "" {
				t.Errorf("this process's own connection refused: %s", why)
			}
			// A buffer too small at first: the table is read again.
			family := uint32(afInet)
			if addr[0] == '[' {
				family = afInet6
			}
			table, err := tcpTable(family, 4)
			if err != nil {
				t.Fatalf("reading the table into a small buffer first: %v", err)
			}
			peer, local := unmapped(c.RemoteAddr().(*net.TCPAddr).AddrPort()), unmapped(c.LocalAddr().(*net.TCPAddr).AddrPort())
			if pid, err := ownerPID(table, family == afInet6, peer, local); pid != uint32(os.Getpid()) || err != nil {
				t.Errorf("in the table read again: pid %d (%v), want %d", pid, err, os.Getpid())
			}
		})
	}
	if why := processRefusal(0); !strings.Contains(why, "no process") {
		t.Errorf("pid 0: %q, want a refusal", why)
	}
}

// underWine: Wine's ntdll exports wine_get_version, Windows' does not.
func underWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

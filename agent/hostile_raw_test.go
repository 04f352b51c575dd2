package agent_test

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// rawConn is a websocket client written by hand on a bare TCP socket.
// Once idle it holds no buffer and no goroutine, so memory measured
// around many of them is the agent's; and it can misbehave at will
// (stop halfway through a handshake, never read).
type rawConn struct {
	net.Conn
}

// rawRequest is a handshake request as a browser sends it.
func rawRequest(port int, origin string) string {
	return fmt.Sprintf("GET /v1 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: %s\r\n\r\n", port, origin)
}

// rawTry sends a handshake and returns the connection with the
// response; the caller closes the connection whatever the status. It
// does not fail the test, so goroutines may call it.
func rawTry(port int, origin string) (*rawConn, *http.Response, error) {
	nc, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", port), 5*time.Second)
	if err != nil {
		return nil, nil, fmt.Errorf("dial: %w", err)
	}
	nc.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(nc, rawRequest(port, origin)); err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("sending the handshake: %w", err)
	}
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("reading the handshake response: %w", err)
	}
	if resp.StatusCode == http.StatusSwitchingProtocols && br.Buffered() > 0 {
		nc.Close()
		return nil, nil, fmt.Errorf("%d bytes after the 101 response, before any request", br.Buffered())
	}
	if resp.StatusCode != http.StatusSwitchingProtocols { // keep what follows for the caller
		return &rawConn{readerConn{nc, br}}, resp, nil
	}
	nc.SetDeadline(time.Time{})
	return &rawConn{nc}, resp, nil // the reader is dropped: nothing is buffered in it
}

// readerConn reads through the buffered reader that read a response.
type readerConn struct {
	net.Conn
	br *bufio.Reader
}

func (r readerConn) Read(p []byte) (int, error) { return r.br.Read(p) }

// rawDial is rawTry failing the test on an error.
func rawDial(tb testing.TB, port int, origin string) (*rawConn, *http.Response) {
	tb.Helper()
	c, resp, err := rawTry(port, origin)
	if err != nil {
		tb.Fatal(err)
	}
	return c, resp
}

// rawOpen opens a websocket connection and checks it is served with one
// version round trip, so the agent's side is fully set up on return.
func rawOpen(tb testing.TB, port int, origin string) *rawConn {
	tb.Helper()
	c, resp := rawDial(tb, port, origin)
	if resp.StatusCode != http.StatusSwitchingProtocols {
		c.Close()
		tb.Fatalf("handshake: status %d, want 101", resp.StatusCode)
	}
	c.writeText(tb, `{"id":"hello","op":"version"}`)
	var r reply
	if err := json.Unmarshal(c.readText(tb), &r); err != nil || r.ID == nil || *r.ID != "hello" || r.Error != nil {
		c.Close()
		tb.Fatalf("version on a raw connection: %+v %v", r, err)
	}
	return c
}

// writeText sends msg as one masked text frame, as clients must.
func (c *rawConn) writeText(tb testing.TB, msg string) {
	tb.Helper()
	frame := []byte{0x81}
	switch n := len(msg); {
	case n < 126:
		frame = append(frame, 0x80|byte(n))
	case n < 1<<16:
		frame = append(frame, 0x80|126)
		frame = binary.BigEndian.AppendUint16(frame, uint16(n))
	default:
		frame = append(frame, 0x80|127)
		frame = binary.BigEndian.AppendUint64(frame, uint64(n))
	}
	mask := [4]byte{0x5a, 0x17, 0xc3, 0x88}
	frame = append(frame, mask[:]...)
	for i := range len(msg) {
		frame = append(frame, msg[i]^mask[i%4])
	}
	c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write(frame); err != nil {
		tb.Fatalf("writing a frame: %v", err)
	}
}

// readText reads one whole text message, joining continuation frames.
func (c *rawConn) readText(tb testing.TB) []byte {
	tb.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	defer c.SetReadDeadline(time.Time{})
	var msg []byte
	for {
		var h [2]byte
		if _, err := io.ReadFull(c, h[:]); err != nil {
			tb.Fatalf("reading a frame: %v", err)
		}
		if op := h[0] & 0x0f; op != 0x1 && op != 0x0 {
			tb.Fatalf("frame opcode %d, want text", op)
		}
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var b [2]byte
			io.ReadFull(c, b[:])
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			io.ReadFull(c, b[:])
			n = binary.BigEndian.Uint64(b[:])
		}
		if n > 1<<20 {
			tb.Fatalf("frame of %d bytes", n)
		}
		p := make([]byte, n)
		if _, err := io.ReadFull(c, p); err != nil {
			tb.Fatalf("reading a frame: %v", err)
		}
		msg = append(msg, p...)
		if h[0]&0x80 != 0 {
			return msg
		}
	}
}

// wantEvent reads the next message and checks it is the event name.
func (c *rawConn) wantEvent(tb testing.TB, name string) {
	tb.Helper()
	msg := c.readText(tb)
	var ev struct{ Event string }
	if err := json.Unmarshal(msg, &ev); err != nil || ev.Event != name {
		tb.Fatalf("got %s, want event %s", msg, name)
	}
}

package doctor

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// ProbeHandshake sends a websocket handshake without an Origin header to
// the loopback port and reports the answer. The agent refuses it as it
// refuses any page it does not know, by resetting the connection with no
// HTTP answer, so this shows only that the listener refuses like the
// agent; it can never open a session.
func ProbeHandshake(ctx context.Context, port int) (Handshake, error) {
	d := net.Dialer{Timeout: 3 * time.Second}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return Handshake{}, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	req := fmt.Sprintf("GET /v1 HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: ZWlkYnJpZGdlIGRvY3Rvcg==\r\nSec-WebSocket-Version: 13\r\n\r\n", addr)
	if _, err := io.WriteString(c, req); err != nil {
		return Handshake{}, fmt.Errorf("sending a test handshake: %w", err)
	}
	br := bufio.NewReader(c)
	if _, err := br.Peek(1); err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return Handshake{}, fmt.Errorf("no answer to a test handshake: %w", err)
		}
		return Handshake{Dropped: true}, nil // closed or reset before a byte (any system's words for it)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return Handshake{}, fmt.Errorf("reading the answer to a test handshake: %w", err)
	}
	resp.Body.Close()
	return Handshake{Status: resp.StatusCode}, nil
}

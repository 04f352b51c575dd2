package agent_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
)

// handshake sends a websocket upgrade request by hand and returns the
// status, headers and body of the answer; status 0 when the agent
// dropped the connection without an HTTP answer (see dropped).
func (e *env) handshake(path, host string, origins ...string) (int, http.Header, string) {
	e.t.Helper()
	req, err := http.NewRequest("GET", fmt.Sprintf("http://127.0.0.1:%d%s", e.port, path), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	for _, o := range origins {
		req.Header.Add("Origin", o)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if dropped(err) {
		return 0, nil, ""
	}
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusSwitchingProtocols {
		return resp.StatusCode, resp.Header, ""
	}
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

// dropped: the connection ended without an HTTP answer, as a closed
// port's does (a reset, or an end of stream before any byte).
func dropped(err error) bool {
	return err != nil && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || strings.Contains(err.Error(), "connection reset"))
}

// wantRefused checks that the agent answered nothing at all: a page
// cannot tell a refusal from a closed port.
func (e *env) wantRefused(what, path, host string, origins ...string) {
	e.t.Helper()
	if status, h, body := e.handshake(path, host, origins...); status != 0 {
		e.t.Errorf("%s: answered %d %v %q, want the connection dropped without an answer", what, status, h, body)
	}
}

func TestHandshakeOrigins(t *testing.T) {
	e := start(t, "", newScriptUI())
	for _, o := range []string{"https://mijn.belgium.be", "https://a.b.fgov.be", "HTTPS://MIJN.Belgium.BE",
		"https://mijn.belgium.be:443", "http://127.0.0.1:8080"} {
		if status, _, _ := e.handshake("/v1", "", o); status != http.StatusSwitchingProtocols {
			t.Errorf("origin %q refused (%d)", o, status)
		}
	}
	for _, o := range []string{
		"null", "", "https://evil.test", "https://belgium.be", "https://belgium.be.evil.test",
		"https://evilbelgium.be", "https://mijn.belgium.be.", "https://mijn.belgium.be:8443",
		"http://mijn.belgium.be", "ws://mijn.belgium.be", "http://127.0.0.1:8081", "http://localhost:8080",
		"https://127.0.0.1:8080", "http://127.0.0.1:8080/", "https://mijn.belgium.be/", "https://mijn.belgium.be/x",
		"https://user@mijn.belgium.be", "https://evil.test@mijn.belgium.be", "https://mijn.belgium.be?x",
		"https://mijn.belgium.be#x", "https://mijn%2ebelgium.be", "https://mijn.belgіum.be", // Cyrillic і
		"https://*.belgium.be", "https://mijn.belgium.be:0443", "https://mijn..belgium.be", "https://-x.belgium.be",
		"https://mijn.belgium.be:99999", "https://mijn.belgium.be:", "https://[::1]:8080",
	} {
		e.wantRefused(fmt.Sprintf("origin %q", o), "/v1", "", o)
	}
	e.wantRefused("no Origin", "/v1", "")
	e.wantRefused("two Origins", "/v1", "", testOrigin, testOrigin)
}

// DNS rebinding: a page on evil.test resolving to 127.0.0.1 sends its own
// name as Host; only the loopback names with the agent's port pass.
func TestHandshakeHost(t *testing.T) {
	e := start(t, "", newScriptUI())
	port := fmt.Sprint(e.port)
	for _, h := range []string{"localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port, "127.0.0.1:" + port} {
		if status, _, _ := e.handshake("/v1", h, testOrigin); status != http.StatusSwitchingProtocols {
			t.Errorf("Host %q refused (%d)", h, status)
		}
	}
	for _, h := range []string{"evil.test:" + port, "evil.test", "127.0.0.1", "127.0.0.1:1", "localhost.:" + port,
		"127.0.0.2:" + port, "0.0.0.0:" + port, "localhost.evil.test:" + port, "127.0.0.1:" + port + "0"} {
		e.wantRefused(fmt.Sprintf("Host %q", h), "/v1", h, testOrigin)
	}
}

func TestHandshakePathAndMethod(t *testing.T) {
	e := start(t, "", newScriptUI())
	for _, p := range []string{"/", "/v2", "/v1/", "/V1", "/v1?x=1", "/favicon.ico"} {
		e.wantRefused("path "+p, p, "", testOrigin)
	}
	// A plain GET from an allowed origin is no websocket: refused the same way.
	req, _ := http.NewRequest("GET", fmt.Sprintf("http://127.0.0.1:%d/v1", e.port), nil)
	req.Header.Set("Origin", testOrigin)
	if resp, err := http.DefaultTransport.RoundTrip(req); !dropped(err) {
		t.Errorf("plain GET: %v %v, want the connection dropped", resp, err)
	}
	// POST with an allowed origin.
	req, _ = http.NewRequest("POST", fmt.Sprintf("http://127.0.0.1:%d/v1", e.port), strings.NewReader("x"))
	if resp, err := http.DefaultTransport.RoundTrip(req); !dropped(err) {
		t.Errorf("POST: %v %v, want the connection dropped", resp, err)
	}
}

func TestConnectionCap(t *testing.T) {
	e := start(t, "", newScriptUI(), func(o *agent.Options) { o.Limits.MaxConns = 2 })
	a := e.dial(testOrigin)
	e.dial(testOrigin)
	if status, h, body := e.handshake("/v1", "", testOrigin); status != 0 {
		t.Fatalf("third connection: %d %v %q, want it dropped", status, h, body)
	}
	a.ws.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		status, _, _ := e.handshake("/v1", "", testOrigin)
		if status == http.StatusSwitchingProtocols {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a closed connection's slot was never freed")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

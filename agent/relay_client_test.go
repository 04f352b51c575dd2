package agent_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent"
)

// A program that took the agent's port (another user's, say) cannot make
// the agent's proof, so the relay sends it nothing: no proof it could
// replay, no page request.
func TestDialRelayRefusesAnImpostor(t *testing.T) {
	key := make([]byte, 32)
	got := make(chan string, 1)
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		challenge := base64.StdEncoding.EncodeToString(make([]byte, 32))
		ws.WriteJSON(map[string]any{"relay": map[string]string{"challenge": challenge, "proof": "forged"}})
		ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, msg, err := ws.ReadMessage()
		if err == nil {
			got <- string(msg)
		}
		close(got)
	}))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	_, err := agent.DialRelay(context.Background(), port, key, testOrigin)
	if !errors.Is(err, agent.ErrRelayRefused) {
		t.Fatalf("DialRelay to an impostor: %v, want ErrRelayRefused", err)
	}
	if msg, ok := <-got; ok {
		t.Errorf("the relay sent the impostor %q", msg)
	}
}

func TestDialRelayUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens there now
	_, err = agent.DialRelay(context.Background(), port, make([]byte, 32), testOrigin)
	if !errors.Is(err, agent.ErrAgentUnreachable) {
		t.Fatalf("DialRelay with no agent: %v, want ErrAgentUnreachable", err)
	}
}

package agent

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// Why DialRelay failed; both mean "the agent is not available" to a page.
var (
	ErrAgentUnreachable = errors.New("the eidbridge agent is not running")
	ErrRelayRefused     = errors.New("the eidbridge agent refused the relay")
	// ErrOriginRefused: the agent, proven, does not allow the origin.
	ErrOriginRefused = errors.New("the eidbridge agent does not allow this site")
)

// DialRelay connects to the agent on 127.0.0.1:port as the
// native-messaging relay for origin, the origin the browser reported for
// the page. It proves with key that it runs as the agent's user and checks
// that the agent proves the same, so it never talks to a program that
// merely took the agent's port. The connection it returns carries the
// protocol of docs/protocol.md as a page's would.
func DialRelay(ctx context.Context, port int, key []byte, origin string) (*websocket.Conn, error) {
	nonce := newNonce()
	hdr := http.Header{RelayHeader: {relayVersion + " " + nonce}, RelayOriginHeader: {origin}}
	d := websocket.Dialer{HandshakeTimeout: relayTimeout}
	url := fmt.Sprintf("ws://127.0.0.1:%d%s", port, Path)
	ws, resp, err := d.DialContext(ctx, url, hdr)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("%w: it answered %s", ErrRelayRefused, resp.Status)
		}
		return nil, fmt.Errorf("%w: %w", ErrAgentUnreachable, err)
	}
	if err := relayProve(ws, key, nonce, origin); err != nil {
		ws.Close()
		if errors.Is(err, ErrOriginRefused) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %w", ErrRelayRefused, err)
	}
	return ws, nil
}

// relayProve is the relay's half of the proof exchange.
func relayProve(ws *websocket.Conn, key []byte, nonce, origin string) error {
	deadline := time.Now().Add(relayTimeout)
	ws.SetReadDeadline(deadline)
	ws.SetWriteDeadline(deadline)
	ws.SetReadLimit(relayMaxMessage)
	f, err := readRelayMsg(ws)
	if err != nil {
		return err
	}
	if !validNonce(f.Challenge) {
		return errors.New("relay handshake: malformed challenge")
	}
	if err := checkProof(key, roleAgent, nonce, origin, f.Proof); err != nil {
		return fmt.Errorf("the agent's proof: %w (is the agent running as another user?)", err)
	}
	if err := writeRelayMsg(ws, relayFields{Proof: relayProof(key, roleRelay, f.Challenge, origin)}); err != nil {
		return fmt.Errorf("relay handshake: %w", err)
	}
	v, err := readRelayMsg(ws)
	if err == nil && v.Verdict == verdictAsking && v.Proof == "" && v.Challenge == "" {
		ws.SetReadDeadline(time.Now().Add(relayAskWait)) // the citizen is being asked
		v, err = readRelayMsg(ws)
	}
	switch {
	case err != nil:
		return err
	case v.Verdict == verdictRefused:
		return ErrOriginRefused
	case v.Verdict != verdictOK || v.Proof != "" || v.Challenge != "":
		return errors.New("relay handshake: malformed verdict")
	}
	ws.SetReadDeadline(time.Time{})
	ws.SetWriteDeadline(time.Time{})
	ws.SetReadLimit(0) // none: the caller sets its own
	return nil
}

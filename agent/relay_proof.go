package agent

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gorilla/websocket"
)

// The relay handshake. eidbridge nm-host, started by the browser for the
// extension, connects to the agent's loopback listener with
//
//	Eidbridge-Relay: 1 NONCE_R        (no Origin header)
//	Eidbridge-Origin: ORIGIN          (the origin the browser gave the extension)
//
// The agent checks ORIGIN against the allowlist exactly as it checks an
// Origin header, upgrades, and sends {"relay":{"challenge":NONCE_A,
// "proof":P_A}}; the relay answers {"relay":{"proof":P_R}}; the agent
// then gives its verdict on the origin, {"relay":{"verdict":"ok"}} or
// "refused": only a relay that proved itself learns that an origin is
// not allowed, so that the extension can remember it (a page never
// does). For an https origin outside the allowlist that may ask the
// citizen (FirstContact), the agent first sends {"relay":{"verdict":
// "asking"}} and the final verdict when the dialog ends. With K the
// per-user key (RelayKeyPath), P_A = HMAC(K, "agent", NONCE_R, ORIGIN) and
// P_R = HMAC(K, "relay", NONCE_A, ORIGIN). Each side proves it knows K on
// a nonce the other chose, so neither a recorded exchange nor a program
// squatting the agent's port (which learns only a proof of its own nonce)
// can pass for the other side. docs/security.md has the threat model.
const (
	RelayHeader       = "Eidbridge-Relay"
	RelayOriginHeader = "Eidbridge-Origin"
	relayVersion      = "1"
	relayTimeout      = 5 * time.Second
	relayMaxMessage   = 1024
	nonceBytes        = 32
)

// The two roles a proof is made for, so that one cannot be reflected as
// the other.
const (
	roleAgent = "agent"
	roleRelay = "relay"
)

// errRelayProof: the other side does not know the relay key.
var errRelayProof = errors.New("wrong relay proof")

// relayMsg is a message of the proof exchange.
type relayMsg struct {
	Relay relayFields `json:"relay"`
}

type relayFields struct {
	Challenge string `json:"challenge,omitempty"`
	Proof     string `json:"proof,omitempty"`
	Verdict   string `json:"verdict,omitempty"` // the agent's last message: verdictOK or verdictRefused
}

const (
	verdictOK      = "ok"
	verdictRefused = "refused"
	verdictAsking  = "asking" // a first-contact dialog is up; the verdict follows
)

// relayAskWait bounds the wait for a verdict after "asking": longer
// than any dialog's time-out (the configuration caps it below this).
const relayAskWait = 15 * time.Minute

// relayProof is HMAC-SHA256 over the role, the other side's nonce and
// the origin claim exactly as sent, NUL-separated (none may hold a NUL).
func relayProof(key []byte, role, nonce, origin string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("eidbridge relay " + relayVersion + "\x00" + role + "\x00" + nonce + "\x00" + origin))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func checkProof(key []byte, role, nonce, origin, got string) error {
	want := relayProof(key, role, nonce, origin)
	if !hmac.Equal([]byte(want), []byte(got)) {
		return errRelayProof
	}
	return nil
}

func newNonce() string {
	b := make([]byte, nonceBytes)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

func validNonce(s string) bool {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	return err == nil && len(b) == nonceBytes
}

// readRelayMsg reads one proof-exchange message, strictly: one JSON
// object with only the expected fields.
func readRelayMsg(ws *websocket.Conn) (relayFields, error) {
	typ, data, err := ws.ReadMessage()
	if err != nil {
		return relayFields{}, fmt.Errorf("reading the relay handshake: %w", err)
	}
	if typ != websocket.TextMessage {
		return relayFields{}, errors.New("relay handshake: not a text message")
	}
	var m relayMsg
	if err := strictJSON(data, &m); err != nil {
		return relayFields{}, fmt.Errorf("relay handshake: %w", err)
	}
	return m.Relay, nil
}

// writeRelayMsg sends one proof-exchange message.
func writeRelayMsg(ws *websocket.Conn, f relayFields) error {
	b, err := json.Marshal(relayMsg{Relay: f})
	if err != nil {
		return err
	}
	return ws.WriteMessage(websocket.TextMessage, b)
}

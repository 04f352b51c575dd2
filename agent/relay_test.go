package agent_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent"
)

// relayEnv is an agent with a relay key, and that key.
func relayEnv(t *testing.T, u *scriptUI) (*env, []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), agent.RelayKeyFile)
	key, err := agent.EnsureRelayKey(path)
	if err != nil {
		t.Fatal(err)
	}
	return start(t, "citizen-1.8", u, func(o *agent.Options) { o.RelayKeyFile = path }), key
}

// relay connects as the native-messaging relay for origin.
func (e *env) relay(key []byte, origin string) *client {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, err := agent.DialRelay(ctx, e.port, key, origin)
	if err != nil {
		e.t.Fatalf("DialRelay: %v", err)
	}
	e.t.Cleanup(func() { ws.Close() })
	c := &client{t: e.t, ws: ws, origin: origin}
	c.waitReady(e.cards)
	return c
}

// The relayed origin is the one the dialog shows, the audit log records
// and the card signs, exactly as the Origin header on the page's path.
func TestRelayAuthenticatesForTheRelayedOrigin(t *testing.T) {
	u := newScriptUI(pin("1234"))
	e, key := relayEnv(t, u)
	c := e.relay(key, testOrigin)
	var tok agent.AuthToken
	c.ok("authenticate", map[string]any{"challengeNonce": testNonce}, &tok)
	checkTokenStdlib(t, tok, testOrigin, testNonce, fixtureCert(t, "citizen-1.8", fileAuthCert))
	checkTokenVerify(t, tok, "citizen-1.8", testOrigin, testNonce)
	if qs := u.questions(); len(qs) != 1 || qs[0].Origin != testOrigin {
		t.Errorf("questions %+v, want one showing %s", qs, testOrigin)
	}
	if !containsAll(e.audit.String(), `"origin":"https://mijn.belgium.be"`, `"outcome":"ok"`) {
		t.Errorf("audit log: %s", e.audit.String())
	}
}

// On the page's path an origin claim is ignored: the Origin header, which
// the browser sets, is what the token is made for.
func TestRelayOriginClaimIgnoredOutsideTheRelay(t *testing.T) {
	const pageOrigin = "http://127.0.0.1:8080"
	u := newScriptUI(pin("1234"))
	e, _ := relayEnv(t, u)
	ws, _, err := websocket.DefaultDialer.Dial(e.url, http.Header{"Origin": {pageOrigin},
		agent.RelayOriginHeader: {testOrigin}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	c := &client{t: t, ws: ws, origin: pageOrigin}
	c.waitReady(e.cards)
	var tok agent.AuthToken
	c.ok("authenticate", map[string]any{"challengeNonce": testNonce}, &tok)
	checkTokenStdlib(t, tok, pageOrigin, testNonce, fixtureCert(t, "citizen-1.8", fileAuthCert))
	if qs := u.questions(); len(qs) != 1 || qs[0].Origin != pageOrigin {
		t.Errorf("questions %+v, want one showing %s", qs, pageOrigin)
	}
	if !strings.Contains(e.logs.String(), "ignored an origin claim made outside the relay") {
		t.Errorf("the ignored claim is not logged: %s", e.logs.String())
	}
}

// Bad relay handshakes are dropped as a bad page handshake is, and the
// log says why.
func TestRelayHandshakeRefusals(t *testing.T) {
	nonce := base64.StdEncoding.EncodeToString(make([]byte, 32))
	good := func() http.Header {
		return http.Header{agent.RelayHeader: {"1 " + nonce}, agent.RelayOriginHeader: {testOrigin}}
	}
	for _, tc := range []struct {
		name, why string
		edit      func(http.Header)
		noKey     bool
	}{
		{"null origin", "relayed origin:", func(h http.Header) { h.Set(agent.RelayOriginHeader, "null") }, false},
		{"origin with a path", "relayed origin:", func(h http.Header) { h.Set(agent.RelayOriginHeader, testOrigin+"/") }, false},
		{"with an Origin header", "a relay handshake with an Origin header",
			func(h http.Header) { h.Set("Origin", testOrigin) }, false},
		{"two claims", "want exactly one", func(h http.Header) { h.Add(agent.RelayOriginHeader, testOrigin) }, false},
		{"no claim", "want exactly one", func(h http.Header) { h.Del(agent.RelayOriginHeader) }, false},
		{"other version", "malformed", func(h http.Header) { h.Set(agent.RelayHeader, "2 "+nonce) }, false},
		{"short nonce", "malformed", func(h http.Header) { h.Set(agent.RelayHeader, "1 abcd") }, false},
		{"no nonce", "malformed", func(h http.Header) { h.Set(agent.RelayHeader, "1") }, false},
		{"no relay key", "unusable relay key", func(http.Header) {}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keyFile := filepath.Join(t.TempDir(), agent.RelayKeyFile)
			if !tc.noKey {
				if _, err := agent.EnsureRelayKey(keyFile); err != nil {
					t.Fatal(err)
				}
			}
			e := start(t, "citizen-1.8", newScriptUI(), func(o *agent.Options) { o.RelayKeyFile = keyFile })
			h := good()
			tc.edit(h)
			ws, resp, err := websocket.DefaultDialer.Dial(e.url, h)
			if err == nil {
				ws.Close()
				t.Fatal("the handshake was accepted")
			}
			if resp != nil {
				t.Fatalf("response %v (%v), want the connection dropped", resp, err)
			}
			if !containsAll(e.logs.String(), "refused a connection", tc.why) {
				t.Errorf("log does not say %q: %s", tc.why, e.logs.String())
			}
		})
	}
}

// A relay that does not know the agent's key gets nothing, and neither
// does one that replays a proof from an earlier exchange.
func TestRelayWrongProofRefused(t *testing.T) {
	e, key := relayEnv(t, newScriptUI())
	ctx := context.Background()
	if _, err := agent.DialRelay(ctx, e.port, make([]byte, 32), testOrigin); !errors.Is(err, agent.ErrRelayRefused) {
		t.Fatalf("DialRelay with another key: %v, want ErrRelayRefused", err)
	}
	first := rawRelay(t, e, testOrigin)
	_, challenge := readChallenge(t, first)
	replay := agent.RelayProofForTest(key, "relay", challenge, testOrigin)
	first.Close()
	for name, proof := range map[string]string{
		"replayed":       replay,
		"wrong role":     "", // filled below: the agent's own role
		"other key":      agent.RelayProofForTest(make([]byte, 32), "relay", "", testOrigin),
		"not base64 mac": "x",
	} {
		ws := rawRelay(t, e, testOrigin)
		_, ch := readChallenge(t, ws)
		if name == "wrong role" {
			proof = agent.RelayProofForTest(key, "agent", ch, testOrigin)
		}
		ws.WriteJSON(map[string]any{"relay": map[string]string{"proof": proof}})
		ws.WriteJSON(map[string]any{"id": "1", "op": "status"})
		ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, msg, err := ws.ReadMessage()
		if !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
			t.Errorf("%s proof: read %q, %v; want a 1008 close and no reply", name, msg, err)
		}
		ws.Close()
	}
	if n := strings.Count(e.logs.String(), "refused a relay connection"); n < 5 {
		t.Errorf("%d relay refusals logged, want 5: %s", n, e.logs.String())
	}
}

// rawRelay opens a relay handshake without answering the challenge.
func rawRelay(t *testing.T, e *env, origin string) *websocket.Conn {
	t.Helper()
	nonce := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("n", 32)))
	ws, _, err := websocket.DefaultDialer.Dial(e.url, http.Header{agent.RelayHeader: {"1 " + nonce},
		agent.RelayOriginHeader: {origin}})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func readChallenge(t *testing.T, ws *websocket.Conn) (proof, challenge string) {
	t.Helper()
	var m struct {
		Relay struct{ Challenge, Proof string }
	}
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := ws.ReadJSON(&m); err != nil || m.Relay.Challenge == "" {
		t.Fatalf("no challenge: %+v, %v", m, err)
	}
	return m.Relay.Proof, m.Relay.Challenge
}

// With the websocket path for pages turned off, a page (or a local
// process posing as one) is dropped; the extension's relay is served.
func TestRelayOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), agent.RelayKeyFile)
	key, err := agent.EnsureRelayKey(path)
	if err != nil {
		t.Fatal(err)
	}
	e := start(t, "citizen-1.8", newScriptUI(), func(o *agent.Options) { o.RelayKeyFile, o.RelayOnly = path, true })
	e.wantRefused("a page with relayOnly", "/v1", "", testOrigin)
	var v agent.VersionResult
	e.relay(key, testOrigin).ok("version", nil, &v)
	if !containsAll(e.logs.String(), "turned off (relay only)") {
		t.Errorf("the refusal does not say why: %s", e.logs)
	}
}

// An origin outside the allowlist: only a relay that proved it holds the
// key learns that it is refused (so the extension can remember it); one
// without the key learns nothing from it; a page is dropped as always.
func TestRelayOriginRefusedOnlyToAProvenRelay(t *testing.T) {
	const evil = "https://evil.example"
	e, key := relayEnv(t, newScriptUI())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if ws, err := agent.DialRelay(ctx, e.port, key, evil); !errors.Is(err, agent.ErrOriginRefused) {
		if ws != nil {
			ws.Close()
		}
		t.Fatalf("a proven relay for %s: %v, want ErrOriginRefused", evil, err)
	}
	if !containsAll(e.logs.String(), "relayed origin https://evil.example is not in the allowlist") ||
		!containsAll(e.audit.String(), "relay: https://evil.example", "REFUSED") {
		t.Errorf("the refusal is not logged and audited:\n%s\n%s", e.logs, e.audit)
	}
	wrong := bytes.Repeat([]byte{7}, len(key))
	if _, err := agent.DialRelay(ctx, e.port, wrong, evil); err == nil || errors.Is(err, agent.ErrOriginRefused) {
		t.Errorf("a relay without the key: %v, want a refusal that says nothing of the origin", err)
	}
	e.wantRefused("a page from "+evil, "/v1", "", evil)
}

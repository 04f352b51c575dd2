package agent

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// relayClaim is an admitted relay handshake: the origin it claims and
// what its proof will be checked against.
type relayClaim struct {
	origin Origin
	raw    string // the claim as sent, which the proofs cover
	nonce  string // the relay's nonce, which the agent's proof covers
	key    []byte
	// allowed: the allowlist allows origin. A refused claim is still
	// upgraded and proven, so that the relay alone learns the verdict.
	allowed bool
}

// admitAny admits a page's handshake (admit) or, when it carries the
// relay header, the relay's (admitRelay). An origin claim outside the
// relay is ignored: the Origin header, which a browser sets, decides.
func (s *Server) admitAny(r *http.Request) (Origin, *relayClaim, string) {
	if _, relayed := r.Header[RelayHeader]; !relayed {
		if s.opts.RelayOnly {
			return Origin{}, nil, "the websocket path for pages is turned off (relay only)"
		}
		if claim := r.Header.Values(RelayOriginHeader); len(claim) > 0 {
			s.log.Info("ignored an origin claim made outside the relay", "claim", logValue(claim[0]))
		}
		o, why := s.admit(r)
		return o, nil, why
	}
	c, why := s.admitRelay(r)
	if why != "" {
		return Origin{}, nil, why
	}
	return c.origin, c, ""
}

// admitRelay applies admit's rules to a relay handshake, the claimed
// origin standing for the Origin header (the same allowlist decides).
// A relay handshake never has an Origin header: no browser page can set
// Eidbridge-Relay, so one that has both is not a browser's.
func (s *Server) admitRelay(r *http.Request) (*relayClaim, string) {
	switch {
	case r.URL.Path != Path || r.URL.RawQuery != "":
		return nil, "path is not " + Path
	case r.Method != http.MethodGet:
		return nil, "method is not GET"
	case !hostAllowed(r.Host, localPort(r)):
		return nil, "Host is not a loopback address with the agent's port"
	case len(r.Header.Values("Origin")) != 0:
		return nil, "a relay handshake with an Origin header"
	}
	hdr, claims := r.Header.Values(RelayHeader), r.Header.Values(RelayOriginHeader)
	if len(hdr) != 1 || len(claims) != 1 {
		return nil, "want exactly one " + RelayHeader + " and one " + RelayOriginHeader + " header"
	}
	version, nonce, _ := strings.Cut(hdr[0], " ")
	if version != relayVersion || !validNonce(nonce) {
		return nil, "malformed " + RelayHeader + " header"
	}
	o, err := ParseOrigin(claims[0])
	if err != nil {
		return nil, "relayed origin: " + err.Error()
	}
	key, err := s.relayKey()
	if err != nil {
		return nil, err.Error()
	}
	return &relayClaim{origin: o, raw: claims[0], nonce: nonce, key: key, allowed: s.allows(o)}, ""
}

// relayKey reads the key afresh for each relay: the relay creates it on
// first use, and the agent may have been started before that.
func (s *Server) relayKey() ([]byte, error) {
	path := s.opts.RelayKeyFile
	if path == "" {
		var err error
		if path, err = RelayKeyPath(); err != nil {
			return nil, err
		}
	}
	return LoadRelayKey(path)
}

// refusedRelay logs and audits a proven relay's origin that the
// allowlist refuses, as a page's refused handshake is.
func (s *Server) refusedRelay(c *relayClaim) {
	s.log.Info("refused a connection", "reason", "relayed origin "+c.origin.String()+" is not in the allowlist",
		"origin", "relay: "+c.origin.String())
	s.refusals.record(s.opts.Audit, "relay: "+c.origin.String(), s.opts.Now())
}

// proveRelay runs the proof exchange on an upgraded relay connection
// (nothing to do for a page's, c nil). It reports whether the connection
// may be served; a failed one is closed with 1008 (policy violation).
func (s *Server) proveRelay(ws *websocket.Conn, c *relayClaim) bool {
	if c == nil {
		return true
	}
	challenge := newNonce()
	deadline := time.Now().Add(relayTimeout)
	ws.SetReadDeadline(deadline)
	ws.SetWriteDeadline(deadline)
	ws.SetReadLimit(relayMaxMessage)
	err := writeRelayMsg(ws, relayFields{Challenge: challenge, Proof: relayProof(c.key, roleAgent, c.nonce, c.raw)})
	if err == nil {
		var f relayFields
		if f, err = readRelayMsg(ws); err == nil && f.Challenge != "" {
			err = errors.New("relay handshake: the relay sent a challenge")
		} else if err == nil {
			err = checkProof(c.key, roleRelay, challenge, c.raw, f.Proof)
		}
	}
	if err == nil {
		err = s.relayFirstContact(ws, c)
	}
	verdict := verdictOK
	if err == nil && !c.allowed {
		verdict = verdictRefused
		s.refusedRelay(c) // recorded before the relay hears it
	}
	if err == nil {
		err = writeRelayMsg(ws, relayFields{Verdict: verdict})
	}
	if err != nil || !c.allowed {
		if err != nil {
			s.log.Warn("refused a relay connection", "reason", err.Error(), "origin", c.origin.String())
		}
		ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.ClosePolicyViolation, ""),
			time.Now().Add(time.Second))
		ws.Close()
		return false
	}
	ws.SetReadDeadline(time.Time{})
	ws.SetWriteDeadline(time.Time{})
	s.log.Debug("relay proved itself", "origin", c.origin.String())
	return true
}

// strictJSON decodes exactly one JSON value into v, refusing unknown
// fields and trailing data.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

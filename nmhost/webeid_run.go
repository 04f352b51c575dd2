package nmhost

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
)

// requestID is the id of the one request a Web eID host sends.
const requestID = "webeid"

// agentReply is a message from the agent: a reply, or an event to skip.
type agentReply struct {
	ID     *string         `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *agent.Error    `json:"error"`
}

// runCommand relays cmd to the agent with cmd's origin as the relay's
// claim and returns the answer for the extension. When the extension
// closes the pipe (its own time-out, the page went away) the agent's
// connection closes, which ends the dialog as a page's cancel does.
func (h host) runCommand(ctx context.Context, cmd webEIDCommand, in io.Reader) any {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { io.Copy(io.Discard, in); cancel() }()
	lang := ui.PickLang(cmd.lang)
	ws, refused, err := h.dial(ctx, cmd.origin)
	if err != nil {
		// Refused or not running: one answer, as on the websocket path.
		h.log.Warn("the agent is not available", "origin", cmd.origin, "refused", refused, "err", err)
		return errorReply{fatal(lang, "unavailable", "")}
	}
	defer ws.Close()
	stop := context.AfterFunc(ctx, func() { ws.Close() })
	defer stop()
	r, err := askAgent(ws, cmd)
	switch {
	case err != nil && ctx.Err() != nil:
		h.log.Info("the extension went away before the answer", "command", cmd.name)
		return errorReply{fromAgent(&agent.Error{Code: agent.CodeUserCancelled}, lang)}
	case err != nil:
		h.log.Error("relaying a Web eID command", "command", cmd.name, "err", err)
		return errorReply{fatal(lang, "failed", "")}
	case r.Error != nil:
		h.log.Info("the agent refused a Web eID command", "command", cmd.name, "code", r.Error.Code)
		return errorReply{fromAgent(r.Error, lang)}
	}
	res, err := webEIDResult(cmd.name, r.Result)
	if err != nil {
		h.log.Error("the agent's answer", "command", cmd.name, "err", err)
		return errorReply{fatal(lang, "failed", "")}
	}
	return res
}

// askAgent sends cmd as a request of the agent's protocol and returns
// its reply, skipping the reader events every connection receives.
func askAgent(ws *websocket.Conn, cmd webEIDCommand) (agentReply, error) {
	req := map[string]any{"id": requestID, "op": cmd.op}
	if len(cmd.params) > 0 {
		req["params"] = cmd.params
	}
	if cmd.lang != "" {
		req["lang"] = cmd.lang
	}
	if err := ws.WriteJSON(req); err != nil {
		return agentReply{}, fmt.Errorf("writing to the agent: %w", err)
	}
	ws.SetReadLimit(MaxToBrowser)
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return agentReply{}, fmt.Errorf("reading from the agent: %w", err)
		}
		var r agentReply
		if err := json.Unmarshal(data, &r); err != nil {
			return agentReply{}, fmt.Errorf("the agent's message: %w", err)
		}
		if r.ID != nil && *r.ID == requestID {
			return r, nil
		}
	}
}

// webEIDToken is the web-eid:1.0 token exactly as the extension passes
// it on: these five fields, each non-empty.
type webEIDToken struct {
	UnverifiedCertificate string `json:"unverifiedCertificate"`
	Algorithm             string `json:"algorithm"`
	Signature             string `json:"signature"`
	Format                string `json:"format"`
	AppVersion            string `json:"appVersion"`
}

// webEIDResult is the agent's result in the command's Web eID shape,
// which the agent's protocol shares field for field; what the extension
// would refuse as incomplete is refused here.
func webEIDResult(command string, raw json.RawMessage) (any, error) {
	switch command {
	case cmdAuthenticate:
		var t webEIDToken
		err := json.Unmarshal(raw, &t)
		if err == nil && (t.UnverifiedCertificate == "" || t.Algorithm == "" || t.Signature == "" || t.Format == "" || t.AppVersion == "") {
			err = fmt.Errorf("an incomplete token")
		}
		return t, err
	case cmdSigningCert:
		var c agent.SigningCertificateResult
		err := json.Unmarshal(raw, &c)
		if err == nil && (c.Certificate == "" || len(c.SupportedSignatureAlgorithms) == 0) {
			err = fmt.Errorf("no certificate or no algorithms")
		}
		return c, err
	case cmdSign:
		var s agent.SignResult
		err := json.Unmarshal(raw, &s)
		if err == nil && (s.Signature == "" || s.SignatureAlgorithm.HashFunction == "") {
			err = fmt.Errorf("no signature or no algorithm")
		}
		return s, err
	}
	return nil, fmt.Errorf("no result shape for %q", command)
}

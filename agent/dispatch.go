package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"

	"github.com/eidbridge/eidbridge/agent/ui"
)

// operation is one entry of the protocol's operation table. parse runs
// on the read loop and validates params before anything else happens;
// run does the work. Card operations run one at a time, in their own
// goroutine, so that the page can still send cancel.
type operation struct {
	card  bool
	parse func(json.RawMessage) (any, *Error)
	run   func(op *call, params any) (any, error)
}

var operations map[string]operation

func init() {
	// Assigned in init because the run functions refer back to the table
	// (version lists it).
	operations = map[string]operation{
		OpVersion:               {parse: noParams, run: (*call).version},
		OpStatus:                {parse: noParams, run: (*call).status},
		OpCancel:                {parse: parseCancel, run: (*call).cancelOp},
		OpAuthenticate:          {card: true, parse: parseAuthenticate, run: (*call).authenticate},
		OpReadIdentity:          {card: true, parse: parseReadIdentity, run: (*call).readIdentity},
		OpGetSigningCertificate: {card: true, parse: noParams, run: (*call).getSigningCertificate},
		OpSign:                  {card: true, parse: parseSign, run: (*call).sign},
	}
}

// operationNames is the order version reports.
var operationNames = []string{OpVersion, OpStatus, OpAuthenticate, OpReadIdentity,
	OpGetSigningCertificate, OpSign, OpCancel}

func noParams(raw json.RawMessage) (any, *Error) {
	var none struct{}
	return nil, decodeParams(raw, &none)
}

// handle answers one message from the page.
func (c *conn) handle(data []byte) {
	req, perr := parseRequest(data)
	if !c.bucket.allow(c.s.opts.Now()) {
		c.reply(req.id, nil, newError(CodeRateLimited))
		return
	}
	if req.answer != "" {
		c.log.Warn("refused a request that tried to pass a PIN or answer a dialog", "field", req.answer)
	}
	if perr != nil {
		c.reply(req.id, nil, perr)
		return
	}
	op, ok := operations[req.op]
	if !ok {
		c.reply(req.id, nil, errorf(CodeUnknownOperation, "Unknown operation %q.", shorten(req.op)))
		return
	}
	params, perr := op.parse(req.params)
	if perr != nil {
		c.reply(req.id, nil, perr)
		return
	}
	if op.card {
		c.start(*req.id, req.op, ui.PickLang(req.lang), op, params)
		return
	}
	res, err := op.run(&call{s: c.s, c: c, ctx: c.ctx, name: req.op}, params)
	c.reply(req.id, res, classify(c.ctx, err))
}

// start runs a card operation unless this connection already runs one
// (ACTION_PENDING) or another connection holds the card (BUSY).
func (c *conn) start(id, name, lang string, op operation, params any) {
	c.mu.Lock()
	if c.pending != nil {
		c.mu.Unlock()
		c.reply(&id, nil, newError(CodeActionPending))
		return
	}
	if c.s.sites.waiting(c.origin.String(), c.s.opts.Now()) {
		c.mu.Unlock()
		c.reply(&id, nil, newError(CodeRateLimited))
		return
	}
	if !c.s.cardMu.TryLock() {
		c.mu.Unlock()
		c.reply(&id, nil, newError(CodeBusy))
		return
	}
	ctx, cancel := context.WithCancelCause(c.ctx)
	c.pending = &pending{id: id, cancel: cancel}
	c.s.ops.Add(1)
	c.mu.Unlock()
	go c.runCard(&call{s: c.s, c: c, ctx: ctx, cancel: cancel, name: name, lang: lang}, id, op, params)
}

// runCard runs op and frees the card and the connection before replying,
// so the page may send its next request as soon as it has the answer.
func (c *conn) runCard(cl *call, id string, op operation, params any) {
	defer c.s.ops.Done()
	res, err := runSafely(cl, op, params)
	err = cl.gate(err)
	if err == nil && context.Cause(cl.ctx) != nil {
		err = context.Cause(cl.ctx) // cancelled while the card finished: drop the result
	}
	e := classify(cl.ctx, err)
	c.backOff(cl, e)
	cl.release()
	cl.cancel(nil)
	c.mu.Lock()
	c.pending = nil
	c.mu.Unlock()
	c.s.cardMu.Unlock()
	cl.record(e, err)
	c.reply(&id, res, e)
}

// runSafely turns a panic into an error: a bug in one operation must not
// take the agent down, nor leave the card locked for everyone.
func runSafely(cl *call, op operation, params any) (res any, err error) {
	defer func() {
		if p := recover(); p != nil {
			cl.c.log.Error("operation panicked", "op", cl.name, "panic", p, "stack", string(debug.Stack()))
			res, err = nil, fmt.Errorf("operation %s panicked", cl.name)
		}
	}()
	return op.run(cl, params)
}

// backOff holds the site back after a dialog of its request ended
// without the citizen going ahead (refused, ignored, or closed by the
// page itself), and lets it go after one that succeeded.
func (c *conn) backOff(cl *call, e *Error) {
	switch {
	case e == nil:
		c.s.sites.accepted(c.origin.String())
	case cl.asked && (e.Code == CodeUserCancelled || e.Code == CodeUserTimeout):
		c.s.sites.refused(c.origin.String(), c.s.opts.Now())
	}
}

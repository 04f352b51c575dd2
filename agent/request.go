package agent

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// MaxIDLength bounds a request id.
const MaxIDLength = 128

// maxLangLength bounds a request's language tag.
const maxLangLength = 35

// parsed is a request as read from the wire; id is nil when the message
// had no usable id.
type parsed struct {
	id     *string
	op     string
	params json.RawMessage
	lang   string // the page's language for the dialogs (BCP 47), if it gave one
	// answer names a field or operation by which the page tried to pass a
	// PIN or answer a dialog (for the log; its value is never kept).
	answer string
}

// parseRequest reads {"id", "op", "params"} strictly: anything else,
// including a field that would carry a PIN or a dialog answer, is
// INVALID_REQUEST.
func parseRequest(data []byte) (parsed, *Error) {
	var p parsed
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil || top == nil {
		return p, invalid("the message is not a JSON object")
	}
	var id string
	if raw, ok := top["id"]; ok && json.Unmarshal(raw, &id) == nil && id != "" &&
		len(id) <= MaxIDLength && utf8.ValidString(id) {
		p.id = &id
	} else {
		return p, invalid(`"id" must be a string of 1 to %d characters`, MaxIDLength)
	}
	for k := range top {
		if k == "id" || k == "op" || k == "params" {
			continue
		}
		if k == "lang" {
			if json.Unmarshal(top[k], &p.lang) != nil || len(p.lang) > maxLangLength {
				return p, invalid(`"lang" must be a language tag such as "nl-BE" (at most %d characters)`, maxLangLength)
			}
			continue
		}
		if answersDialog(k) {
			p.answer = k
			return p, refusedAnswer()
		}
		return p, invalid("unknown field %q (a request has id, op, params and lang)", shorten(k))
	}
	if json.Unmarshal(top["op"], &p.op) != nil || p.op == "" {
		return p, invalid(`"op" must be a non-empty string`)
	}
	if answersDialog(p.op) {
		p.answer = "op " + shorten(p.op)
		return p, refusedAnswer()
	}
	return p, p.readParams(top["params"])
}

// readParams checks that params is an object (or absent) and carries no
// PIN or dialog answer.
func (p *parsed) readParams(raw json.RawMessage) *Error {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		p.params = nil
		return nil
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return invalid(`"params" must be an object`)
	}
	for k := range fields {
		if answersDialog(k) {
			p.answer = "params." + k
			return refusedAnswer()
		}
	}
	p.params = raw
	return nil
}

// dialogWords are names a page might use to hand over a PIN or a
// decision; compared lower-case without '-' and '_'.
var dialogWords = map[string]bool{
	"pin": true, "puk": true, "pincode": true, "newpin": true, "oldpin": true, "password": true,
	"enterpin": true, "verifypin": true, "changepin": true, "setpin": true,
	"answer": true, "answerdialog": true, "dialog": true, "allow": true, "consent": true,
	"confirm": true, "approve": true, "accept": true,
}

func answersDialog(name string) bool {
	n := strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(name))
	return dialogWords[n]
}

func refusedAnswer() *Error {
	return invalid("a web page can never enter the PIN or answer eidbridge's dialog; " +
		"the citizen answers in eidbridge's own window")
}

// decodeParams decodes params into v, refusing unknown fields.
func decodeParams(raw json.RawMessage, v any) *Error {
	if len(raw) == 0 {
		raw = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return invalid("params: %s", shorten(strings.TrimPrefix(err.Error(), "json: ")))
	}
	return nil
}

// shorten keeps page-supplied text in messages and logs short.
func shorten(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

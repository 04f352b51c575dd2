package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
)

// output is a command's stdout, read into one fixed buffer so that a PIN
// in it is in no other memory, and wiped after use.
type output struct {
	buf      [maxExecOutput + 1]byte
	n        int
	overflow bool  // more than maxExecOutput bytes
	err      error // a read error other than EOF
}

func (o *output) read(r io.Reader) {
	for o.n < len(o.buf) {
		k, err := r.Read(o.buf[o.n:])
		o.n += k
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			o.err = err
			return
		}
	}
	o.overflow = true
}

func (o *output) wipe() { clear(o.buf[:]) }

// collect reads r to its end in a goroutine. The receiver of done owns
// the output and wipes it; closing abandon instead makes the goroutine
// wipe it itself, whenever the read ends (a grandchild may hold the pipe
// open on systems where the process group is not killed).
func collect(r *os.File) (done <-chan *output, abandon chan struct{}) {
	d := make(chan *output)
	abandon = make(chan struct{})
	go func() {
		o := &output{}
		o.read(r)
		r.Close()
		select {
		case d <- o:
		case <-abandon:
			o.wipe()
		}
	}()
	return d, abandon
}

var (
	jsonTrue   = []byte("true")
	jsonAlways = []byte(`"always"`) // a site question's "remember it"
)

// parseAnswer checks a command's answer against q: the PIN (a fresh
// slice) for a PIN question, nil for an allowed consent or an
// acknowledged PINPad notice, AnswerOnce ({"allow": true}) or
// AnswerAlways ({"allow": "always"}) for a site, ErrCancelled otherwise. The reasons it
// gives never quote the answer.
func parseAnswer(q Question, out []byte) ([]byte, error) {
	var fields map[string]json.RawMessage
	err := json.Unmarshal(out, &fields)
	defer wipeFields(fields)
	if err != nil || fields == nil {
		return nil, cancelledBecause("the command's output is not one JSON object")
	}
	if len(fields) != 1 {
		return nil, cancelledBecause(`the answer must hold exactly one of "pin", "allow" and "cancel"`)
	}
	wantPIN := q.Kind == KindPIN && !q.PINPad
	if raw, ok := fields["cancel"]; ok {
		if bytes.Equal(raw, jsonTrue) {
			return nil, ErrCancelled
		}
		return nil, cancelledBecause(`"cancel" is not true`)
	}
	if raw, ok := fields["pin"]; ok {
		if !wantPIN {
			return nil, cancelledBecause("the command gave a PIN, but the question does not ask for one")
		}
		return pinFromJSON(raw)
	}
	if raw, ok := fields["allow"]; ok {
		switch {
		case wantPIN:
			return nil, cancelledBecause(`the command answered "allow" to a PIN question`)
		case q.Kind == KindSite && bytes.Equal(raw, jsonAlways):
			return []byte(AnswerAlways), nil
		case !bytes.Equal(raw, jsonTrue):
			return nil, cancelledBecause("the command did not allow")
		case q.Kind == KindSite:
			return []byte(AnswerOnce), nil
		}
		return nil, nil
	}
	return nil, cancelledBecause(`the answer holds none of "pin", "allow" and "cancel"`)
}

// pinFromJSON takes the digits out of a JSON string. Escapes are
// refused rather than decoded: a PIN is plain digits, and decoding would
// put it in buffers that are not ours to wipe.
func pinFromJSON(raw []byte) ([]byte, error) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' || !validPIN(raw[1:len(raw)-1]) {
		return nil, cancelledBecause(`"pin" is not a string of 4 to 12 digits`)
	}
	pin := make([]byte, len(raw)-2)
	copy(pin, raw[1:])
	return pin, nil
}

func wipeFields(fields map[string]json.RawMessage) {
	for _, v := range fields {
		clear(v)
	}
}

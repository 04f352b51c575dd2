package demo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// MaxQuestion bounds what Answer reads: a question is a few hundred
// bytes.
const MaxQuestion = 16 << 10

// autoPINUI is the exec UI of AutoPIN: the command line
// Config.AnswerCommand makes for the demo's sites and card, which runs
// Answer.
func (d *setup) autoPINUI() (ui.UI, error) {
	args, err := d.cfg.AnswerCommand(d.allowed(), d.cardDir)
	if err != nil {
		return nil, err
	}
	return &ui.Exec{Args: args, Log: d.log}, nil
}

// Answer is the answerer of AutoPIN, which the agent's exec UI runs for
// every question: it reads one question from in and writes the answer
// to out (ui.Exec's protocol), for the demo's sites only (origins: the
// portal and the AllowOrigins sites), with the PIN stored in the virtual
// card's profile dir, which it reads itself: the PIN never appears on a
// command line or in the environment, where other local users could
// read it. It says on notes what it answered.
func Answer(origins []string, dir string, in io.Reader, out, notes io.Writer) error {
	sites, err := agent.NewAllowlist(origins)
	if err != nil {
		return fmt.Errorf("--origin: %w", err)
	}
	q, err := readQuestion(io.LimitReader(in, MaxQuestion+1))
	if err != nil {
		return fmt.Errorf("not answering: %w", err)
	}
	c, err := virtualcard.Load(dir)
	if err != nil {
		return fmt.Errorf("not answering: %w", err)
	}
	holder, _, err := cardHolder(c)
	if err != nil {
		return fmt.Errorf("not answering: %w", err)
	}
	ans, why := answer(q, sites, holder, c.PIN, dir)
	defer clear(ans)
	defer clear(c.PIN)
	if why != "" {
		fmt.Fprintf(notes, "demo --auto-pin: cancelled the %s question: %s\n", q.Kind, why)
	} else {
		fmt.Fprintf(notes, "demo --auto-pin: answered the %s question (%s) AUTOMATICALLY\n", q.Kind, q.Purpose)
	}
	_, err = out.Write(ans)
	return err
}

// readQuestion reads exactly one ui.Question and nothing else.
func readQuestion(r io.Reader) (ui.Question, error) {
	var q ui.Question
	b, err := io.ReadAll(r)
	if err != nil {
		return q, fmt.Errorf("reading the question: %w", err)
	}
	if len(b) > MaxQuestion {
		return q, fmt.Errorf("the question is longer than %d bytes", MaxQuestion)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		return q, fmt.Errorf("the question is not a JSON question object: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return q, errors.New("the question is followed by more data")
	}
	if q.Kind != ui.KindPIN && q.Kind != ui.KindConsent {
		return q, fmt.Errorf("unknown question kind %q (want pin or consent)", q.Kind)
	}
	if q.Origin == "" {
		return q, errors.New("the question names no site")
	}
	return q, nil
}

// The answers without a PIN; each call gets its own copy, since the
// caller wipes what it is given.
const (
	answerAllow  = `{"allow":true}`
	answerCancel = `{"cancel":true}`
)

// answer decides, for the demo's own sites and card only. It cancels
// rather than risk a PIN try: a card that is not the demo's (with PCSC
// it may be the citizen's real one), a PIN the card refused, or a card
// that has already lost tries. why says why it cancelled; the answer
// holds the PIN for the caller to wipe.
func answer(q ui.Question, sites *agent.Allowlist, holder string, pin []byte, dir string) (out []byte, why string) {
	o, err := agent.ParseOrigin(q.Origin)
	switch {
	case err != nil || !sites.Allows(o):
		return []byte(answerCancel), fmt.Sprintf("it comes from %q, not from the demo portal or an --allow-origin site", q.Origin)
	case q.Holder != holder:
		return []byte(answerCancel), "the card is not the demo's virtual card"
	case q.Kind == ui.KindConsent || q.PINPad:
		return []byte(answerAllow), ""
	case q.WrongPIN:
		return []byte(answerCancel), "the card refused the PIN stored in " + dir + " (changed on the card?)"
	case q.TriesLeft > 0 && q.TriesLeft < virtualcard.MaxPINTries:
		return []byte(answerCancel), fmt.Sprintf("the card has %d PIN tries left; unblock it with: eidbridge vcard unblock %s", q.TriesLeft, dir)
	case !digits(pin):
		return []byte(answerCancel), "the PIN stored in " + dir + " is not 4 to 12 digits"
	}
	out = make([]byte, 0, len(`{"pin":""}`)+len(pin))
	out = append(out, `{"pin":"`...)
	out = append(out, pin...)
	return append(out, `"}`...), ""
}

func digits(b []byte) bool {
	if len(b) < 4 || len(b) > 12 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

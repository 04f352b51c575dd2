package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// answerVerb is the hidden `eidbridge demo auto-pin-answer --origin O... DIR`:
// the exec: UI command of `demo --auto-pin`. It answers one question of
// the agent (ui.Exec's protocol), for the demo's sites only (the portal
// and --allow-origin), with the PIN stored in the virtual card's
// profile DIR, which it reads itself: the PIN never appears on a command
// line or in the environment, where other local users could read it.
const answerVerb = "auto-pin-answer"

// maxQuestion bounds what the answerer reads: a question is a few
// hundred bytes.
const maxQuestion = 16 << 10

// autoPINUI is the exec UI that re-invokes this binary as the answerer.
func autoPINUI(d *demo, log *slog.Logger) (ui.UI, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("--auto-pin: finding this program: %w", err)
	}
	args := []string{exe, "demo", answerVerb}
	for _, o := range d.allowed() {
		args = append(args, "--origin", o)
	}
	return &ui.Exec{Args: append(args, d.cardDir), Log: log}, nil
}

func runAnswer(args []string) error {
	fs := flag.NewFlagSet("demo "+answerVerb, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: eidbridge demo %s --origin ORIGIN... PROFILE_DIR < question.json\n", answerVerb)
	}
	var origins pathsFlag
	fs.Var(&origins, "origin", "a site to answer for (repeatable): the demo's portal, --allow-origin sites")
	dir, err := parseDir(fs, args)
	if err != nil {
		return err
	}
	if len(origins) == 0 {
		return errors.New("--origin is required: the demo portal's origin")
	}
	sites, err := agent.NewAllowlist(origins)
	if err != nil {
		return fmt.Errorf("--origin: %w", err)
	}
	q, err := readQuestion(io.LimitReader(os.Stdin, maxQuestion+1))
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
	out, why := answer(q, sites, holder, c.PIN, dir)
	defer clear(out)
	defer clear(c.PIN)
	if why != "" {
		fmt.Fprintf(os.Stderr, "demo --auto-pin: cancelled the %s question: %s\n", q.Kind, why)
	} else {
		fmt.Fprintf(os.Stderr, "demo --auto-pin: answered the %s question (%s) AUTOMATICALLY\n", q.Kind, q.Purpose)
	}
	_, err = os.Stdout.Write(out)
	return err
}

// readQuestion reads exactly one ui.Question and nothing else.
func readQuestion(r io.Reader) (ui.Question, error) {
	var q ui.Question
	b, err := io.ReadAll(r)
	if err != nil {
		return q, fmt.Errorf("reading the question: %w", err)
	}
	if len(b) > maxQuestion {
		return q, fmt.Errorf("the question is longer than %d bytes", maxQuestion)
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
// rather than risk a PIN try: a card that is not the demo's (with --pcsc
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

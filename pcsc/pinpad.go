package pcsc

import (
	"fmt"
	"time"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
)

var _ eid.PINPad = (*Card)(nil)

// keyRelease is waited before the reader starts listening to its keypad.
// On keyboards with a built-in PIN pad the Enter key that started the
// operation may still be down, and the reader could take it as OK on an
// empty PIN; the Belgian minidriver waits 100 ms for the same reason.
var keyRelease = 100 * time.Millisecond

// PINPadFeatures reports whether the reader can verify and change the
// PIN on its keypad, through the DIRECT feature or the START/FINISH pair
// (see keypadOp.plan). Any doubt (no feature list, a denied reader, a
// reader that misreported earlier on this Card) means false, so the
// caller takes the on-screen dialog.
func (k *Card) PINPadFeatures() (verify, modify bool) {
	fs, err := k.keypad("PIN pad")
	if err != nil {
		return false, false
	}
	_, verify = verifyOp.plan(fs)
	_, modify = modifyOp.plan(fs)
	return verify, modify
}

// VerifyOnPINPad runs FEATURE_VERIFY_PIN_DIRECT (or START and FINISH)
// with cmd as the template the reader completes. The answer is the
// card's, or the reader's own eid.PINPadTimeout, PINPadCancelled, ... as
// the status word. An error wrapping ErrPINPadUnusable means: ask for the
// PIN on the computer.
func (k *Card) VerifyOnPINPad(f eid.PINPadFormat, cmd apdu.Command) (apdu.Response, error) {
	s, err := verifyStructure(f, cmd)
	if err != nil {
		return apdu.Response{}, err
	}
	return k.onPINPad(verifyOp, s)
}

// ModifyOnPINPad runs FEATURE_MODIFY_PIN_DIRECT (or START and FINISH),
// like VerifyOnPINPad: the reader asks the old PIN, then the new one twice.
func (k *Card) ModifyOnPINPad(f eid.PINPadFormat, cmd apdu.Command) (apdu.Response, error) {
	s, err := modifyStructure(f, cmd)
	if err != nil {
		return apdu.Response{}, err
	}
	return k.onPINPad(modifyOp, s)
}

// keypad returns the reader's features if its keypad may be used.
func (k *Card) keypad(op string) (Features, error) {
	if why := deniedPINPad(k.reader); why != "" {
		return nil, fmt.Errorf("pcsc: %s: %w: %q is not used as a PIN pad: %s", op, ErrPINPadUnusable, k.reader, why)
	}
	fs, err := k.Features()
	if err != nil {
		return nil, err
	}
	if err := k.brokenErr(); err != nil {
		return nil, err
	}
	return fs, nil
}

// onPINPad sends structure s for operation o. Inside the caller's
// Transaction (MSE, VERIFY, PSO) it runs as part of it; alone it takes
// its own, as Transmit does.
func (k *Card) onPINPad(o keypadOp, s []byte) (resp apdu.Response, err error) {
	fs, err := k.keypad(o.name)
	if err != nil {
		return resp, err
	}
	p, ok := o.plan(fs)
	if !ok {
		return resp, fmt.Errorf("pcsc: %s: %w: the reader offers neither feature %02X nor the pair %02X/%02X",
			o.name, ErrPINPadUnusable, byte(o.direct), byte(o.start), byte(o.finish))
	}
	time.Sleep(keyRelease)
	run := func() error {
		resp, err = k.control(o.name, p, s)
		return err
	}
	if k.inTx.Load() {
		return resp, run()
	}
	err = k.Transaction(run)
	return resp, err
}

// control runs one keypad operation, holding the card like a command:
// for a START/FINISH pair no other command may reach the card while the
// reader waits for the keypad.
func (k *Card) control(op string, p keypadPlan, s []byte) (apdu.Response, error) {
	k.xMu.Lock()
	defer k.xMu.Unlock()
	if err := k.usable(); err != nil {
		return apdu.Response{}, wrapCard(op, err)
	}
	out, err := k.keypadCall(op, p.first, s)
	if err == nil && p.twoPhase {
		out, err = k.finish(op, p.finish, out)
	}
	if err != nil {
		return apdu.Response{}, err
	}
	return k.answer(op, out)
}

// keypadCall is one SCardControl of a keypad operation. A refusal with
// the card still in place means the reader misreported its keypad.
func (k *Card) keypadCall(op string, code uint32, in []byte) ([]byte, error) {
	out, err := k.h.Control(code, in)
	switch {
	case err != nil && misreport(err) && k.cardPresent():
		return nil, k.markBroken(op, err)
	case err != nil:
		return nil, k.fail(op, err)
	}
	return out, nil
}

// answer reads the final answer of a keypad operation: SW1 SW2 (and any
// data) from the card, or the reader's own status word.
func (k *Card) answer(op string, out []byte) (apdu.Response, error) {
	if len(out) < 2 {
		return apdu.Response{}, k.probe(op, fmt.Errorf("reader returned %d bytes without a status word", len(out)))
	}
	resp, _ := apdu.ParseResponse(out) // cannot fail: 2 bytes or more
	if resp.SW == swBadStructure {
		return apdu.Response{}, k.markBroken(op, fmt.Errorf("the reader rejected the PIN structure: %w", resp.SW))
	}
	return resp, nil
}

// cardPresent tells a reader's refusal from a card pulled mid-entry,
// which some drivers report with the same code.
func (k *Card) cardPresent() bool {
	st, err := k.h.Status()
	return err == nil && !cardAbsent(st.State)
}

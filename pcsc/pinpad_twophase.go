package pcsc

import (
	"fmt"

	"github.com/eidbridge/eidbridge/apdu"
)

// keypadOp names the features that run one keypad operation: the DIRECT
// one, and the START/FINISH pair that does the same in two calls.
type keypadOp struct {
	name                  string
	direct, start, finish Feature
}

var (
	verifyOp = keypadOp{"verify PIN on PIN pad", FeatureVerifyPINDirect, FeatureVerifyPINStart, FeatureVerifyPINFinish}
	modifyOp = keypadOp{"change PIN on PIN pad", FeatureModifyPINDirect, FeatureModifyPINStart, FeatureModifyPINFinish}
)

// keypadPlan is how a reader runs an operation: one call to first, or,
// with twoPhase, START (first) with the structure then FINISH with none.
type keypadPlan struct {
	first, finish uint32
	twoPhase      bool
}

// plan prefers DIRECT and falls back to a complete START/FINISH pair, as
// the Belgian middleware and OpenSC do. The CCID driver of pcsc-lite and
// macOS only offers DIRECT, so the pair matters for the few Windows
// vendor drivers that list START/FINISH alone; it costs little since
// both take the same structure and FINISH brings the same answer.
func (o keypadOp) plan(fs Features) (keypadPlan, bool) {
	if code, ok := fs[o.direct]; ok {
		return keypadPlan{first: code}, true
	}
	start, okStart := fs[o.start]
	finish, okFinish := fs[o.finish]
	return keypadPlan{first: start, finish: finish, twoPhase: true}, okStart && okFinish
}

// finish completes a START/FINISH pair. START answers nothing when entry
// has begun; FINISH then blocks until the citizen is done (or the
// reader's timeout) and returns the card's answer like DIRECT. A START
// that answers anything else (6B80 for a structure it refuses) is not
// followed up: the pair is marked unusable and the dialog takes over.
func (k *Card) finish(op string, code uint32, started []byte) ([]byte, error) {
	switch {
	case len(started) == 2:
		sw := apdu.Status(uint16(started[0])<<8 | uint16(started[1]))
		return nil, k.markBroken(op, fmt.Errorf("the reader refused to start PIN entry: %w", sw))
	case len(started) != 0:
		return nil, k.markBroken(op, fmt.Errorf("the reader answered START with %d bytes, want none", len(started)))
	}
	return k.keypadCall(op, code, nil)
}

package eid

import (
	"bytes"
	"errors"
	"sync"
	"time"

	"github.com/eidbridge/eidbridge/apdu"
)

// session remembers what this process has seen of the card session: the
// current DF, the key of the last MSE:SET and the PIN state, learned from
// the answers to the commands the Card sends. It wraps the Card's
// Transport, so it sees every command the package sends once installed,
// reads included (see Card.session). It saves APDUs only: whenever it may
// be stale the card has the last word (a refused MSE or PSO is retried
// the safe way), and any transport error (card removed or reset, pcscd
// gone) forgets everything, since the card session may have ended.
type session struct {
	Transport

	mu    sync.Mutex
	df    dfState
	seKey byte      // key of the last MSE:SET that succeeded; 0 for none
	pin   PINState  // meaningful while pinAt is not zero
	pinAt time.Time // when pin was learned
	auth  bool      // the authentication key's "PIN once" right is held
}

// dfState is what the session knows of the current DF.
type dfState int

const (
	dfUnknown dfState = iota
	dfBelpic          // 3F00/DF00, where the keys are
	dfOther           // the MF, DF01 or another application
)

// pinStateReuse is how long a PIN state this process learned stands in
// for a new status query before a PIN prompt. The status query is read
// before the prompt anyway, so the card may change while the citizen
// types; a state a moment older is no weaker. It spares the second query
// when a caller reads PINStatus to build its dialog and then signs, and
// the query between two signatures of a batch.
const pinStateReuse = 2 * time.Second

// clock is time.Now, replaceable in tests.
var clock = time.Now

// session returns the card's session, which Open installs before its
// first command. A Card, like its transport, serves one goroutine at a
// time.
func (c *Card) session() *session {
	if s, ok := c.t.(*session); ok {
		return s
	}
	s := &session{Transport: c.t}
	c.t = s
	return s
}

// Transmit sends cmd and learns from the answer.
func (s *session) Transmit(cmd apdu.Command) (apdu.Response, error) {
	resp, err := s.Transport.Transmit(cmd)
	s.observe(cmd, resp.SW, err)
	return resp, err
}

func (s *session) observe(cmd apdu.Command, sw apdu.Status, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.forget()
		return
	}
	switch {
	case cmd.CLA == 0x80 && cmd.INS == 0xE6: // LOG OFF drops every right
		s.auth, s.pin.Verified = false, false
	case cmd.CLA != 0x00:
	case cmd.INS == 0xA4:
		s.df = dfAfterSelect(cmd, sw)
	case cmd.INS == 0x22:
		s.seKey = 0
		if sw == apdu.OK && len(cmd.Data) == 5 {
			s.seKey = cmd.Data[4]
		}
	case cmd.INS == 0x20 || cmd.INS == 0x24:
		s.notePIN(sw, cmd.INS == 0x24 || len(cmd.Data) == 0)
	case cmd.INS == 0x2A && sw == apdu.SecurityNotSatisfied && s.seKey == byte(KeyAuth):
		s.auth = false
	}
}

// forget: a new card session may have begun.
func (s *session) forget() {
	s.df, s.seKey, s.auth = dfUnknown, 0, false
	s.pin, s.pinAt = PINState{}, time.Time{}
}

// notePIN reads a VERIFY or CHANGE REFERENCE DATA answer. grants is set
// for a status query (9000: the PIN is verified) and for a PIN change; a
// VERIFY with a PIN grants the persistent right unless it comes inside a
// non-repudiation sequence (MSE on key 83), whose right is one-shot
// (beid-card.md §3.7). A wrong PIN drops every right.
func (s *session) notePIN(sw apdu.Status, grants bool) {
	if n, ok := sw.TriesLeft(); ok {
		s.auth = false
		s.setPIN(PINState{TriesLeft: n, Blocked: n == 0})
		return
	}
	switch sw {
	case apdu.OK:
		s.auth = s.auth || grants || s.seKey != byte(KeySign)
		s.setPIN(PINState{TriesLeft: pinMaxTries, Verified: s.auth})
	case apdu.AuthMethodBlocked:
		s.auth = false
		s.setPIN(PINState{Blocked: true})
	}
}

func (s *session) setPIN(st PINState) { s.pin, s.pinAt = st, clock() }

// recentPIN returns the PIN state learned less than pinStateReuse ago.
func (s *session) recentPIN() (PINState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pinAt.IsZero() || clock().Sub(s.pinAt) >= pinStateReuse {
		return PINState{}, false
	}
	return s.pin, true
}

// authHeld reports whether this process saw the card grant the
// authentication key's PIN right, with nothing since that drops it.
func (s *session) authHeld() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.auth
}

func (s *session) currentDF() dfState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.df
}

// AID of DF00, the PKCS#15 application (beid-card.md §1.2).
var belpicDFAID = []byte{0xA0, 0x00, 0x00, 0x01, 0x77, 0x50, 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35}

// dfAfterSelect: a SELECT by AID or path that succeeded makes its DF, or
// an EF's parent, current. Anything else (a failure, which may or may not
// move the card; a relative FID) leaves the DF unknown.
func dfAfterSelect(cmd apdu.Command, sw apdu.Status) dfState {
	if sw != apdu.OK {
		return dfUnknown
	}
	switch cmd.P1 {
	case 0x04:
		if bytes.Equal(cmd.Data, belpicDFAID) {
			return dfBelpic
		}
		return dfOther
	case 0x08:
		p := bytes.TrimPrefix(cmd.Data, []byte{0x3F, 0x00})
		// DF00 itself or an EF in it (DF00 holds no DF).
		if (len(p) == 2 || len(p) == 4) && p[0] == 0xDF && p[1] == 0x00 {
			return dfBelpic
		}
		return dfOther
	}
	return dfUnknown
}

// errNoPINPad: a keypad operation on a transport without a keypad; the
// callers check PINPadFeatures first, so this is a programming error.
var errNoPINPad = errors.New("eid: the reader has no PIN keypad")

// The session is a PINPad exactly when its transport is one.

func (s *session) PINPadFeatures() (verify, modify bool) {
	if pp, ok := s.Transport.(PINPad); ok {
		return pp.PINPadFeatures()
	}
	return false, false
}

func (s *session) VerifyOnPINPad(f PINPadFormat, cmd apdu.Command) (apdu.Response, error) {
	return s.onPINPad(cmd, func(pp PINPad) (apdu.Response, error) { return pp.VerifyOnPINPad(f, cmd) })
}

func (s *session) ModifyOnPINPad(f PINPadFormat, cmd apdu.Command) (apdu.Response, error) {
	return s.onPINPad(cmd, func(pp PINPad) (apdu.Response, error) { return pp.ModifyOnPINPad(f, cmd) })
}

// onPINPad runs a keypad operation and learns from the card's verdict;
// the reader's own status words (64xx) match nothing in notePIN.
func (s *session) onPINPad(cmd apdu.Command, op func(PINPad) (apdu.Response, error)) (apdu.Response, error) {
	pp, ok := s.Transport.(PINPad)
	if !ok {
		return apdu.Response{}, errNoPINPad
	}
	resp, err := op(pp)
	s.observe(cmd, resp.SW, err)
	return resp, err
}

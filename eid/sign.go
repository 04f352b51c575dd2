package eid

import (
	"crypto"
	"errors"
	"fmt"

	"github.com/eidbridge/eidbridge/apdu"
)

// KeyRole names a citizen key by its card reference (beid-card.md §2.3).
type KeyRole byte

const (
	// KeyAuth is the authentication key (82): the PIN once per card session.
	KeyAuth KeyRole = 0x82
	// KeySign is the non-repudiation key (83) behind qualified signatures:
	// the PIN right before every signature.
	KeySign KeyRole = 0x83
)

func (r KeyRole) String() string {
	switch r {
	case KeyAuth:
		return "authentication"
	case KeySign:
		return "signature (non-repudiation)"
	}
	return fmt.Sprintf("unknown (%02X)", byte(r))
}

func (r KeyRole) certFile() (FileID, error) {
	switch r {
	case KeyAuth:
		return FileAuthCert, nil
	case KeySign:
		return FileSignCert, nil
	}
	return FileID{}, fmt.Errorf("%w: %02X", ErrKeyRole, byte(r))
}

// Sign signs digest, the hashFunc hash of the message, with the role's
// key and returns what the card computes: on applet 1.7 an RSA PKCS#1
// v1.5 signature, on 1.8 ECDSA as raw r‖s (96 bytes for P-384; see
// ECDSARawToDER). SHA-256, SHA-384 and SHA-512 work on both applets
// (and SHA-1 on 1.7). The PIN comes from prompt, or from the reader's
// keypad when it has one; see Signer for the PIN rules and RSA-PSS.
func (c *Card) Sign(role KeyRole, hashFunc crypto.Hash, digest []byte, prompt PINPrompt) ([]byte, error) {
	return c.sign(role, digest, hashFunc, prompt)
}

// sign runs one signature with the fewest APDUs that stay safe. The
// minimum is MSE:SET, VERIFY, PSO and its GET RESPONSE; what may come on
// top, and why:
//
//   - the PIN status query (empty VERIFY), before any PIN prompt: it gives
//     the tries left for the prompt and guarantees that no VERIFY goes to
//     a blocked card. It is skipped when this Card learned the PIN state
//     less than pinStateReuse ago (a PINStatus the caller just read for
//     its dialog, or the previous signature of a batch), and for the
//     authentication key when this Card saw the card grant its PIN right:
//     MSE and PSO are then tried at once, and a 6982 (the right was lost
//     meanwhile) costs the status query and the PIN after all; a PSO
//     without the right spends no try and sends no PIN.
//   - SELECT DF00, only when the session knows another DF is current;
//     see setSEInDF00.
//
// The PIN is asked outside any transaction; MSE:SET → [VERIFY] → PSO run
// in one, so the non-repudiation VERIFY comes right before its PSO.
func (c *Card) sign(role KeyRole, digest []byte, opts crypto.SignerOpts, prompt PINPrompt) ([]byte, error) {
	if _, err := role.certFile(); err != nil {
		return nil, err
	}
	m, err := c.mechanism(digest, opts)
	if err != nil {
		return nil, err
	}
	needPIN := role == KeySign || !c.session().authHeld()
	var st PINState
	if needPIN {
		if st, err = c.pinStateForPrompt(); err != nil {
			return nil, err
		}
		needPIN = role == KeySign || !st.Verified
	}
	sig, err := c.signOnce(role, m, st, needPIN, prompt)
	if needPIN || !errors.Is(err, apdu.SecurityNotSatisfied) {
		return sig, err
	}
	// The authentication right is gone (another application logged off,
	// or it was only a one-shot non-repudiation right): ask the PIN, once.
	if st, err = c.checkedPINStatus(); err != nil {
		return nil, err
	}
	return c.signOnce(role, m, st, true, prompt)
}

// signOnce gets the PIN if needed and runs the card sequence.
func (c *Card) signOnce(role KeyRole, m mechanism, st PINState, needPIN bool, prompt PINPrompt) ([]byte, error) {
	var pad PINPad
	var block [pinBlockLen]byte
	defer wipe(block[:])
	if needPIN {
		req := PINRequest{Purpose: PurposeSign, Role: role, TriesLeft: st.TriesLeft}
		if pad = c.pinPad(false); pad != nil {
			if err := announcePINPad(prompt, req); err != nil {
				return nil, err
			}
		} else {
			pin, err := ask(prompt, req)
			if err != nil {
				return nil, err
			}
			block = pinBlock(pin)
			wipe(pin)
		}
	}
	var sig []byte
	err := c.t.Transaction(func() error {
		if err := c.setSEInDF00(role, m.alg); err != nil {
			return err
		}
		if needPIN {
			if err := c.verifyForSign(role, pad, block[:]); err != nil {
				return err
			}
		}
		var err error
		sig, err = c.pso(role, m.dtbs)
		return err
	})
	return sig, err
}

// verifyForSign is the VERIFY between MSE and PSO, from the PIN block or
// on the keypad (eid-mw's order too: MSE before the keypad VERIFY, so
// the keypad round trip is the VERIFY "just before" the PSO).
func (c *Card) verifyForSign(role KeyRole, pad PINPad, block []byte) error {
	var resp apdu.Response
	var err error
	result := pinResult
	if pad != nil {
		resp, err = pad.VerifyOnPINPad(BelgianPINPadFormat, pinPadVerifyTemplate())
		result = pinPadResult
	} else {
		resp, err = c.sendVerify(block)
	}
	if err != nil {
		return &SignError{role, "VERIFY", err}
	}
	return result("VERIFY", resp.SW)
}

// pso is PSO: COMPUTE DIGITAL SIGNATURE, sent as case 3 (no Le) as the
// T=0 card expects; the transport fetches the 61xx answer with GET
// RESPONSE.
func (c *Card) pso(role KeyRole, dtbs []byte) ([]byte, error) {
	const step = "PSO: COMPUTE DIGITAL SIGNATURE"
	resp, err := c.t.Transmit(apdu.Command{INS: 0x2A, P1: 0x9E, P2: 0x9A, Data: dtbs, Le: apdu.NoLe})
	if err == nil {
		err = resp.Err()
	}
	if err != nil {
		return nil, &SignError{role, step, err}
	}
	if len(resp.Data) == 0 {
		return nil, &SignError{role, step, errors.New("the card returned no signature")}
	}
	return resp.Data, nil
}

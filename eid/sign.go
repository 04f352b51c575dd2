package eid

import (
	"crypto"
	"errors"
	"fmt"

	"github.com/eidbridge/eidbridge/eid/apdu"
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

// fileBelpicDF is the PKCS#15 DF that eid-mw selects before MSE on 1.7+.
var fileBelpicDF = FileID{"BELPIC directory (DF00)", []byte{0x3F, 0x00, 0xDF, 0x00}}

// Sign signs digest, the hashFunc hash of the message, with the role's
// key and returns what the card computes: on applet 1.7 an RSA PKCS#1
// v1.5 signature, on 1.8 ECDSA as raw r‖s (96 bytes for P-384; see
// ECDSARawToDER). SHA-256, SHA-384 and SHA-512 work on both applets
// (and SHA-1 on 1.7). The PIN comes from prompt, or from the reader's
// keypad when it has one; see Signer for the PIN rules and RSA-PSS.
func (c *Card) Sign(role KeyRole, hashFunc crypto.Hash, digest []byte, prompt PINPrompt) ([]byte, error) {
	return c.sign(role, digest, hashFunc, prompt)
}

// sign runs one signature. Order, chosen to spend the fewest APDUs while
// never sending a VERIFY to a blocked card nor asking a PIN the card does
// not need:
//
//  1. the empty VERIFY status (one APDU): blocked → ErrPINBlocked at once;
//     otherwise it gives the tries left for the prompt and, for the
//     authentication key, whether the PIN is already verified;
//  2. the PIN from prompt or keypad, outside any transaction, when needed:
//     always for KeySign, for KeyAuth only when not yet verified;
//  3. one transaction: SELECT DF00 → MSE:SET → [VERIFY] → PSO.
//
// Trying the PSO first would cost a failing MSE+PSO whenever the PIN is
// not verified, and the status query would still be needed for the tries
// and the blocked check. If the status said "verified" but the PSO still
// answers 6982 (another application logged off, or the right was the
// one-shot non-repudiation one), the authentication key asks the PIN and
// runs once more; there is no further retry.
func (c *Card) sign(role KeyRole, digest []byte, opts crypto.SignerOpts, prompt PINPrompt) ([]byte, error) {
	if _, err := role.certFile(); err != nil {
		return nil, err
	}
	m, err := c.mechanism(digest, opts)
	if err != nil {
		return nil, err
	}
	st, err := c.checkedPINStatus()
	if err != nil {
		return nil, err
	}
	needPIN := role == KeySign || !st.Verified
	sig, err := c.signOnce(role, m, st, needPIN, prompt)
	if !needPIN && errors.Is(err, apdu.SecurityNotSatisfied) {
		if st, err = c.checkedPINStatus(); err != nil {
			return nil, err
		}
		sig, err = c.signOnce(role, m, st, true, prompt)
	}
	return sig, err
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
		if err := c.selectFile(fileBelpicDF); err != nil {
			return &SignError{role, "SELECT DF00", err}
		}
		if err := c.setSE(role, m.alg); err != nil {
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

// setSE is MSE:SET (00 22 41 B6 05 04 80 alg 84 key).
func (c *Card) setSE(role KeyRole, alg byte) error {
	data := []byte{0x04, 0x80, alg, 0x84, byte(role)}
	resp, err := c.t.Transmit(apdu.Command{INS: 0x22, P1: 0x41, P2: 0xB6, Data: data, Le: apdu.NoLe})
	if err == nil {
		err = resp.Err()
	}
	if err != nil {
		return &SignError{role, fmt.Sprintf("MSE:SET (algorithm %02X)", alg), err}
	}
	return nil
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

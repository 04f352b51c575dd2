package virtualcard

import (
	"crypto"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// A profile directory holds one virtual card:
//
//	card.json          applet, chip serial, life cycle, PIN, PIN tries
//	                   left, and the identity the files were built from
//	files/<PATH>.bin   every card file as the card serves it, e.g.
//	                   files/3F00DF014031.bin, so the card is byte-for-byte
//	                   stable across runs (ECDSA signatures are random)
//	auth-key.pem, sign-key.pem, basic-key.pem   keys 82, 83, 81 (0600)
//	root-ca.pem        the test root: the trust anchor for the
//	                   authentication and signature certificates
//	rrn-ca.pem         the RRN certificate (also file 503C): relying
//	                   parties pin it to trust identity and address data,
//	                   since a valid chain to the root alone would accept
//	                   any certificate the root ever issued
//	pki/               the test PKI, unless Options.PKIDir shares one
const (
	cardJSONName = "card.json"
	filesDirName = "files"
	rootPEMName  = "root-ca.pem"
	rrnPEMName   = "rrn-ca.pem"
)

var keyFiles = [3]string{"auth-key.pem", "sign-key.pem", "basic-key.pem"}

// Card life cycle states (GET CARD DATA byte 27).
const (
	LifeCycleSelectable   byte = 0x07
	LifeCyclePersonalized byte = 0x0F
)

// MaxPINTries is the cardholder PIN's try counter when unblocked.
const MaxPINTries = 3

// Init creates a new card profile in dir (which may exist but must not
// hold a profile yet).
func Init(dir string, opts Options) error {
	if _, err := os.Stat(filepath.Join(dir, cardJSONName)); err == nil {
		return fmt.Errorf("profile %s already exists; remove it or choose another directory", dir)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("profile %s: %w", dir, err)
	}
	c, id, err := NewContent(opts, time.Now(), filepath.Join(dir, "pki"))
	if err != nil {
		return err
	}
	return writeProfile(dir, c, id)
}

// NewContent builds a complete card from opts: keys, certificates issued
// from the test PKI in opts.PKIDir (defaultPKI when empty), and files.
func NewContent(opts Options, now time.Time, defaultPKI string) (*Content, *Identity, error) {
	applet := opts.Applet
	if applet == 0 {
		applet = Applet18
	}
	if applet != Applet17 && applet != Applet18 {
		return nil, nil, fmt.Errorf("applet %#02x: want 1.7 (0x17) or 1.8 (0x18)", applet)
	}
	pin := or(opts.PIN, defaultPIN)
	if err := CheckPIN(pin); err != nil {
		return nil, nil, err
	}
	id, err := resolve(opts, now)
	if err != nil {
		return nil, nil, err
	}
	family := FamilyFor(applet)
	pki, err := LoadOrCreatePKI(or(opts.PKIDir, defaultPKI), family, opts.PKIURL, now)
	if err != nil {
		return nil, nil, err
	}
	c := &Content{Applet: applet, LifeCycle: LifeCyclePersonalized, PIN: []byte(pin), PINTries: MaxPINTries}
	c.ChipSerial = chipSerial(id.CardNumber, applet)
	for _, k := range []*crypto.Signer{&c.AuthKey, &c.SignKey, &c.BasicKey} {
		if *k, err = NewKey(family); err != nil {
			return nil, nil, fmt.Errorf("generate key: %w", err)
		}
	}
	spec, err := cardSpec(c, id, pki)
	if err != nil {
		return nil, nil, err
	}
	if c.Files, err = BuildFiles(spec); err != nil {
		return nil, nil, err
	}
	return c, id, nil
}

// cardSpec issues the user certificates and gathers what BuildFiles needs.
func cardSpec(c *Content, id *Identity, pki *PKI) (*CardSpec, error) {
	photo, err := Photo(id.GivenNames + " " + id.Surname + " " + id.NationalNumber)
	if err != nil {
		return nil, err
	}
	ca := pki.CitizenCA
	if id.Foreigner {
		ca = pki.ForeignerCA
	}
	s := &CardSpec{Applet: c.Applet, Chip: c.ChipSerial, Identity: id, Photo: photo,
		BasicKey: c.BasicKey, CA: ca.Cert, Root: pki.Root.Cert, RRN: pki.RRN}
	h := Holder{Surname: id.Surname, GivenNames: id.GivenNames, NationalNumber: id.NationalNumber, Foreigner: id.Foreigner}
	end := id.validTo.Add(24*time.Hour - time.Second)
	if id.AuthCert {
		if s.AuthCert, err = pki.IssueUser(CertAuth, h, c.AuthKey.Public(), id.validFrom, end); err != nil {
			return nil, err
		}
	}
	if id.SignCert {
		if s.SignCert, err = pki.IssueUser(CertSign, h, c.SignKey.Public(), id.validFrom, end); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// chipSerial makes a stable 16-byte chip serial: the "SLIN3f" prefix of
// sample cards, then ten bytes derived from the card number and applet.
func chipSerial(cardNumber string, applet byte) [16]byte {
	var s [16]byte
	h := sha256.Sum256([]byte(fmt.Sprintf("eidbridge chip %s %02x", cardNumber, applet)))
	copy(s[:], "SLIN3f")
	copy(s[6:], h[:10])
	return s
}

// CheckPIN accepts 4 to 12 digits. The error never repeats the PIN.
func CheckPIN(pin string) error {
	if len(pin) < 4 || len(pin) > 12 || !allDigits(pin) {
		return fmt.Errorf("PIN: want 4 to 12 digits (got %d characters)", len(pin))
	}
	return nil
}

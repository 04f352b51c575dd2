package virtualcard

import (
	"bytes"
	"crypto"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/eidbridge/eidbridge/internal/atomicfile"
)

// cardJSON is card.json. The identity is a record for people; the files
// are what the card serves.
type cardJSON struct {
	Applet       string    `json:"applet"`      // "1.7" or "1.8"
	ChipSerial   string    `json:"chip_serial"` // 32 hex digits
	LifeCycle    string    `json:"life_cycle"`  // hex byte: "0F" personalised
	PIN          string    `json:"pin"`
	PINTriesLeft int       `json:"pin_tries_left"`
	Identity     *Identity `json:"identity,omitempty"`
}

// writeProfile writes every part of the profile, card.json last: a
// directory with card.json is a complete profile.
func writeProfile(dir string, c *Content, id *Identity) error {
	files := filepath.Join(dir, filesDirName)
	if err := os.MkdirAll(files, 0o755); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	for path, data := range c.Files {
		if err := os.WriteFile(filepath.Join(files, path+".bin"), data, 0o644); err != nil {
			return fmt.Errorf("profile: %w", err)
		}
	}
	for i, k := range []crypto.Signer{c.AuthKey, c.SignKey, c.BasicKey} {
		if err := writeKeyPEM(filepath.Join(dir, keyFiles[i]), k); err != nil {
			return fmt.Errorf("profile: %w", err)
		}
	}
	for name, path := range map[string]string{rootPEMName: pathRootCert, rrnPEMName: pathRRNCert} {
		der, err := CertDER(c.Files[path])
		if err != nil {
			return fmt.Errorf("profile: file %s: %w", path, err)
		}
		pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		if err := os.WriteFile(filepath.Join(dir, name), pemBytes, 0o644); err != nil {
			return fmt.Errorf("profile: %w", err)
		}
	}
	return writeCardJSON(dir, &cardJSON{
		Applet:       appletName(c.Applet),
		ChipSerial:   fmt.Sprintf("%X", c.ChipSerial[:]),
		LifeCycle:    fmt.Sprintf("%02X", c.LifeCycle),
		PIN:          string(c.PIN),
		PINTriesLeft: c.PINTries,
		Identity:     id,
	})
}

// SaveState persists the card's mutable state (PIN, PIN tries left, life
// cycle) into dir/card.json, atomically, so that a blocked card stays
// blocked across restarts. The rest of card.json is kept as it is.
func SaveState(dir string, c *Content) error {
	if c.PINTries < 0 || c.PINTries > MaxPINTries {
		return fmt.Errorf("save state: PIN tries %d outside 0..%d", c.PINTries, MaxPINTries)
	}
	if err := CheckPIN(string(c.PIN)); err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	j, err := readCardJSON(dir)
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	j.PIN, j.PINTriesLeft = string(c.PIN), c.PINTries
	j.LifeCycle = fmt.Sprintf("%02X", c.LifeCycle)
	return writeCardJSON(dir, j)
}

func readCardJSON(dir string) (*cardJSON, error) {
	b, err := os.ReadFile(filepath.Join(dir, cardJSONName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no card profile in %s (create one with: eidbridge vcard init %s)", dir, dir)
	}
	if err != nil {
		return nil, err
	}
	var j cardJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, fmt.Errorf("%s: corrupt: %w", filepath.Join(dir, cardJSONName), err)
	}
	return &j, nil
}

// writeCardJSON replaces card.json atomically: a crash leaves the old or
// the new file, never half of one.
func writeCardJSON(dir string, j *cardJSON) error {
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	// 0600: it holds the PIN.
	err = atomicfile.Write(filepath.Join(dir, cardJSONName), append(b, '\n'), 0o600, 0o755)
	if err != nil {
		return fmt.Errorf("write card.json: %w", err)
	}
	return nil
}

// CertDER returns the DER certificate at the start of a certificate
// file, without its zero padding; nil for an all-zero (absent) file.
func CertDER(file []byte) ([]byte, error) {
	if len(bytes.TrimLeft(file, "\x00")) == 0 {
		return nil, nil
	}
	var v asn1.RawValue
	if _, err := asn1.Unmarshal(file, &v); err != nil {
		return nil, fmt.Errorf("certificate file: %w", err)
	}
	return v.FullBytes, nil
}

func appletName(a byte) string { return fmt.Sprintf("%d.%d", a>>4, a&0x0F) }

package virtualcard

import (
	"bytes"
	"crypto"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// requiredFiles must be in every profile; 4038/4039 (1.7) or 4040 (1.8)
// are added per applet.
var requiredFiles = []string{
	pathDIR, pathODF, pathTokenInfo, pathAODF, pathPrKDF, pathCDF,
	pathAuthCert, pathSignCert, pathCACert, pathRootCert, pathRRNCert,
	pathIdentity, pathIdentitySig, pathAddress, pathAddressSig, pathPhoto,
}

// Load reads the card profile in dir.
func Load(dir string) (*Content, error) {
	j, err := readCardJSON(dir)
	if err != nil {
		return nil, err
	}
	c, err := contentFromJSON(j)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, cardJSONName), err)
	}
	if c.Files, err = readFiles(filepath.Join(dir, filesDirName)); err != nil {
		return nil, err
	}
	if err := checkFiles(c); err != nil {
		return nil, fmt.Errorf("profile %s: %w", dir, err)
	}
	for i, k := range []*crypto.Signer{&c.AuthKey, &c.SignKey, &c.BasicKey} {
		if *k, err = readKeyPEM(filepath.Join(dir, keyFiles[i])); err != nil {
			return nil, fmt.Errorf("profile %s: %w", dir, err)
		}
	}
	return c, nil
}

func contentFromJSON(j *cardJSON) (*Content, error) {
	c := &Content{PIN: []byte(j.PIN), PINTries: j.PINTriesLeft}
	switch j.Applet {
	case "1.7":
		c.Applet = Applet17
	case "1.8":
		c.Applet = Applet18
	default:
		return nil, fmt.Errorf("applet %q: want 1.7 or 1.8", j.Applet)
	}
	serial, err := hex.DecodeString(j.ChipSerial)
	if err != nil || len(serial) != len(c.ChipSerial) {
		return nil, fmt.Errorf("chip_serial %q: want 32 hex digits", j.ChipSerial)
	}
	copy(c.ChipSerial[:], serial)
	lc, err := strconv.ParseUint(j.LifeCycle, 16, 8)
	if err != nil || (byte(lc) != LifeCyclePersonalized && byte(lc) != LifeCycleSelectable) {
		return nil, fmt.Errorf("life_cycle %q: want 0F (personalised) or 07 (selectable)", j.LifeCycle)
	}
	c.LifeCycle = byte(lc)
	if err := CheckPIN(j.PIN); err != nil {
		return nil, err
	}
	if j.PINTriesLeft < 0 || j.PINTriesLeft > MaxPINTries {
		return nil, fmt.Errorf("pin_tries_left %d: want 0..%d", j.PINTriesLeft, MaxPINTries)
	}
	return c, nil
}

// readFiles loads files/<PATH>.bin; PATH is the upper-case hex path.
func readFiles(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("profile files: %w", err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".bin")
		if !ok || e.IsDir() {
			continue
		}
		if _, err := hex.DecodeString(name); err != nil || name != strings.ToUpper(name) || !strings.HasPrefix(name, "3F00") {
			return nil, fmt.Errorf("profile files: %s is not named after an upper-case hex path from 3F00", e.Name())
		}
		if files[name], err = os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			return nil, fmt.Errorf("profile files: %w", err)
		}
	}
	return files, nil
}

// checkFiles catches a damaged or mixed-up profile: every required file
// is there, and the chip serial in card.json is the one in TokenInfo and
// in the identity file (tag 02).
func checkFiles(c *Content) error {
	need := append([]string(nil), requiredFiles...)
	if c.Applet == Applet18 {
		need = append(need, pathBasicKey)
	} else {
		need = append(need, pathCARoleHash, pathPrefs)
	}
	for _, p := range need {
		if len(c.Files[p]) == 0 {
			return fmt.Errorf("file %s is missing or empty", p)
		}
	}
	if !bytes.Contains(c.Files[pathTokenInfo], c.ChipSerial[:]) {
		return fmt.Errorf("chip serial %X is not the TokenInfo serial", c.ChipSerial)
	}
	fields, err := DecodeTLV(c.Files[pathIdentity])
	if err != nil {
		return fmt.Errorf("identity file: %w", err)
	}
	if chip, _ := FindTLV(fields, 0x02); !bytes.Equal(chip, c.ChipSerial[:]) {
		return fmt.Errorf("chip serial %X is not the identity file's chip number %X", c.ChipSerial, chip)
	}
	return nil
}

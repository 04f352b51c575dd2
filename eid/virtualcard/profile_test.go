package virtualcard

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func initTestProfile(t *testing.T, opts Options) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "card")
	if opts.PKIDir == "" {
		opts.PKIDir = filepath.Join(filepath.Dir(dir), "pki")
	}
	if err := Init(dir, opts); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestInitLoadRoundTrip(t *testing.T) {
	dir := initTestProfile(t, Options{Applet: Applet18, PIN: "987654"})
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Applet != Applet18 || c.LifeCycle != LifeCyclePersonalized || string(c.PIN) != "987654" || c.PINTries != 3 {
		t.Errorf("loaded applet %02X life cycle %02X tries %d", c.Applet, c.LifeCycle, c.PINTries)
	}
	for path, data := range c.Files {
		disk, err := os.ReadFile(filepath.Join(dir, "files", path+".bin"))
		if err != nil || !bytes.Equal(disk, data) {
			t.Errorf("file %s differs from disk (%v)", path, err)
		}
	}
	auth := mustCert(t, c.Files[pathAuthCert])
	if !publicEqual(auth.PublicKey, c.AuthKey.Public()) {
		t.Error("authentication key does not match its certificate")
	}
	sign := mustCert(t, c.Files[pathSignCert])
	if !publicEqual(sign.PublicKey, c.SignKey.Public()) {
		t.Error("signature key does not match its certificate")
	}
	for _, name := range keyFiles {
		if info, err := os.Stat(filepath.Join(dir, name)); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v (%v), want 0600", name, info.Mode().Perm(), err)
		}
	}
	for name, path := range map[string]string{rootPEMName: pathRootCert, rrnPEMName: pathRRNCert} {
		c1, err := readCertPEM(filepath.Join(dir, name))
		if err != nil || !c1.Equal(mustCert(t, c.Files[path])) {
			t.Errorf("%s is not the certificate in %s (%v)", name, path, err)
		}
	}
}

func TestInitRefusesBadInput(t *testing.T) {
	goodNN := NationalNumber{1985, 3, 14, 865}.String()
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"check digits", Options{NationalNumber: goodNN[:9] + "00"}, "check digits"},
		{"short number", Options{NationalNumber: "850314"}, "11 digits"},
		{"PIN letters", Options{PIN: "12a4"}, "PIN: want 4 to 12 digits"},
		{"PIN short", Options{PIN: "123"}, "PIN"},
		{"PIN long", Options{PIN: "1234567890123"}, "PIN"},
		{"applet", Options{Applet: 0x19}, "applet"},
		{"language", Options{Language: "en"}, "language"},
		{"sex", Options{Sex: "X"}, "sex"},
		{"sex vs number", Options{NationalNumber: goodNN, Sex: "F"}, "does not match"},
		{"birth vs number", Options{NationalNumber: goodNN, BirthDate: "1985-03-15"}, "does not match"},
		{"birth format", Options{BirthDate: "14/03/1985"}, "birth date"},
		{"street", Options{Street: strings.Repeat("Lange ", 11)}, "street"},
		{"surname", Options{Surname: "Tab\tName"}, "control character"},
		{"work permit", Options{WorkPermit: "8"}, "only foreigner"},
		{"work permit value", Options{Foreigner: true, WorkPermit: "Z"}, "work permit"},
		{"document type", Options{DocumentType: "abc"}, "document type"},
		{"card number", Options{CardNumber: "592000000000"}, "check digits"},
	} {
		dir := filepath.Join(t.TempDir(), "card")
		err := Init(dir, tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
		if tc.opts.PIN != "" && err != nil && strings.Contains(err.Error(), tc.opts.PIN) {
			t.Errorf("%s: error repeats the PIN: %v", tc.name, err)
		}
		if _, serr := os.Stat(filepath.Join(dir, cardJSONName)); serr == nil {
			t.Errorf("%s: a profile was written despite the error", tc.name)
		}
	}
}

func TestInitRefusesExistingProfile(t *testing.T) {
	dir := initTestProfile(t, Options{})
	before, _ := os.ReadFile(filepath.Join(dir, cardJSONName))
	err := Init(dir, Options{PKIDir: filepath.Join(dir, "..", "pki")})
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second Init: err = %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, cardJSONName))
	if !bytes.Equal(before, after) {
		t.Error("second Init changed card.json")
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "none")); err == nil || !strings.Contains(err.Error(), "no card profile") {
		t.Errorf("missing profile: err = %v", err)
	}
	for _, tc := range []struct {
		name   string
		damage func(dir string) error
		want   string
	}{
		{"corrupt json", func(d string) error { return os.WriteFile(filepath.Join(d, cardJSONName), []byte("{"), 0o600) }, "corrupt"},
		{"missing file", func(d string) error { return os.Remove(filepath.Join(d, "files", pathIdentity+".bin")) }, pathIdentity},
		{"missing key", func(d string) error { return os.Remove(filepath.Join(d, "sign-key.pem")) }, "sign-key.pem"},
		{"bad file name", func(d string) error { return os.WriteFile(filepath.Join(d, "files", "zz.bin"), nil, 0o644) }, "zz.bin"},
		{"tries", func(d string) error { return editJSON(d, func(j *cardJSON) { j.PINTriesLeft = 4 }) }, "pin_tries_left"},
		{"applet", func(d string) error { return editJSON(d, func(j *cardJSON) { j.Applet = "2.0" }) }, "applet"},
		{"serial", func(d string) error {
			return editJSON(d, func(j *cardJSON) { j.ChipSerial = strings.Repeat("00", 16) })
		}, "chip serial"},
	} {
		dir := initTestProfile(t, Options{})
		if err := tc.damage(dir); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}

func editJSON(dir string, edit func(*cardJSON)) error {
	j, err := readCardJSON(dir)
	if err != nil {
		return err
	}
	edit(j)
	return writeCardJSON(dir, j)
}

func TestSaveState(t *testing.T) {
	dir := initTestProfile(t, Options{Surname: "Claes"})
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	c.PINTries, c.PIN = 0, []byte("55667788")
	if err := SaveState(dir, c); err != nil {
		t.Fatal(err)
	}
	again, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.PINTries != 0 || string(again.PIN) != "55667788" {
		t.Errorf("after SaveState: tries %d", again.PINTries)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, cardJSONName))
	var j cardJSON
	if err := json.Unmarshal(raw, &j); err != nil || j.Identity == nil || j.Identity.Surname != "Claes" {
		t.Errorf("SaveState lost the identity record (%v)", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".card-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	c.PINTries = 7
	if err := SaveState(dir, c); err == nil {
		t.Error("SaveState accepted 7 tries")
	}
	if err := SaveState(t.TempDir(), again); err == nil || !strings.Contains(err.Error(), "no card profile") {
		t.Errorf("SaveState without a profile: err = %v", err)
	}
}

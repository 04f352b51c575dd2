package integration

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// TestOpenSCSignsWithVirtualCard has OpenSC's PKCS#11 module make an
// authentication signature with the virtual 1.7 card through pcscd
// (`pkcs11-tool --login --sign`), and checks it with openssl and with Go
// against the certificate eidbridge reads from the card.
//
// Applet 1.8 is not signed with here: Debian bookworm's OpenSC 0.23
// registers only RSA mechanisms for the BELPIC 1.8 applet (ECDSA came in
// OpenSC 0.27), so it cannot sign with that card. That it recognises the
// 1.8 card and reads its certificates is TestOpenSCReadsVirtualCard.
func TestOpenSCSignsWithVirtualCard(t *testing.T) {
	needOpenSC(t)
	module := pkcs11Module(t)
	for _, tool := range []string{"pkcs11-tool", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: install OpenSC and openssl (make deps)", tool)
		}
	}
	pc := newContext(t)
	content := loadFixture(t, "citizen-1.7")
	in := insert(t, pc, virtualcard.New(content))
	defer in.remove(t, pc)

	dir := t.TempDir()
	msg, sig := filepath.Join(dir, "msg"), filepath.Join(dir, "sig")
	if err := os.WriteFile(msg, []byte("signed by OpenSC with a virtual eID\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p11 := []string{"--module", module, "--slot", pkcs11Slot(t, module)}
	objects := openSC(t, "pkcs11-tool", append(p11, "--login", "--pin", "1234", "--list-objects", "--type", "privkey")...)
	openSC(t, "pkcs11-tool", append(p11, "--login", "--pin", "1234", "--sign", "--id", authKeyID(t, objects),
		"--mechanism", "SHA256-RSA-PKCS", "--input-file", msg, "--output-file", sig)...)

	_, card := openEID(t, pc)
	der, err := card.ReadFile(eid.FileAuthCert)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := eid.ParseCertificateFile(der)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := writePublicKey(t, dir, cert.Raw)
	out, err := exec.Command("openssl", "dgst", "-sha256", "-verify", pubPEM, "-signature", sig, msg).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Verified OK") {
		t.Errorf("openssl dgst -verify: %v: %s", err, out)
	}
	m, _ := os.ReadFile(msg)
	s, _ := os.ReadFile(sig)
	sum := crypto.SHA256.New()
	sum.Write(m)
	if err := rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), crypto.SHA256, sum.Sum(nil), s); err != nil {
		t.Errorf("Go: OpenSC's signature does not verify with the card's certificate: %v", err)
	}
	in.remove(t, pc)
	if content.PINTries != virtualcard.MaxPINTries {
		t.Errorf("PIN counter %d after OpenSC signed, want %d", content.PINTries, virtualcard.MaxPINTries)
	}
}

// pkcs11Module finds OpenSC's PKCS#11 module in the multiarch directories.
func pkcs11Module(t *testing.T) string {
	t.Helper()
	for _, pattern := range []string{"/usr/lib/*/opensc-pkcs11.so", "/usr/lib/opensc-pkcs11.so", "/usr/lib64/opensc-pkcs11.so"} {
		if m, _ := filepath.Glob(pattern); len(m) > 0 {
			return m[0]
		}
	}
	t.Fatal("opensc-pkcs11.so not found: install OpenSC (make deps)")
	return ""
}

// pkcs11Slot finds the PKCS#11 slot ID of the test reader in `pkcs11-tool
// -L`, whose lines read "Slot 0 (0x0): Virtual PCD 00 00".
func pkcs11Slot(t *testing.T, module string) string {
	t.Helper()
	out := openSC(t, "pkcs11-tool", "--module", module, "--list-slots")
	re := regexp.MustCompile(`(?m)^Slot \d+ \(0x([0-9a-f]+)\): ` + regexp.QuoteMeta(testReader) + `$`)
	m := re.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("pkcs11-tool lists no slot for %q:\n%s", testReader, out)
	}
	id, err := strconv.ParseUint(m[1], 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatUint(id, 10)
}

// authKeyID is the ID of the private key labelled Authentication.
func authKeyID(t *testing.T, objects string) string {
	t.Helper()
	re := regexp.MustCompile(`Private Key Object;.*\n\s+label:\s+Authentication\n\s+ID:\s+([0-9a-f]+)`)
	m := re.FindStringSubmatch(objects)
	if m == nil {
		t.Fatalf("pkcs11-tool lists no Authentication private key:\n%s", objects)
	}
	return m[1]
}

// writePublicKey writes the certificate as PEM and has openssl extract its
// public key, as a user checking a signature would.
func writePublicKey(t *testing.T, dir string, der []byte) string {
	t.Helper()
	certPEM, pubPEM := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "pub.pem")
	var b bytes.Buffer
	if err := pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: der}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certPEM, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("openssl", "x509", "-in", certPEM, "-pubkey", "-noout").Output()
	if err != nil {
		t.Fatalf("openssl x509 -pubkey: %v", err)
	}
	if err := os.WriteFile(pubPEM, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return pubPEM
}

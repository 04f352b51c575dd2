package packaging

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			msg := fmt.Sprintf("needs %s (Debian: apt install wixl msitools osslsigncode)", tool)
			if os.Getenv("EIDBRIDGE_PCSC_TESTS") == "1" { // make test installs them
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
}

// msiRows exports one table of an MSI as tab-separated rows (without
// msiinfo's three header lines).
func msiRows(t *testing.T, msi, table string) [][]string {
	t.Helper()
	out := run(t, nil, "msiinfo", "export", msi, table)
	lines := strings.Split(strings.TrimRight(out, "\r\n"), "\n")
	var rows [][]string
	for _, l := range lines[min(3, len(lines)):] {
		rows = append(rows, strings.Split(strings.TrimRight(l, "\r"), "\t"))
	}
	return rows
}

// msiRegistry is what the MSI writes under HKEY_CURRENT_USER (root 1 in
// its Registry table): key\name (an empty name for the key's default
// value) -> value.
var msiRegistry = map[string]string{
	`Software\Microsoft\Windows\CurrentVersion\Run\eidbridge`:                    `"[INSTALLDIR]eidbridgew.exe" run`,
	`Software\Google\Chrome\NativeMessagingHosts\be.eidbridge.nm\`:               `[INSTALLDIR]be.eidbridge.nm.chromium.json`,
	`Software\Chromium\NativeMessagingHosts\be.eidbridge.nm\`:                    `[INSTALLDIR]be.eidbridge.nm.chromium.json`,
	`Software\Microsoft\Edge\NativeMessagingHosts\be.eidbridge.nm\`:              `[INSTALLDIR]be.eidbridge.nm.chromium.json`,
	`Software\BraveSoftware\Brave-Browser\NativeMessagingHosts\be.eidbridge.nm\`: `[INSTALLDIR]be.eidbridge.nm.chromium.json`,
	`Software\Mozilla\NativeMessagingHosts\be.eidbridge.nm\`:                     `[INSTALLDIR]be.eidbridge.nm.firefox.json`,
	`Software\eidbridge\InstallDir`:                                              `[INSTALLDIR]`,
}

// The MSI installs for the user alone: the Run value and the browsers'
// native-messaging keys under HKEY_CURRENT_USER, the manifests naming
// the launcher beside them.
func TestMSI(t *testing.T) {
	needTools(t, "wixl", "msiinfo", "msiextract")
	dir := t.TempDir()
	for _, exe := range []string{"eidbridge.exe", "eidbridgew.exe"} {
		if err := os.WriteFile(filepath.Join(dir, exe), []byte("MZ "+exe), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := command(5*time.Minute, "packaging/build-msi.sh", "1.2.3-4-gabc", dir); err != nil {
		t.Fatal(err)
	}
	msi := filepath.Join(dir, "eidbridge-1.2.3-4-gabc.msi")
	got := map[string]string{}
	for _, r := range msiRows(t, msi, "Registry") { // Registry, Root, Key, Name, Value, Component
		if len(r) < 5 || r[1] != "1" {
			t.Errorf("registry row %q is not under HKEY_CURRENT_USER", r)
			continue
		}
		got[r[2]+`\`+r[3]] = r[4]
	}
	for k, v := range msiRegistry {
		if got[k] != v {
			t.Errorf(`HKCU\%s = %q, want %q`, k, got[k], v)
		}
	}
	for _, r := range msiRows(t, msi, "Property") {
		if r[0] == "ALLUSERS" || r[0] == "ProductVersion" && r[1] != "1.2.3" {
			t.Errorf("property %q: want a per-user MSI of version 1.2.3", r)
		}
	}
	checkAgentActions(t, msi)
	files := t.TempDir()
	cmd := exec.Command("msiextract", "-C", files, msi)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("msiextract: %v\n%s", err, out)
	}
	m, err := os.ReadFile(filepath.Join(files, "Programs", "eidbridge", "be.eidbridge.nm.chromium.json"))
	if err != nil || !strings.Contains(string(m), `"path": "nm-host.bat"`) {
		t.Errorf("chromium manifest (%v):\n%s", err, m)
	}
	bat, err := os.ReadFile(filepath.Join(files, "Programs", "eidbridge", "nm-host.bat"))
	if err != nil || !strings.Contains(string(bat), `"%~dp0eidbridge.exe" nm-host %*`) {
		t.Errorf("launcher (%v):\n%s", err, bat)
	}
}

// checkAgentActions checks where the agent's custom actions run: StopAgent
// once the files are known (after CostFinalize) and before InstallValidate
// looks for files in use; StartAgent last, after the old version's
// removal on an upgrade.
func checkAgentActions(t *testing.T, msi string) {
	t.Helper()
	seq := map[string]int{}
	for _, r := range msiRows(t, msi, "InstallExecuteSequence") { // Action, Condition, Sequence
		if len(r) == 3 {
			seq[r[0]], _ = strconv.Atoi(r[2])
		}
	}
	if s := seq["StopAgent"]; s <= seq["CostFinalize"] || s >= seq["InstallValidate"] {
		t.Errorf("StopAgent at %d, want between CostFinalize (%d) and InstallValidate (%d)", s, seq["CostFinalize"], seq["InstallValidate"])
	}
	if s := seq["StartAgent"]; s <= seq["InstallFinalize"] || s <= seq["RemoveExistingProducts"] {
		t.Errorf("StartAgent at %d, want after InstallFinalize (%d) and RemoveExistingProducts (%d)",
			s, seq["InstallFinalize"], seq["RemoveExistingProducts"])
	}
}

// sign.sh signs with a certificate from the environment; a throwaway
// self-signed one verifies, and a changed byte breaks the signature.
func TestSignWindowsProgram(t *testing.T) {
	needTools(t, "osslsigncode")
	dir := t.TempDir()
	exe := filepath.Join(dir, "hello.exe")
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hello\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	build := exec.Command("go", "build", "-o", exe, ".")
	build.Dir, build.Env = dir, append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0", "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building a Windows program: %v\n%s", err, out)
	}
	cert, key := throwawayCert(t, dir)
	run(t, []string{"SIGN_CERT=" + cert, "SIGN_KEY=" + key, "SIGN_TIMESTAMP_URL="}, "windows/sign.sh", exe)
	if out := run(t, nil, "osslsigncode", "verify", "-CAfile", cert, "-in", exe); !strings.Contains(out, "Signature verification: ok") {
		t.Errorf("verify:\n%s", out)
	}
	b, _ := os.ReadFile(exe)
	b[len(b)/3] ^= 0xFF
	os.WriteFile(exe, b, 0o755)
	if out, err := exec.Command("osslsigncode", "verify", "-CAfile", cert, "-in", exe).CombinedOutput(); err == nil {
		t.Errorf("a changed program still verifies:\n%s", out)
	}
}

// throwawayCert writes a self-signed code-signing certificate and key.
func throwawayCert(t *testing.T, dir string) (certPath, keyPath string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "eidbridge test signing"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600)
	return certPath, keyPath
}

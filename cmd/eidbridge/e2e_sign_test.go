package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestCardSignVerifiesWithOpenSSL signs with both keys of both applets
// through pcscd, every hash, and checks each signature with `openssl dgst
// -verify` against the public key of `card cert auth|sign`, as the usage
// text tells users to (DER for ECDSA, with --der).
func TestCardSignVerifiesWithOpenSSL(t *testing.T) {
	needPCSC(t)
	needTool(t, "openssl")
	for _, applet := range []string{"1.7", "1.8"} {
		t.Run(applet, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "card")
			mustRun(t, "vcard", "init", dir, "--applet", applet)
			startVcard(t, dir, applet)
			msg := writeTemp(t, "msg", "a document to sign\n")
			for _, key := range []string{"auth", "sign"} {
				pub := publicKeyOf(t, key)
				for _, hash := range []string{"sha256", "sha384", "sha512"} {
					args := []string{"card", "sign", "--key", key, "--hash", hash, "--reader", e2eReader, "--pin-fd", "3"}
					if applet == "1.8" {
						args = append(args, "--der")
					}
					r := runWithPINs(t, "1234\n", append(args, msg)...)
					if r.code != 0 {
						t.Fatalf("card sign --key %s --hash %s: exit %d: %s", key, hash, r.code, r.stderr)
					}
					if err := opensslVerify(t, hash, pub, r.stdout, msg); err != nil {
						t.Errorf("--key %s --hash %s: %v", key, hash, err)
					}
				}
			}
		})
	}
}

// TestTwoProcessesSignAtOnce starts two `card sign` processes on one card
// at the same moment. Card transactions keep their APDUs apart, so both
// must succeed, or one must say plainly that the card is busy; neither
// may spend a PIN try.
func TestTwoProcessesSignAtOnce(t *testing.T) {
	needPCSC(t)
	needTool(t, "openssl")
	dir := filepath.Join(t.TempDir(), "card")
	mustRun(t, "vcard", "init", dir, "--applet", "1.8")
	startVcard(t, dir, "1.8")
	msg := writeTemp(t, "msg", "signed twice at once\n")
	pub := publicKeyOf(t, "sign")
	var wg sync.WaitGroup
	results := make([]result, 2)
	errs := make([]error, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = runPINs("1234\n", "card", "sign", "--key", "sign", "--hash", "sha384", "--der",
				"--reader", e2eReader, "--pin-fd", "3", msg)
		}()
	}
	wg.Wait()
	ok := 0
	for i, r := range results {
		switch {
		case errs[i] != nil:
			t.Errorf("process %d: %v", i, errs[i])
		case r.code == 0:
			ok++
			if err := opensslVerify(t, "sha384", pub, r.stdout, msg); err != nil {
				t.Errorf("process %d: %v", i, err)
			}
		case strings.Contains(r.stderr, "in use by another application"):
			t.Logf("process %d was told the card is busy: %s", i, r.stderr)
		default:
			t.Errorf("process %d: exit %d, neither a signature nor a busy card: %s", i, r.code, r.stderr)
		}
	}
	if ok == 0 {
		t.Error("neither process signed")
	}
	if out := mustRun(t, "card", "pin", "status", "--reader", e2eReader); !strings.Contains(out, "3 tries left") {
		t.Errorf("card pin status after both: %q, want 3 tries left", out)
	}
}

func needTool(t *testing.T, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Fatalf("%s is missing (make deps installs it)", tool)
	}
}

// runWithPINs runs the binary with pins readable on file descriptor 3.
func runWithPINs(t *testing.T, pins string, args ...string) result {
	t.Helper()
	r, err := runPINs(pins, args...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// runPINs is runWithPINs for other goroutines than the test's.
func runPINs(pins string, args ...string) (result, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return result{}, err
	}
	defer r.Close()
	_, err = w.WriteString(pins)
	w.Close()
	if err != nil {
		return result{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), e2eTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, e2eBin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr, cmd.ExtraFiles = &stdout, &stderr, []*os.File{r}
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) || ctx.Err() != nil {
		return result{}, fmt.Errorf("eidbridge %s: %v", strings.Join(args, " "), err)
	}
	return result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}, nil
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// publicKeyOf writes the public key of `card cert KEY` as PEM, extracted
// with openssl.
func publicKeyOf(t *testing.T, key string) string {
	t.Helper()
	cert := writeTemp(t, key+".pem", mustRun(t, "card", "cert", key, "--reader", e2eReader))
	out, err := exec.Command("openssl", "x509", "-in", cert, "-pubkey", "-noout").Output()
	if err != nil {
		t.Fatalf("openssl x509 -pubkey of the %s certificate: %v", key, err)
	}
	return writeTemp(t, key+"-pub.pem", string(out))
}

// opensslVerify checks a base64 signature printed by `card sign`.
func opensslVerify(t *testing.T, hash, pub, b64, msg string) error {
	t.Helper()
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil {
		return err
	}
	sigFile := writeTemp(t, "sig", string(sig))
	out, err := exec.Command("openssl", "dgst", "-"+hash, "-verify", pub, "-signature", sigFile, msg).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Verified OK") {
		return errors.New("openssl dgst -verify: " + strings.TrimSpace(string(out)))
	}
	return nil
}

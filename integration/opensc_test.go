package integration

import (
	"bytes"
	"context"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// needOpenSC skips without EIDBRIDGE_PCSC_TESTS; with it, OpenSC is part
// of the test environment (make test installs it) and missing it fails.
func needOpenSC(t *testing.T) {
	t.Helper()
	_, err := exec.LookPath("pkcs15-tool")
	if os.Getenv("EIDBRIDGE_PCSC_TESTS") != "1" {
		if err != nil {
			t.Skip("OpenSC test: opensc-tool/pkcs15-tool not installed and EIDBRIDGE_PCSC_TESTS unset")
		}
		needPCSC(t)
	}
	for _, tool := range []string{"opensc-tool", "pkcs15-tool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("EIDBRIDGE_PCSC_TESTS=1 but %s is missing: install OpenSC (make deps)", tool)
		}
	}
}

// TestOpenSCReadsVirtualCard checks that an independent middleware takes
// the virtual card for a Belgian eID: OpenSC's BELPIC driver recognises
// it, its PKCS#15 emulation lists the authentication and signature
// certificates, and the certificates it reads are the card's.
func TestOpenSCReadsVirtualCard(t *testing.T) {
	needOpenSC(t)
	pc := newContext(t)
	for _, name := range []string{"citizen-1.7", "citizen-1.8"} {
		t.Run(name, func(t *testing.T) {
			content := loadFixture(t, name)
			in := insert(t, pc, virtualcard.New(content))
			defer in.remove(t, pc)
			idx := openSCReader(t)
			if out := openSC(t, "opensc-tool", "--reader", idx, "--name"); !strings.Contains(out, "Belpic") {
				t.Errorf("opensc-tool --name: %q, want the Belpic driver", out)
			}
			dump := openSC(t, "pkcs15-tool", "--reader", idx, "--dump")
			for _, c := range []struct {
				label string
				file  eid.FileID
			}{{"Authentication", eid.FileAuthCert}, {"Signature", eid.FileSignCert}} {
				id := certID(t, dump, c.label, c.file)
				pemOut := openSC(t, "pkcs15-tool", "--reader", idx, "--read-certificate", id)
				blk, _ := pem.Decode([]byte(pemOut))
				stored := content.Files[fmt.Sprintf("%X", c.file.Path)]
				n, _ := derLen(stored)
				if blk == nil || !bytes.Equal(blk.Bytes, stored[:n]) {
					t.Errorf("pkcs15-tool --read-certificate %s: not the card's %s", id, c.file.Name)
				}
			}
		})
	}
}

// openSCReader finds OpenSC's index of the test reader: OpenSC numbers
// the readers in pcscd's order, which need not match the vpcd slot.
func openSCReader(t *testing.T) string {
	t.Helper()
	out := openSC(t, "opensc-tool", "--list-readers")
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && strings.HasSuffix(line, testReader) {
			return f[0]
		}
	}
	t.Fatalf("opensc-tool does not list %q:\n%s", testReader, out)
	return ""
}

// certID finds the PKCS#15 ID of the certificate with the given label in
// a pkcs15-tool dump, checking that it points at the expected file.
func certID(t *testing.T, dump, label string, file eid.FileID) string {
	t.Helper()
	re := regexp.MustCompile(`X\.509 Certificate \[` + label + `\]\n(?:\t.*\n)*?\tPath\s+: ([0-9a-f]+)\n(?:\t.*\n)*?\tID\s+: ([0-9a-f]+)`)
	m := re.FindStringSubmatch(dump)
	if m == nil {
		t.Fatalf("pkcs15-tool --dump lists no %s certificate:\n%s", label, dump)
	}
	if want := fmt.Sprintf("%x", file.Path); m[1] != want {
		t.Errorf("%s certificate at %s, want %s", label, m[1], want)
	}
	return m[2]
}

// openSC runs an OpenSC tool with a private HOME, so that no file cache
// from an earlier card (same paths, other content) can answer for the card.
func openSC(t *testing.T, tool string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, args...)
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CACHE_HOME="+home)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", tool, strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return string(out)
}

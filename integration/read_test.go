package integration

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// readFixtures cover both applets and the card types whose files differ:
// kids cards have no user certificates, foreigner cards another CA.
var readFixtures = []string{"citizen-1.7", "citizen-1.8", "kids-1.7", "foreigner-1.8"}

// TestFullReadThroughPCSCD reads each fixture through pcscd and vpcd,
// parses it and verifies it against the fixture's root: every check must
// pass, the basic key hash being "not applicable" on applet 1.7 only.
func TestFullReadThroughPCSCD(t *testing.T) {
	needPCSC(t)
	pc := newContext(t)
	for _, name := range readFixtures {
		t.Run(name, func(t *testing.T) {
			content := loadFixture(t, name)
			in := insert(t, pc, virtualcard.New(content))
			defer in.remove(t, pc)
			_, card := openEID(t, pc)
			if card.Data.AppletVersion != content.Applet || card.Data.Serial != content.ChipSerial {
				t.Errorf("card data: applet %02X serial %X, fixture has %02X %X",
					card.Data.AppletVersion, card.Data.Serial, content.Applet, content.ChipSerial)
			}
			files, err := card.Read(card.FullRead()...)
			if err != nil {
				t.Fatalf("full read: %v", err)
			}
			checkFiles(t, card, files, content)
			checkParsed(t, files, content, strings.HasPrefix(name, "kids"))
			checkVerified(t, eid.Verify(files, eid.VerifyOptions{Roots: fixtureRoots(t, name)}), content.Applet,
				strings.HasPrefix(name, "kids"))
		})
	}
}

// checkFiles compares every file read with what the card stores: data
// files whole, DER files up to the end of their object.
func checkFiles(t *testing.T, card *eid.Card, files *eid.Files, content *virtualcard.Content) {
	t.Helper()
	for _, id := range card.FullRead() {
		stored := content.Files[fmt.Sprintf("%X", id.Path)]
		want := expected(id, stored, card.Chunk, content.Applet)
		if got := fileOf(files, id); !bytes.Equal(got, want) {
			t.Errorf("%s: read %d bytes, want %d bytes of the stored %d", id.Name, len(got), len(want), len(stored))
		}
	}
}

// checkParsed parses the files; a kids card must come without user
// certificates, which the parser reports as absent rather than failing.
func checkParsed(t *testing.T, files *eid.Files, content *virtualcard.Content, kids bool) {
	t.Helper()
	id, err := eid.ParseIdentity(files.Identity)
	if err != nil {
		t.Fatalf("ParseIdentity: %v", err)
	}
	if !bytes.Equal(id.ChipNumber, content.ChipSerial[:]) {
		t.Errorf("identity chip number %X, card data says %X", id.ChipNumber, content.ChipSerial)
	}
	if _, err := eid.ParseAddress(files.Address); err != nil {
		t.Errorf("ParseAddress: %v", err)
	}
	certs, err := eid.ParseCertificates(files)
	if err != nil {
		t.Fatalf("ParseCertificates: %v", err)
	}
	for _, c := range []struct {
		id   eid.FileID
		cert *x509.Certificate
	}{{eid.FileAuthCert, certs.Auth}, {eid.FileSignCert, certs.Sign}} {
		_, stored := derLen(content.Files[fmt.Sprintf("%X", c.id.Path)])
		if (c.cert != nil) != stored {
			t.Errorf("%s parsed=%v, card stores one=%v", c.id.Name, c.cert != nil, stored)
		}
		if kids && c.cert != nil {
			t.Errorf("kids card: %s present", c.id.Name)
		}
	}
	if certs.RRN == nil || certs.Root == nil || certs.CA == nil {
		t.Errorf("missing CA, root or RRN certificate: %+v", certs)
	}
}

// checkVerified: every check passes but those a card lacks: the basic
// key before applet 1.8, the user certificates' chains on a kids card.
func checkVerified(t *testing.T, r eid.Report, applet byte, kids bool) {
	t.Helper()
	for _, c := range r.Checks {
		want := eid.StatusOK
		switch {
		case c.Name == eid.CheckBasicKeyHash && applet == virtualcard.Applet17,
			kids && (c.Name == eid.CheckAuthChain || c.Name == eid.CheckSignChain):
			want = eid.StatusNotApplicable
		}
		if c.Status != want {
			t.Errorf("check %q: %s (%s), want %s", c.Name, c.Status, c.Detail, want)
		}
	}
	if len(r.Checks) == 0 || !r.OK() {
		t.Errorf("report not OK: %v", r.Err())
	}
}

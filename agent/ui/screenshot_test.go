//go:build linux

package ui

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"image"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/internal/xshot"
)

// screenshotLangs are the grid's columns: Belgium's languages, then
// English.
var screenshotLangs = []string{"nl", "fr", "de", "en"}

var contractHash = sha256.Sum256([]byte("contract-2025.pdf"))

// screenshotDialogs are the grid's rows: each dialog the citizen can
// meet, once. Add a row here to show another; Origin, Holder and Lang
// are filled in by the test.
var screenshotDialogs = []struct {
	name string
	q    Question
}{
	{"site", Question{Kind: KindSite}},
	{"authenticate", Question{Kind: KindConsent, Purpose: PurposeAuthenticate}},
	{"read-identity", Question{Kind: KindConsent, Purpose: PurposeReadIdentity,
		Items: []string{"identity", "address", "photo"}}},
	{"signing-certificate", Question{Kind: KindConsent, Purpose: PurposeGetSigningCertificate}},
	{"sign", Question{Kind: KindConsent, Purpose: PurposeSign,
		Document: "contract-2025.pdf", Fingerprint: Fingerprint(contractHash[:])}},
	{"pin", Question{Kind: KindPIN, Purpose: PurposeSign, TriesLeft: 3}},
	{"wrong-pin", Question{Kind: KindPIN, Purpose: PurposeSign, TriesLeft: 2, WrongPIN: true}},
	{"last-try", Question{Kind: KindPIN, Purpose: PurposeSign, TriesLeft: 1, WrongPIN: true}},
	{"blocked", Question{Kind: KindConsent, Purpose: PurposeSign, Blocked: true}},
	{"pinpad", Question{Kind: KindPIN, Purpose: PurposeSign, TriesLeft: 3, PINPad: true}},
}

// Every dialog, in every language, shown by the real dialog program on a
// private X server: each must draw text, carry its title, and read
// differently in each language. The pictures are kept as artifacts and,
// with EIDBRIDGE_UPDATE_IMAGES=1, become the README's (docs/images).
func TestScreenshotDialogs(t *testing.T) {
	needScreenshotTools(t)
	d := xshot.Start(t, 1280, 1024)
	dialogEnv(t)
	n := &Native{d: zenityDialogs{}}
	shots := make([][]image.Image, len(screenshotDialogs))
	for i, row := range screenshotDialogs {
		for _, lang := range screenshotLangs {
			q := row.q
			q.Origin, q.Holder, q.Lang = "https://tax.example.be", "Alice Test", lang
			shots[i] = append(shots[i], shoot(t, d, n, q, row.name+"-"+lang))
		}
		checkLanguagesDiffer(t, row.name, shots[i])
	}
	saveShots(t, shots)
}

// shoot shows q, takes its picture once drawn, checks it, and closes the
// dialog by ending its context, as the agent does when a page gives up.
func shoot(t *testing.T, d *xshot.Display, n *Native, q Question, name string) *image.RGBA {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := n.Ask(ctx, q); done <- err }()
	wait, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	w, img, werr := d.WaitShot(wait)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("%s: Ask = %v; want it cancelled with its context", name, err)
	}
	if werr != nil {
		t.Fatalf("%s: %v", name, werr)
	}
	if err := d.WaitGone(wait); err != nil {
		t.Fatalf("%s: the dialog stayed after its context ended: %v", name, err)
	}
	if w.Title != Title(q) {
		t.Errorf("%s: window title %q, want %q", name, w.Title, Title(q))
	}
	// Anti-aliased text alone brings dozens of colours; an empty window
	// has one or two.
	if c := xshot.Colours(img); c < 50 {
		t.Errorf("%s: the %v window has %d colours: nothing drawn?", name, w.Bounds, c)
	}
	return img
}

// checkLanguagesDiffer: no two languages show the same picture, so the
// text did change with the language.
func checkLanguagesDiffer(t *testing.T, name string, imgs []image.Image) {
	t.Helper()
	for i := range imgs {
		for j := range i {
			a, b := imgs[i].(*image.RGBA), imgs[j].(*image.RGBA)
			if a.Bounds() == b.Bounds() && bytes.Equal(a.Pix, b.Pix) {
				t.Errorf("%s: %s and %s look the same", name, screenshotLangs[i], screenshotLangs[j])
			}
		}
	}
}

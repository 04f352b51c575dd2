package main

import (
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/pcsc"
)

// The demo's virtual citizen. The name is what the auto-PIN answerer
// checks the dialog against, so that it never answers for another card.
const (
	demoSurname    = "Maes"
	demoGivenNames = "Lien Sofie"
	demoReader     = "eidbridge demo reader"
)

// appletByte reads --applet.
func appletByte(s string) (byte, error) {
	switch s {
	case "1.7":
		return virtualcard.Applet17, nil
	case "1.8":
		return virtualcard.Applet18, nil
	}
	return 0, fmt.Errorf("--applet %q: want 1.7 or 1.8", s)
}

// demoCard loads the profile in dir, or creates a fresh one there. The
// shipped fixtures are never used: a fresh profile has certificates valid
// today and a PIN state of its own.
func demoCard(dir string, f demoFlags) (c *virtualcard.Content, created bool, err error) {
	applet, err := appletByte(f.applet)
	if err != nil {
		return nil, false, err
	}
	_, err = os.Stat(filepath.Join(dir, "card.json"))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		created = true
		fmt.Fprintf(os.Stderr, "demo: creating a virtual eID card (applet %s) in %s\n", f.applet, dir)
		err = virtualcard.Init(dir, virtualcard.Options{Applet: applet, Surname: demoSurname, GivenNames: demoGivenNames})
		if err != nil {
			return nil, false, fmt.Errorf("creating the virtual card: %w", err)
		}
	case err != nil:
		return nil, false, fmt.Errorf("virtual card profile: %w", err)
	}
	if c, err = virtualcard.Load(dir); err != nil {
		return nil, false, fmt.Errorf("virtual card: %w", err)
	}
	if f.appletSet && c.Applet != applet {
		return nil, false, fmt.Errorf("%s holds an applet %X.%X card, not %s: use another --data directory",
			dir, c.Applet>>4, c.Applet&0x0F, f.applet)
	}
	return c, created, nil
}

// fileKey names a file in Content.Files.
func fileKey(id eid.FileID) string { return fmt.Sprintf("%X", id.Path) }

// cardHolder is the name the agent's dialogs show for the card: given
// names, then surname.
func cardHolder(c *virtualcard.Content) (name, nn string, err error) {
	id, err := eid.ParseIdentity(c.Files[fileKey(eid.FileIdentity)])
	if err != nil {
		return "", "", fmt.Errorf("virtual card identity: %w", err)
	}
	return strings.TrimSpace(id.GivenNames + " " + id.Surname), id.NationalNumber, nil
}

// writeTrust writes the card's root and citizen CA certificates to path,
// the CAs the portal trusts.
func writeTrust(path string, c *virtualcard.Content) error {
	var out []byte
	for _, id := range []eid.FileID{eid.FileRootCert, eid.FileCACert} {
		der, err := virtualcard.CertDER(c.Files[fileKey(id)])
		if err != nil {
			return fmt.Errorf("virtual card %s: %w", id.Name, err)
		}
		if der == nil {
			return fmt.Errorf("virtual card: no %s", id.Name)
		}
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return fmt.Errorf("trust file: %w", err)
	}
	return nil
}

// demoCards is where the agent finds cards: the virtual card in an
// in-process reader, its PIN state saved to its profile, or PC/SC.
func demoCards(d *demo, c *virtualcard.Content) (agent.Cards, error) {
	if d.f.pcsc {
		pc, err := pcsc.NewContext()
		if err != nil {
			return nil, fmt.Errorf("PC/SC: %w", err)
		}
		d.closers = append(d.closers, func() { pc.Close() })
		return agent.NewPCSCCards(pc), nil
	}
	card := virtualcard.New(c, virtualcard.WithStateSaver(func(c *virtualcard.Content) error {
		return virtualcard.SaveState(d.cardDir, c)
	}))
	cards := agent.NewVirtualCards()
	cards.AddReader(demoReader)
	cards.Insert(demoReader, card)
	return cards, nil
}

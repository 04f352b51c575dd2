package demo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// The demo's virtual citizen. The name is what the auto-PIN answerer
// checks the dialog against, so that it never answers for another card.
const (
	CitizenSurname    = "Maes"
	CitizenGivenNames = "Lien Sofie"
)

// appletByte reads Config.Applet.
func appletByte(s string) (byte, error) {
	switch s {
	case "1.7":
		return virtualcard.Applet17, nil
	case "1.8":
		return virtualcard.Applet18, nil
	}
	return 0, fmt.Errorf("--applet %q: want 1.7 or 1.8", s)
}

// loadOrCreateCard loads the profile in dir, or creates a fresh one
// there. The shipped fixtures are never used: a fresh profile has
// certificates valid today and a PIN state of its own.
func loadOrCreateCard(dir string, cfg Config) (c *virtualcard.Content, created bool, err error) {
	applet, err := appletByte(cfg.Applet)
	if err != nil {
		return nil, false, err
	}
	_, err = os.Stat(filepath.Join(dir, "card.json"))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		created = true
		fmt.Fprintf(os.Stderr, "demo: creating a virtual eID card (applet %s) in %s\n", cfg.Applet, dir)
		err = virtualcard.Init(dir, virtualcard.Options{Applet: applet, Surname: CitizenSurname, GivenNames: CitizenGivenNames})
		if err != nil {
			return nil, false, fmt.Errorf("creating the virtual card: %w", err)
		}
	case err != nil:
		return nil, false, fmt.Errorf("virtual card profile: %w", err)
	}
	if c, err = virtualcard.Load(dir); err != nil {
		return nil, false, fmt.Errorf("virtual card: %w", err)
	}
	if cfg.AppletChosen && c.Applet != applet {
		return nil, false, fmt.Errorf("%s holds an applet %X.%X card, not %s: use another --data directory",
			dir, c.Applet>>4, c.Applet&0x0F, cfg.Applet)
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

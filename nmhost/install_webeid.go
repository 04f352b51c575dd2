package nmhost

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// WebEIDInstaller registers this program, for this user, as the Web eID
// native application (eu.webeid) that the official Web eID extension
// starts. A user's registration comes before the one for all users, so
// this takes the place of web-eid-app in the browsers given: that is the
// citizen's explicit choice, and Uninstall undoes it. Whatever was
// registered for this user before is kept beside ours (BackupSuffix) and
// put back by Uninstall.
type WebEIDInstaller struct {
	Platform Platform
	Binary   string // the eidbridge program the launcher runs
	Browsers []string
	// ExtensionIDs are Chromium extension IDs allowed besides the
	// published ones (webEIDChromeIDs): a self-built, unpacked or
	// re-signed Web eID extension. A Chromium browser starts a host only
	// for the IDs its manifest lists, and the launcher makes the host
	// speak Web eID to whichever of them it is.
	ExtensionIDs []string
	Registry     Registry // Windows only
}

// BackupSuffix names the copy of what an eu.webeid install replaced:
// the manifest file (Linux, macOS) or, on Windows, a file holding the
// registry value.
const BackupSuffix = ".eidbridge-backup"

const webEIDDescription = "eidbridge as the Web eID native application (eidbridge nm-host install --webeid)"

// Install writes the Web eID launcher, then each browser's registration,
// reporting each on w.
func (in WebEIDInstaller) Install(w io.Writer) error {
	if err := in.check(); err != nil {
		return err
	}
	launcher := in.Platform.WebEIDLauncher()
	if err := writeLauncher(in.Platform, launcher, in.Binary, webEIDHostArgs, "the Web eID extension (eidbridge nm-host install --webeid)"); err != nil {
		return err
	}
	fmt.Fprintf(w, "launcher %s runs %s %s\n", launcher, in.Binary, strings.Join(webEIDHostArgs, " "))
	if extra := in.extraIDs(); len(extra) > 0 {
		fmt.Fprintf(w, "Chromium browsers also let %s start it\n", strings.Join(extra, ", "))
	}
	var errs []error
	for _, b := range in.Browsers {
		if err := in.installOne(w, b, launcher); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", b, err))
		}
	}
	return errors.Join(errs...)
}

// check fills the default browsers and refuses what is not an extension
// ID, before anything is written.
func (in *WebEIDInstaller) check() error {
	errs := []error{checkBrowsers(&in.Browsers)}
	for _, id := range in.ExtensionIDs {
		if !chromeIDRe.MatchString(id) {
			errs = append(errs, fmt.Errorf("%q is not a Chromium extension ID (32 letters a to p); "+
				"Firefox needs none: it takes the add-on ID from the extension, and the official %s is always allowed", id, WebEIDFirefoxID))
		}
	}
	if len(in.ExtensionIDs) > 0 && !slices.ContainsFunc(in.Browsers, func(b string) bool { return !isFirefox(b) }) {
		errs = append(errs, errors.New("extension IDs are for Chromium browsers, and only Firefox was chosen"))
	}
	return errors.Join(errs...)
}

// chromeIDs are the IDs the Chromium manifests allow: the published
// ones, then the extra ones.
func (in WebEIDInstaller) chromeIDs() []string { return append(webEIDChromeIDs(), in.extraIDs()...) }

// extraIDs are ExtensionIDs once each, without the published ones,
// which the manifests list anyway.
func (in WebEIDInstaller) extraIDs() []string {
	var ids []string
	for _, id := range in.ExtensionIDs {
		if !slices.Contains(ids, id) && !slices.Contains(webEIDChromeIDs(), id) {
			ids = append(ids, id)
		}
	}
	return ids
}

func (in WebEIDInstaller) installOne(w io.Writer, b, launcher string) error {
	s, err := in.slot(b, launcher)
	if err != nil {
		return err
	}
	cur, there, err := s.read()
	if err != nil {
		return err
	}
	kept := ""
	if there && !s.isOurs(cur) {
		if kept, err = s.keep(cur); err != nil {
			return err
		}
	}
	if err := s.write(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%-8s %s\n", b, s.describe())
	if kept != "" {
		fmt.Fprintf(w, "         what was there is kept in %s\n", kept)
	}
	return nil
}

// Uninstall takes ours away and puts back what it replaced; a
// registration that is not ours (any more) is left as it is.
func (in WebEIDInstaller) Uninstall(w io.Writer) error {
	if err := checkBrowsers(&in.Browsers); err != nil {
		return err
	}
	launcher := in.Platform.WebEIDLauncher()
	var errs []error
	for _, b := range in.Browsers {
		if err := in.uninstallOne(w, b, launcher); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", b, err))
		}
	}
	if len(in.Browsers) == len(Browsers) { // the launcher only when no browser uses it
		errs = append(errs, removeReported(w, launcher))
	}
	return errors.Join(errs...)
}

func (in WebEIDInstaller) uninstallOne(w io.Writer, b, launcher string) error {
	s, err := in.slot(b, launcher)
	if err != nil {
		return err
	}
	cur, there, err := s.read()
	if err != nil {
		return err
	}
	_, berr := os.Stat(s.backup())
	hasBackup := berr == nil
	switch {
	case there && !s.isOurs(cur):
		fmt.Fprintf(w, "%-8s %s is not eidbridge's: left as it is", b, s.where())
		if hasBackup {
			fmt.Fprintf(w, " (an older copy stays in %s)", s.backup())
		}
		fmt.Fprintln(w)
		return nil
	case hasBackup:
		if err := s.restore(); err != nil {
			return err
		}
		fmt.Fprintf(w, "%-8s restored %s\n", b, s.where())
	case there:
		if err := s.remove(); err != nil {
			return err
		}
		fmt.Fprintf(w, "%-8s removed %s\n", b, s.where())
	}
	return s.cleanUp()
}

// slot is where browser b finds eu.webeid: the manifest file itself, or
// on Windows the registry value naming a manifest (ours lives in our own
// directory, so only the value is ever replaced).
type slot struct {
	loc      Location
	reg      Registry
	launcher string
	manifest []byte // ours
}

func (in WebEIDInstaller) slot(b, launcher string) (slot, error) {
	loc, err := in.Platform.Location(b, WebEIDHostName)
	if err != nil {
		return slot{}, err
	}
	m, err := manifestJSON(WebEIDHostName, webEIDDescription, isFirefox(b), launcher, in.chromeIDs(), []string{WebEIDFirefoxID})
	return slot{loc: loc, reg: in.Registry, launcher: launcher, manifest: m}, err
}

func (s slot) backup() string { return s.loc.Manifest + BackupSuffix }

func (s slot) where() string {
	if s.loc.RegKey != "" {
		return `HKCU\` + s.loc.RegKey
	}
	return s.loc.Manifest
}

func (s slot) describe() string {
	if s.loc.RegKey != "" {
		return s.where() + " → " + s.loc.Manifest
	}
	return s.loc.Manifest
}

// read returns what the browser finds there now.
func (s slot) read() ([]byte, bool, error) {
	if s.loc.RegKey != "" {
		v, ok, err := s.reg.Get(s.loc.RegKey)
		return []byte(v), ok, err
	}
	b, err := os.ReadFile(s.loc.Manifest)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading %s: %w", s.loc.Manifest, err)
	}
	return b, true, nil
}

// isOurs tells whether cur is our registration: the value naming our
// manifest, or a manifest starting our Web eID launcher.
func (s slot) isOurs(cur []byte) bool {
	if s.loc.RegKey != "" {
		return filepath.Clean(string(cur)) == filepath.Clean(s.loc.Manifest)
	}
	var m manifest
	return json.Unmarshal(cur, &m) == nil && m.Name == WebEIDHostName && filepath.Clean(m.Path) == filepath.Clean(s.launcher)
}

// keep saves cur beside ours, and refuses to overwrite an older backup:
// that one holds what the citizen had before eidbridge came.
func (s slot) keep(cur []byte) (string, error) {
	if _, err := os.Stat(s.backup()); err == nil {
		return "", fmt.Errorf("%s holds another application's registration and %s an older one: "+
			"move one of them away, then install again", s.where(), s.backup())
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(s.loc.Manifest); err == nil && s.loc.RegKey == "" {
		mode = fi.Mode().Perm()
	}
	return s.backup(), writeFileAll(s.backup(), cur, mode)
}

// write puts ours in place.
func (s slot) write() error {
	if err := writeFileAll(s.loc.Manifest, s.manifest, 0o644); err != nil {
		return err
	}
	if s.loc.RegKey != "" {
		if err := s.reg.Set(s.loc.RegKey, s.loc.Manifest); err != nil {
			return fmt.Errorf("registering %s: %w", WebEIDHostName, err)
		}
	}
	return nil
}

// restore puts the backup back where it came from, exactly.
func (s slot) restore() error {
	if s.loc.RegKey == "" {
		if err := os.Rename(s.backup(), s.loc.Manifest); err != nil {
			return fmt.Errorf("restoring %s: %w", s.loc.Manifest, err)
		}
		return nil
	}
	v, err := os.ReadFile(s.backup())
	if err != nil {
		return fmt.Errorf("reading %s: %w", s.backup(), err)
	}
	if err := s.reg.Set(s.loc.RegKey, string(v)); err != nil {
		return fmt.Errorf("restoring %s: %w", s.where(), err)
	}
	_, err = removeFile(s.backup())
	return err
}

func (s slot) remove() error {
	if s.loc.RegKey != "" {
		return s.reg.Remove(s.loc.RegKey)
	}
	_, err := removeFile(s.loc.Manifest)
	return err
}

// cleanUp removes our manifest where the registry named it (Windows);
// elsewhere the slot was the manifest.
func (s slot) cleanUp() error {
	if s.loc.RegKey == "" {
		return nil
	}
	_, err := removeFile(s.loc.Manifest)
	return err
}

package nmhost

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/eidbridge/eidbridge/internal/atomicfile"
)

// Installer writes or removes the eidbridge extension's host
// registration (HostName) for some browsers.
type Installer struct {
	Platform   Platform
	Binary     string // the eidbridge program the launcher runs
	Browsers   []string
	ChromeIDs  []string
	FirefoxIDs []string
	Registry   Registry // Windows only
}

// Registry reads, sets and deletes HKEY_CURRENT_USER keys' default values.
type Registry interface {
	Get(key string) (value string, ok bool, err error)
	Set(key, value string) error
	Remove(key string) error
}

const ourDescription = "eidbridge: the Belgian eID for allowed websites"

// check fills the defaults and refuses bad browsers and IDs.
func (in *Installer) check() error {
	if len(in.ChromeIDs) == 0 {
		in.ChromeIDs = []string{DevChromeID}
	}
	if len(in.FirefoxIDs) == 0 {
		in.FirefoxIDs = []string{FirefoxID}
	}
	errs := []error{checkBrowsers(&in.Browsers)}
	for _, id := range in.ChromeIDs {
		if !chromeIDRe.MatchString(id) {
			errs = append(errs, fmt.Errorf("%q is not a Chromium extension ID (32 letters a to p)", id))
		}
	}
	for _, id := range in.FirefoxIDs {
		if !firefoxIDRe.MatchString(id) {
			errs = append(errs, fmt.Errorf("%q is not a Firefox add-on ID (name@domain or {GUID})", id))
		}
	}
	return errors.Join(errs...)
}

// checkBrowsers fills the default (all) and refuses unknown names.
func checkBrowsers(browsers *[]string) error {
	if len(*browsers) == 0 {
		*browsers = Browsers
	}
	var errs []error
	for _, b := range *browsers {
		if !slices.Contains(Browsers, b) {
			errs = append(errs, fmt.Errorf("unknown browser %q (want one of %v)", b, Browsers))
		}
	}
	return errors.Join(errs...)
}

// Install writes the launcher, then each browser's manifest (and on
// Windows its registry key), reporting each path on w.
func (in Installer) Install(w io.Writer) error {
	if err := in.check(); err != nil {
		return err
	}
	launcher := in.Platform.Launcher()
	if err := writeLauncher(in.Platform, launcher, in.Binary, ownHostArgs, "the eidbridge extension (eidbridge nm-host install)"); err != nil {
		return err
	}
	fmt.Fprintf(w, "launcher %s runs %s %s\n", launcher, in.Binary, strings.Join(ownHostArgs, " "))
	for _, b := range in.Browsers {
		loc, err := in.Platform.Location(b, HostName)
		if err != nil {
			return err
		}
		m, err := manifestJSON(HostName, ourDescription, isFirefox(b), launcher, in.ChromeIDs, in.FirefoxIDs)
		if err != nil {
			return err
		}
		if err := writeFileAll(loc.Manifest, m, 0o644); err != nil {
			return err
		}
		if loc.RegKey != "" {
			if err := in.Registry.Set(loc.RegKey, loc.Manifest); err != nil {
				return fmt.Errorf("registering %s for %s: %w", HostName, b, err)
			}
			fmt.Fprintf(w, "%-8s HKCU\\%s → %s\n", b, loc.RegKey, loc.Manifest)
			continue
		}
		fmt.Fprintf(w, "%-8s %s\n", b, loc.Manifest)
	}
	return nil
}

// writeLauncher writes the launcher script at path, which runs binary
// with args.
func writeLauncher(p Platform, path, binary string, args []string, forWhom string) error {
	if !filepath.IsAbs(binary) {
		return fmt.Errorf("the program path %q is not absolute", binary)
	}
	script, err := p.launcherScript(binary, args, forWhom)
	if err != nil {
		return err
	}
	return writeFileAll(path, []byte(script), 0o755)
}

// Uninstall removes what Install wrote; what is already gone is fine.
func (in Installer) Uninstall(w io.Writer) error {
	if err := in.check(); err != nil {
		return err
	}
	var errs []error
	for _, b := range in.Browsers {
		loc, err := in.Platform.Location(b, HostName)
		if err != nil {
			return err
		}
		if loc.RegKey != "" {
			if err := in.Registry.Remove(loc.RegKey); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", b, err))
			}
		}
		errs = append(errs, removeReported(w, loc.Manifest))
	}
	if len(in.Browsers) == len(Browsers) { // the launcher only when no browser uses it
		errs = append(errs, removeReported(w, in.Platform.Launcher()))
	}
	return errors.Join(errs...)
}

// removeReported removes path, saying so on w when it was there.
func removeReported(w io.Writer, path string) error {
	removed, err := removeFile(path)
	if removed {
		fmt.Fprintf(w, "removed %s\n", path)
	}
	return err
}

// writeFileAll writes path atomically with mode, creating its directory.
func writeFileAll(path string, data []byte, mode fs.FileMode) error {
	if err := atomicfile.Write(path, data, mode, 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func removeFile(path string) (bool, error) {
	err := os.Remove(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("removing %s: %w", path, err)
	}
	return true, nil
}

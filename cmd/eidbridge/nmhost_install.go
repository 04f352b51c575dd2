package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
)

// nmInstall writes or removes the host registration for some browsers.
type nmInstall struct {
	plat       nmPlatform
	binary     string // the eidbridge program the launcher runs
	browsers   []string
	chromeIDs  []string
	firefoxIDs []string
	reg        nmRegistry // Windows only
}

// nmRegistry sets and deletes HKEY_CURRENT_USER keys' default values.
type nmRegistry interface {
	set(key, value string) error
	remove(key string) error
}

// repeated is a repeatable string flag.
type repeated []string

func (r *repeated) String() string     { return fmt.Sprint(*r) }
func (r *repeated) Set(s string) error { *r = append(*r, s); return nil }

func runNMInstall(args []string, install bool) error {
	fs := flag.NewFlagSet("nm-host", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.Usage = func() { fmt.Fprintln(os.Stderr, nmHostUsage) }
	var browsers, chromeIDs, firefoxIDs repeated
	fs.Var(&browsers, "browser", "chrome, chromium, edge, brave or firefox (repeatable; default all)")
	fs.Var(&chromeIDs, "chrome-id", "allowed Chromium extension ID (repeatable; default the eidbridge extension's)")
	fs.Var(&firefoxIDs, "firefox-id", "allowed Firefox add-on ID (repeatable; default "+firefoxID+")")
	binary := fs.String("binary", "", "the eidbridge program browsers start (default: this one)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return errUsage
	}
	plat, err := currentPlatform(runtime.GOOS)
	if err != nil {
		return err
	}
	in := nmInstall{plat: plat, binary: *binary, browsers: browsers, chromeIDs: chromeIDs, firefoxIDs: firefoxIDs,
		reg: systemRegistry()}
	if !install {
		return in.uninstall(os.Stdout)
	}
	if in.binary == "" {
		if in.binary, err = thisProgram(); err != nil {
			return err
		}
	}
	return in.install(os.Stdout)
}

// thisProgram is the running executable, symlinks resolved, so the
// launcher keeps working from wherever a package manager links it.
func thisProgram() (string, error) {
	p, err := os.Executable()
	if err == nil {
		p, err = filepath.EvalSymlinks(p)
	}
	if err != nil {
		return "", fmt.Errorf("finding this program (give --binary): %w", err)
	}
	return p, nil
}

// check fills the defaults and refuses bad browsers and IDs.
func (in *nmInstall) check() error {
	if len(in.browsers) == 0 {
		in.browsers = nmBrowsers
	}
	if len(in.chromeIDs) == 0 {
		in.chromeIDs = []string{devChromeID}
	}
	if len(in.firefoxIDs) == 0 {
		in.firefoxIDs = []string{firefoxID}
	}
	var errs []error
	for _, b := range in.browsers {
		if !slices.Contains(nmBrowsers, b) {
			errs = append(errs, fmt.Errorf("unknown browser %q (want one of %v)", b, nmBrowsers))
		}
	}
	for _, id := range in.chromeIDs {
		if !chromeIDRe.MatchString(id) {
			errs = append(errs, fmt.Errorf("%q is not a Chromium extension ID (32 letters a to p)", id))
		}
	}
	for _, id := range in.firefoxIDs {
		if !firefoxIDRe.MatchString(id) {
			errs = append(errs, fmt.Errorf("%q is not a Firefox add-on ID (name@domain or {GUID})", id))
		}
	}
	return errors.Join(errs...)
}

// install writes the launcher, then each browser's manifest (and on
// Windows its registry key), reporting each path on w.
func (in nmInstall) install(w io.Writer) error {
	if err := in.check(); err != nil {
		return err
	}
	if !filepath.IsAbs(in.binary) {
		return fmt.Errorf("the program path %q is not absolute", in.binary)
	}
	script, err := in.plat.launcherScript(in.binary)
	if err != nil {
		return err
	}
	launcher := in.plat.launcher()
	if err := writeFileAll(launcher, []byte(script), 0o755); err != nil {
		return err
	}
	fmt.Fprintf(w, "launcher %s runs %s nm-host\n", launcher, in.binary)
	for _, b := range in.browsers {
		loc, err := in.plat.location(b)
		if err != nil {
			return err
		}
		m, err := manifestJSON(in.plat.firefox(b), launcher, in.chromeIDs, in.firefoxIDs)
		if err != nil {
			return err
		}
		if err := writeFileAll(loc.manifest, m, 0o644); err != nil {
			return err
		}
		if loc.regKey != "" {
			if err := in.reg.set(loc.regKey, loc.manifest); err != nil {
				return fmt.Errorf("registering %s for %s: %w", nmHostName, b, err)
			}
			fmt.Fprintf(w, "%-8s HKCU\\%s → %s\n", b, loc.regKey, loc.manifest)
			continue
		}
		fmt.Fprintf(w, "%-8s %s\n", b, loc.manifest)
	}
	return nil
}

// uninstall removes what install wrote; what is already gone is fine.
func (in nmInstall) uninstall(w io.Writer) error {
	if err := in.check(); err != nil {
		return err
	}
	var errs []error
	for _, b := range in.browsers {
		loc, err := in.plat.location(b)
		if err != nil {
			return err
		}
		if loc.regKey != "" {
			if err := in.reg.remove(loc.regKey); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", b, err))
			}
		}
		if removed, err := removeFile(loc.manifest); err != nil {
			errs = append(errs, err)
		} else if removed {
			fmt.Fprintf(w, "removed %s\n", loc.manifest)
		}
	}
	if len(in.browsers) == len(nmBrowsers) { // the launcher only when no browser uses it
		if removed, err := removeFile(in.plat.launcher()); err != nil {
			errs = append(errs, err)
		} else if removed {
			fmt.Fprintf(w, "removed %s\n", in.plat.launcher())
		}
	}
	return errors.Join(errs...)
}

// writeFileAll writes path atomically with mode, creating its directory.
func writeFileAll(path string, data []byte, mode fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".eidbridge-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), mode)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		return fmt.Errorf("writing %s: %w", path, werr)
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
